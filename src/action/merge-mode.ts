/**
 * The `merge-reports` input: the fan-in job of a sharded load (README "Sharded load in a
 * matrix"). Instead of running, it merges the shard reports a glob names (downloaded artifacts of
 * the `shard` jobs) exactly as `mcp-loadtest merge` does (src/merge/), writes the merged report
 * to report-dir, and hands it to the same publishing as a run: job summary, the one PR comment,
 * annotations, outputs, verdict.
 *
 * Thresholds: those the shards ran with (carried in their reports), or the `config` input's when
 * it names a file, with the threshold inputs overriding either, evaluated on the merged figures.
 */
import { relative } from 'node:path';
import { loadConfigFile } from '../config/load-config.js';
import { LoadtestError } from '../errors.js';
import { mergeThresholds } from '../gate/thresholds.js';
import { mergeReports } from '../merge/merge-reports.js';
import { readShardReport } from '../merge/read-shard-report.js';
import { thresholdsOfReport } from '../merge/thresholds-of-report.js';
import type { Report } from '../report/types.js';
import { globFiles } from './glob-files.js';
import type { ActionInputs, InputReader } from './inputs.js';
import { writeAndReadBack } from './report-file.js';

/** More files than this is a glob gone wrong, not a fleet (as `merge`'s limit). */
const MAX_REPORTS = 10_000;

/** Inputs that shape a run, meaningless when merging: named in a warning when set. */
const RUN_ONLY_INPUTS = [
  'url',
  'tool',
  'arguments',
  'vus',
  'duration',
  'rate',
  'max-vus',
  'iterations',
  'headers',
] as const;

export function mergeShardReports(
  inputs: ActionInputs,
  reportPath: string,
  warn: (message: string) => void,
  info: (message: string) => void,
  read: InputReader,
): Report {
  const pattern = inputs.mergeReports!;
  for (const name of RUN_ONLY_INPUTS) {
    if (read(name).trim() !== '') {
      warn(`input ${name} is ignored: merge-reports merges shard reports, it runs no load`);
    }
  }
  const files = globFiles(pattern, inputs.workingDirectory, MAX_REPORTS);
  if (files.length === 0) {
    throw new LoadtestError(
      'USAGE',
      `input merge-reports matched no file: ${JSON.stringify(pattern.slice(0, 200))} (in working-directory ${inputs.workingDirectory}); accepted: a glob of the shard reports (run with the shard input), e.g. shard-reports/**/*.json`,
    );
  }
  if (files.length > MAX_REPORTS) {
    throw new LoadtestError(
      'USAGE',
      `input merge-reports matched more than ${MAX_REPORTS} files: ${JSON.stringify(pattern.slice(0, 200))}; accepted: a glob of the shard reports only`,
    );
  }
  const shown = (file: string): string => relative(inputs.workingDirectory, file) || file;
  info(`mcp-loadtest: merging ${files.length} shard reports: ${files.map(shown).join(', ')}`);
  const reports = files.map((file) => readShardReport(file, shown(file)));
  const base = inputs.configIsDefault
    ? thresholdsOfReport(reports[0]!.report)
    : loadConfigFile(inputs.configPath, process.env).thresholds;
  const merged = mergeReports(reports, mergeThresholds(base, inputs.overrides));
  return writeAndReadBack(reportPath, merged);
}
