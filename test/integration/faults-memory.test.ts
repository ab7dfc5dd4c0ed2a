/**
 * Bounded memory through an error storm: 8 VUs for 60 s whose every request fails at once (the
 * tool answers HTTP 500, with no delay: the engine backs off on refused connections, not on
 * error statuses, so this is the fastest storm), in a CLI child whose resident memory (VmRSS) is
 * sampled every second. Memory that stays flat means
 * nothing is kept per request or per error beyond histograms and counters.
 *
 * THE ONE SLOW TEST OF THE SUITE (about 65 s). It has this file to itself so that vitest runs it
 * beside the other files (maxWorkers 2), and the child runs at the lowest CPU priority, so it
 * takes only the CPU the rest of the suite leaves free.
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/report/validate-report.js';
import { startFaultServer } from '../fixtures/fault-server.js';
import { readReport, removeProjects, spawnCli, tempProject } from '../helpers/run-cli.js';
import { toml, toolStep } from '../helpers/run-load.js';

const STORM_SECS = 60;
const VUS = 8;
/** The growth allowed from the 5 s mark to the 60 s mark. */
const MAX_GROWTH_MB = 40;

/** Resident memory of `pid` in MB, from /proc (undefined once the process is gone). */
function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const dirs: string[] = [];
afterAll(() => removeProjects(dirs));

describe('an error storm of 60 s', () => {
  it(
    'leaves the CLI’s memory within a small bound of what it was after 5 s',
    async () => {
      const server = await startFaultServer();
      const samples: { atSecs: number; mb: number }[] = [];
      let sampler: NodeJS.Timeout | undefined;
      try {
        const dir = tempProject(toml({ timeout_ms: 2000 }, toolStep('http500')));
        dirs.push(dir);
        const reportPath = join(dir, 'report.json');
        const cli = spawnCli(
          [
            'run',
            server.url,
            '--vus',
            `${VUS}`,
            '--duration',
            `${STORM_SECS}`,
            '--report',
            reportPath,
          ],
          { cwd: dir, killAfterMs: (STORM_SECS + 20) * 1000 },
        );
        const pid = cli.child.pid!;
        try {
          setPriority(pid, 19);
        } catch {
          // Not permitted here: the storm then competes for CPU on equal terms, which is fine.
        }
        const startedMs = performance.now();
        sampler = setInterval(() => {
          const mb = rssMb(pid);
          if (mb !== undefined)
            samples.push({ atSecs: (performance.now() - startedMs) / 1000, mb });
        }, 1000);
        const r = await cli.done;
        expect(r.code).toBe(0);
        const report = readReport(reportPath);
        expect(validateReport(report)).toEqual({ valid: true });
        expect(report.stop_reason).toBe('duration');
        // A storm: far more errors than any per-error state could hold without growing.
        expect(report.errors.http).toBeGreaterThan(20_000);
        expect(report.metrics.total_requests).toBe(
          report.metrics.success_count + report.metrics.error_count,
        );
      } finally {
        clearInterval(sampler);
        await server.close();
      }
      const early = median(samples.filter((s) => s.atSecs >= 4 && s.atSecs < 8).map((s) => s.mb));
      const late = median(
        samples
          .filter((s) => s.atSecs >= STORM_SECS - 4 && s.atSecs <= STORM_SECS)
          .map((s) => s.mb),
      );
      const figures = `RSS ${early.toFixed(1)} MB at ~5 s, ${late.toFixed(1)} MB at ~60 s`;
      expect(Number.isFinite(early) && Number.isFinite(late), figures).toBe(true);
      expect(late - early, figures).toBeLessThan(MAX_GROWTH_MB);
    },
    (STORM_SECS + 30) * 1000,
  );
});
