/**
 * Which reports may be merged: the N shard reports of one load (`run --shard I/N`), written by one
 * version of mcp-loadtest, each carrying its histograms. Anything else is refused with one line
 * naming the file and the difference, before any figure is added.
 */
import { LoadtestError } from '../errors.js';
import type { Report, ReportHistograms, ShardInfo } from '../report/types.js';

export interface SourcedReport {
  /** Where the report came from (its path as given), for messages. */
  readonly source: string;
  readonly report: Report;
}

/** A checked shard: its histograms and shard info are present. */
export interface ShardReport extends SourcedReport {
  readonly histograms: ReportHistograms;
  readonly shard: ShardInfo;
}

const refuse = (message: string): never => {
  throw new LoadtestError('MERGE_REFUSED', `merge: ${message}`);
};

/** The config as shards must share it: config_path may differ from machine to machine. */
function comparableConfig(r: Report): Record<string, unknown> {
  const { config_path: _path, ...rest } = r.config;
  return { target_url: r.target_url, ...rest };
}

/** The first top-level key of two configs whose values differ, or null. */
function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | null {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return key;
  }
  return null;
}

export function checkShards(reports: readonly SourcedReport[]): ShardReport[] {
  if (reports.length === 0)
    refuse('no report given; usage: mcp-loadtest merge REPORT... --report OUT');
  const checked = reports.map(({ source, report }): ShardReport => {
    if (report.shard === undefined) {
      refuse(`${source} is not a shard report (no "shard" field); run each part with --shard I/N`);
    }
    if (report.histograms === undefined) {
      refuse(
        `${source} has no histograms (written by an older mcp-loadtest); rerun its shard with this version`,
      );
    }
    return { source, report, histograms: report.histograms!, shard: report.shard! };
  });
  const first = checked[0]!;
  const config = comparableConfig(first.report);
  for (const s of checked.slice(1)) {
    if (s.report.tool.version !== first.report.tool.version) {
      refuse(
        `${s.source} was written by mcp-loadtest ${s.report.tool.version}, ${first.source} by ${first.report.tool.version}; merge shards of one version`,
      );
    }
    const key = firstDifference(config, comparableConfig(s.report));
    if (key !== null) {
      const field = key === 'target_url' ? key : `config.${key}`;
      refuse(`${s.source} and ${first.source} differ in ${field}: they are not shards of one load`);
    }
  }
  const count = first.shard.count;
  const seen = new Map<number, string>();
  for (const s of checked) {
    if (s.shard.count !== count) {
      refuse(
        `${s.source} is shard ${s.shard.index}/${s.shard.count}, ${first.source} is one of ${count}: they are not shards of one load`,
      );
    }
    const other = seen.get(s.shard.index);
    if (other !== undefined)
      refuse(`${other} and ${s.source} are both shard ${s.shard.index}/${count}`);
    seen.set(s.shard.index, s.source);
  }
  if (checked.length !== count) {
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    refuse(
      `shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing: a merge needs every shard's report (got ${checked.length})`,
    );
  }
  return [...checked].sort((a, b) => a.shard.index - b.shard.index);
}
