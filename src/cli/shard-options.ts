/**
 * `--shard I/N` and `--start-at TIME` for `run` (README "Shards and merge"): parsing with one-line
 * errors, and the bounded wait that lets every shard begin at the same moment.
 */
import { EXIT, LoadtestError } from '../errors.js';
import { MAX_SHARDS, parseShard, type ShardSpec } from '../pipeline/shard-plan.js';
import type { Signals } from '../pipeline/run-test.js';

/** --start-at further ahead than this is refused: a forgotten date must not hang a CI job. */
export const MAX_START_WAIT_MS = 60 * 60 * 1000;

export function shardOption(command: string, raw: unknown): ShardSpec | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const shard = parseShard(text);
  if (shard === null) {
    throw new LoadtestError(
      'USAGE',
      `${command}: --shard must be I/N with 1 <= I <= N <= ${MAX_SHARDS} (the I-th of N parts, e.g. 2/3), got "${text.slice(0, 40)}"`,
    );
  }
  return shard;
}

/** ISO-8601 with a zone (2026-11-30T18:00:00Z) or epoch milliseconds → epoch milliseconds. */
export function startAtOption(command: string, raw: unknown, nowMs: number): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const accepted = 'an ISO-8601 time with a zone (2026-11-30T18:00:00Z) or epoch milliseconds';
  let atMs: number;
  if (/^\d{1,16}$/.test(text)) atMs = Number(text);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text))
    atMs = Date.parse(text);
  else atMs = NaN;
  if (!Number.isFinite(atMs)) {
    throw new LoadtestError(
      'USAGE',
      `${command}: --start-at must be ${accepted}, got "${text.slice(0, 40)}"`,
    );
  }
  if (atMs - nowMs > MAX_START_WAIT_MS) {
    throw new LoadtestError(
      'USAGE',
      `${command}: --start-at ${new Date(atMs).toISOString()} is ${Math.round((atMs - nowMs) / 60_000)} min away; at most ${MAX_START_WAIT_MS / 60_000} min ahead is accepted`,
    );
  }
  return atMs;
}

/**
 * Waits until `atMs` (epoch). Resolves at once when that time has passed (a late shard starts
 * now, and `note` says how late). A signal while waiting ends the command: nothing was sent.
 */
export async function waitUntil(
  command: string,
  atMs: number,
  signals: Signals,
  note: (line: string) => void,
  nowMs: () => number = Date.now,
): Promise<void> {
  const waitMs = atMs - nowMs();
  if (waitMs <= 0) {
    if (waitMs < -1000)
      note(`warning: --start-at was ${(-waitMs / 1000).toFixed(1)}s ago; starting now`);
    return;
  }
  note(`waiting ${(waitMs / 1000).toFixed(1)}s for --start-at ${new Date(atMs).toISOString()}`);
  await new Promise<void>((resolve, reject) => {
    const onSignal = (): void => {
      clearTimeout(timer);
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      reject(
        new LoadtestError(
          'USAGE',
          `${command}: interrupted while waiting for --start-at; nothing was sent`,
          {
            exitCode: EXIT.interrupted,
          },
        ),
      );
    };
    const timer = setTimeout(() => {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      resolve();
    }, waitMs);
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
  });
}
