import { describe, expect, it } from 'vitest';
import { shardOption, startAtOption } from '../../src/cli/shard-options.js';

const NOW = Date.parse('2026-11-30T18:00:00Z');

describe('--shard and --start-at', () => {
  it('--shard 2/3 is the second of three', () => {
    expect(shardOption('run', '2/3')).toEqual({ index: 2, count: 3 });
  });

  it.each(['0/3', '4/3', '1', 'a/b', '1/0'])(
    '--shard %s is refused with what is accepted',
    (raw) => {
      expect(() => shardOption('run', raw)).toThrow(
        `run: --shard must be I/N with 1 <= I <= N <= 10000 (the I-th of N parts, e.g. 2/3), got "${raw}"`,
      );
    },
  );

  it('--start-at takes ISO-8601 with a zone and epoch milliseconds alike', () => {
    expect(startAtOption('run', '2026-11-30T18:00:30Z', NOW)).toBe(NOW + 30_000);
    expect(startAtOption('run', String(NOW + 30_000), NOW)).toBe(NOW + 30_000);
  });

  it('--start-at without a zone is refused', () => {
    expect(() => startAtOption('run', '2026-11-30T18:00:30', NOW)).toThrow(
      'run: --start-at must be an ISO-8601 time with a zone (2026-11-30T18:00:00Z) or epoch milliseconds, got "2026-11-30T18:00:30"',
    );
  });

  it('--start-at more than an hour ahead is refused', () => {
    expect(() => startAtOption('run', '2026-11-30T20:00:00Z', NOW)).toThrow(
      'run: --start-at 2026-11-30T20:00:00.000Z is 120 min away; at most 60 min ahead is accepted',
    );
  });
});
