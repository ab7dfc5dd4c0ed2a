import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { configTemplate, settingsSection } from '../../src/init/init-template.js';

/** The template with every `# key = value` / `# [table]` line uncommented. */
function uncommented(text: string): string {
  return text
    .split('\n')
    .map((line) => (/^# (\[|[a-z_A-Z0-9]+ = )/.test(line) ? line.slice(2) : line))
    .join('\n');
}

/** The template as a closed-model config: the open model's lines stay comments. */
function closedVariant(text: string): string {
  return text
    .replace(/# With arrival_rate set[\s\S]*?\n\n/, '\n')
    .replace(/^# (arrival_rate|max_vus) = .*$/gm, '');
}

/** The template as an open-model config: the target_vus stages stay comments. */
function openVariant(text: string): string {
  return text.replace(
    /# \[\[stage\]\]\n# target_vus = 20[\s\S]*?# target_vus = 0\n# duration_secs = 30\n/,
    '',
  );
}

describe('configTemplate', () => {
  it('parses as TOML with the required settings and one active tools/call step', () => {
    const toml = parse(configTemplate()) as Record<string, unknown>;
    expect(toml.settings).toEqual({ virtual_users: 10, duration_secs: 60, timeout_ms: 5000 });
    expect(toml.scenario).toEqual([
      { type: 'tools/call', weight: 60, tool: 'echo', arguments: { message: 'hello' } },
    ]);
    expect(toml.stage).toBeUndefined();
  });

  it('offers every optional field, scenario type and a stage as comments that parse when uncommented', () => {
    const text = configTemplate();
    for (const line of [
      '# expected_interval_ms = 100',
      '# request_interval_ms = 0',
      '# max_response_bytes = 10485760',
      '# [settings.headers]',
      '# Authorization = "Bearer ${MCP_TOKEN}"',
      '# [[stage]]',
    ]) {
      expect(text).toContain(line);
    }
    const toml = parse(uncommented(closedVariant(text))) as {
      settings: Record<string, unknown>;
      scenario: { type: string }[];
      stage: unknown[];
    };
    expect(toml.settings).toMatchObject({
      expected_interval_ms: 100,
      request_interval_ms: 0,
      max_response_bytes: 10485760,
      headers: { Authorization: 'Bearer ${MCP_TOKEN}' },
    });
    expect(toml.scenario.map((s) => s.type)).toEqual([
      'tools/call',
      'resources/read',
      'prompts/get',
    ]);
    expect(toml.stage).toEqual([
      { target_vus: 20, duration_secs: 30 },
      { target_vus: 20, duration_secs: 60 },
      { target_vus: 0, duration_secs: 30 },
    ]);
  });

  it('offers the open model as an alternative that parses when its lines are uncommented', () => {
    const text = configTemplate();
    expect(text).toContain('# arrival_rate = 100');
    expect(text).toMatch(/latency gates/);
    const open = uncommented(openVariant(text)).replace('"search"', '"echo"');
    const config = parseConfig(open, 'loadtest.toml', {
      MCP_TOKEN: 'token-for-the-template',
    });
    expect(config.settings.arrivalRate).toBe(100);
    expect(config.settings.maxVus).toBe(200);
    expect(config.stages).toEqual([]);
    expect(config.rateStages).toEqual([{ targetRate: 200, durationSecs: 60 }]);
  });

  it('explains ${ENV} interpolation and that header values are never printed', () => {
    const text = settingsSection();
    expect(text).toMatch(/\$\{NAME\} is replaced by the environment/);
    expect(text).toMatch(/never printed/);
  });
});

describe('the commented gate in the template', () => {
  it('becomes a valid [thresholds] gate and stop_on_breaking_point once uncommented', () => {
    // The per-tool example names "search"; point it at the template's own step.
    const text = uncommented(closedVariant(configTemplate())).replace('"search"', '"echo"');
    const config = parseConfig(text, 'loadtest.toml', { MCP_TOKEN: 'token-for-the-template' });
    expect(config.thresholds).toEqual({
      p99Ms: 500,
      errorRate: 0.01,
      minThroughputRps: 50,
      failOnBreakingPoint: false,
      tools: { echo: { p99Ms: 800 } },
    });
    expect(config.settings.stopOnBreakingPoint).toBe(false);
  });
});
