/**
 * The import-layer check (`npm run check:layers`, run by `npm run lint` and so by .ci/run).
 * ARCHITECTURE.md explains the layers; this file enforces them. Imports flow one way, from a
 * layer to the layers below it:
 *
 *   kinds    errors.ts, protocol/outcome.ts, protocol/mcp-vocabulary.ts, text/: import nothing
 *            of ours; every layer may use them
 *   config   TOML → validated config
 *   protocol MCP clients, request templates, response classification
 *   metrics  histograms and counters the engine records into (knows nothing of the engine)
 *   engine | init | demo   the run; `init`'s discovery and generation; the demo server
 *   gate     thresholds and the verdict
 *   report   the JSON report; report/types.ts is a leaf (imports only kinds) the gate may use
 *   merge    shard reports → one report (histograms added, timeline realigned, gate re-run)
 *   render   pure string producers: only report types, text and kinds, no I/O
 *   pipeline one run from plan to written report, shared by the CLI and the action
 *   cli | action   the two entry points; only action imports @actions/*
 *
 * Siblings on one level (engine, init, demo; cli, action) do not import each other.
 */

/** Bottom to top; each entry is one level, a level may hold siblings. */
const LEVELS = [
  { config: '^src/config/' },
  { protocol: '^src/protocol/' },
  { metrics: '^src/metrics/(?!thresholds\\.ts$)' },
  { engine: '^src/engine/', init: '^src/init/', demo: '^src/demo/' },
  // thresholds.ts is the gate's, wherever it lives today.
  { gate: '^src/(gate/|metrics/thresholds\\.ts$)' },
  { report: '^src/report/' },
  // Shard reports → one report: reads report data and histograms, re-runs the gate.
  { merge: '^src/merge/' },
  { render: '^src/render/' },
  // One run, start to finish, shared by the CLI, the action and the tests.
  { pipeline: '^src/pipeline/' },
  { cli: '^src/cli/', action: '^src/action/' },
];

const KINDS = '^src/(errors\\.ts|protocol/(outcome|mcp-vocabulary)\\.ts|text/)';
const REPORT_TYPES = '^src/report/types\\.ts$';

const layerRules = [];
LEVELS.forEach((level, i) => {
  for (const [name, path] of Object.entries(level)) {
    const above = LEVELS.slice(i + 1).flatMap((l) => Object.values(l));
    const siblings = Object.entries(level)
      .filter(([other]) => other !== name)
      .map(([, p]) => p);
    const forbidden = [...above, ...siblings];
    if (forbidden.length === 0) continue;
    layerRules.push({
      name: `layer-${name}`,
      comment: `${name} imports only the layers below it (ARCHITECTURE.md, "Layers")`,
      severity: 'error',
      from: { path, pathNot: KINDS },
      to: {
        path: forbidden,
        // The gate and everything below it may read report types, a leaf, and nothing else of report.
        pathNot: [KINDS, ...(i >= 4 ? [REPORT_TYPES] : [])],
      },
    });
  }
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      // A cycle closed only by `import type` loads nothing at run time (engine/run-context.ts and
      // engine/virtual-user.ts name each other's types); across folders the layer rules catch it.
      comment: 'a cycle makes two modules one; move what both need below them',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...layerRules,
    {
      name: 'every-folder-has-a-layer',
      comment: 'a new folder under src/ gets its level in LEVELS (and in ARCHITECTURE.md)',
      severity: 'error',
      from: { path: '^src/' },
      to: {
        path: '^src/',
        pathNot: [KINDS, ...LEVELS.flatMap((l) => Object.values(l))],
      },
    },
    {
      name: 'kinds-are-leaves',
      comment: 'errors, outcome kinds, protocol vocabulary and text helpers import nothing of ours',
      severity: 'error',
      from: { path: KINDS },
      to: { path: '^src/', pathNot: KINDS },
    },
    {
      name: 'report-types-are-a-leaf',
      comment: 'report/types.ts imports only kinds, so any layer from the gate up may use it',
      severity: 'error',
      from: { path: REPORT_TYPES },
      to: { path: '^src/', pathNot: KINDS },
    },
    {
      name: 'render-is-pure',
      comment: 'render turns report data into strings: no engine, protocol client, metrics, I/O',
      severity: 'error',
      from: { path: '^src/render/' },
      to: {
        path: [
          '^src/(config|protocol|metrics|engine|gate)/',
          '^(node:)?(fs|net|http|https|child_process)',
        ],
        pathNot: KINDS,
      },
    },
    {
      name: 'only-action-imports-actions',
      comment: 'GitHub glue stays in src/action',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/action/' },
      to: { path: '@actions/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/report/generated/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
