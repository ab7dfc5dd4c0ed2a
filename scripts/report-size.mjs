// Prints the size of the JSON report of a synthetic 10-minute run with 20 tools (README
// "Merging shards"): histograms included, plain and gzipped. The run is synthesized (no server):
// test/helpers/synthetic-run.ts records a seeded long-tailed latency mix, and the real report
// builder encodes it. Usage: node scripts/report-size.mjs [rps] (default 2000 requests/s).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const rps = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'report-size-'));
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `import { syntheticConfig, syntheticResult } from ${JSON.stringify(join(root, 'test/helpers/synthetic-run.ts'))};
import { buildReport } from ${JSON.stringify(join(root, 'src/report/build-report.ts'))};
export function report(rps: number) {
  const config = syntheticConfig(20, 50, 600);
  const result = syntheticResult({ tools: 20, durationSecs: 600, requestsPerSec: rps, vus: 50, seed: 7, startedAt: new Date() }, config);
  return buildReport({ result, config, url: 'http://127.0.0.1:1/mcp', iterations: null, seed: 7, headerNames: [] });
}`,
);
const out = join(dir, 'entry.mjs');
try {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    define: { __MCP_LOADTEST_VERSION__: '"dev"' },
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const { report } = await import(pathToFileURL(out).href);
  const r = report(rps);
  const json = JSON.stringify(r, null, 2);
  const h = r.histograms;
  const bytes = (s) => Buffer.byteLength(s);
  const perTool = Object.values(h.per_tool).reduce(
    (n, t) => n + bytes(t.latency) + bytes(t.latency_uncorrected ?? ''),
    0,
  );
  const timeline = h.timeline.reduce((n, s) => n + bytes(s), 0);
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`10-minute run, 20 tools, ${rps} requests/s, ${r.metrics.total_requests} requests`);
  console.log(`report: ${kb(bytes(json))} (gzip ${kb(gzipSync(json).length)})`);
  console.log(
    `  histograms: per_tool ${kb(perTool)}, timeline ${kb(timeline)} (${h.timeline.length} samples), overall ${kb(bytes(h.latency) + bytes(h.latency_uncorrected) + bytes(h.error_latency) + bytes(h.handshake_latency))}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
