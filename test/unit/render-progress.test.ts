import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/format.js';
import { renderProgressLine, type ProgressSnapshot } from '../../src/render/progress.js';

function snapshot(overrides: Partial<ProgressSnapshot> = {}): ProgressSnapshot {
  return {
    elapsedSecs: 12,
    totalSecs: 60,
    iterationsDone: 0,
    iterationsTotal: null,
    activeVus: 10,
    targetVus: 10,
    targetRate: null,
    dropped: 0,
    stage: null,
    intervalRps: 412.4,
    intervalP99Ms: 3.214,
    totalRequests: 4944,
    totalErrors: 3,
    errorRate: 3 / 4944,
    ...overrides,
  };
}

const plain = { color: false, tty: false };

describe('renderProgressLine', () => {
  it('shows time, VUs, rate, p99, requests and errors', () => {
    expect(renderProgressLine(snapshot(), plain)).toBe(
      '  12.0s/60s  vus 10/10  412 req/s  p99 3.21ms  reqs 4,944  errors 3 (0.1%)',
    );
  });

  it('shows the stage and the iteration count when set', () => {
    const line = renderProgressLine(
      snapshot({ stage: { index: 2, count: 3 }, iterationsDone: 1200, iterationsTotal: 5000 }),
      plain,
    );
    expect(line).toBe(
      '  12.0s/60s  [stage 2/3]  iter 1,200/5,000  vus 10/10  412 req/s  p99 3.21ms  reqs 4,944  errors 3 (0.1%)',
    );
  });

  it('shows a run with no duration, no finished request and no error', () => {
    const line = renderProgressLine(
      snapshot({
        totalSecs: null,
        intervalRps: 0,
        intervalP99Ms: null,
        totalRequests: 0,
        totalErrors: 0,
        errorRate: NaN,
      }),
      plain,
    );
    expect(line).toBe('  12.0s  vus 10/10  0.0 req/s  p99 -  reqs 0  errors 0');
  });

  it('never shows NaN or Infinity', () => {
    const line = renderProgressLine(
      snapshot({ elapsedSecs: NaN, intervalRps: Infinity, intervalP99Ms: NaN, errorRate: NaN }),
      plain,
    );
    expect(line).not.toMatch(/NaN|Infinity/);
  });

  it('has no line ending', () => {
    expect(renderProgressLine(snapshot(), { color: false, tty: true })).not.toMatch(/[\r\n]/);
  });

  it('colours errors only when asked', () => {
    expect(renderProgressLine(snapshot(), { color: true, tty: true })).toContain(
      '\u001b[31merrors 3 (0.1%)\u001b[39m',
    );
    expect(renderProgressLine(snapshot(), plain)).not.toContain('\u001b');
  });

  it('drops the least useful fields to fit a terminal, keeping time and errors', () => {
    const line = renderProgressLine(
      snapshot({ stage: { index: 2, count: 3 }, iterationsDone: 1200, iterationsTotal: 5000 }),
      { color: false, tty: true, width: 64 },
    );
    expect(displayWidth(line)).toBeLessThanOrEqual(63);
    expect(line).toBe('  12.0s/60s  vus 10/10  412 req/s  p99 3.21ms  errors 3 (0.1%)');
  });

  it('does not cut lines that are not drawn in place', () => {
    const line = renderProgressLine(snapshot(), { color: false, tty: false, width: 30 });
    expect(line).toContain('reqs 4,944');
  });
});
