/**
 * "Did you mean …?" suggestions for misspelt keys and operation types.
 *
 * Method: optimal-string-alignment distance (Levenshtein plus adjacent transposition, so
 * `timout_ms` and `tiemout_ms` are both one edit away), compared case-insensitively. A candidate
 * qualifies when it is at most 2 edits away (and the distance is smaller than the candidate, so
 * `x` does not "suggest" `uri`), or when one name is a prefix of the other and the shorter has at
 * least 3 characters (`scenarios` → `scenario`, `virtual` → `virtual_users`). The closest
 * candidate wins; ties go to the earlier candidate, so callers order lists by importance.
 */

const MAX_DISTANCE = 2;
const MIN_PREFIX_LENGTH = 3;

/** Optimal-string-alignment distance between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: two back (for transpositions), previous, current.
  let twoBack = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (twoBack[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length] ?? 0;
}

/** The candidate `input` most plausibly meant, or undefined when none is close. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const distance = editDistance(needle, hay);
    let score = Number.POSITIVE_INFINITY;
    if (distance <= MAX_DISTANCE && distance < hay.length) score = distance;
    const [shorter, longer] = needle.length <= hay.length ? [needle, hay] : [hay, needle];
    if (shorter.length >= MIN_PREFIX_LENGTH && longer.startsWith(shorter)) {
      // A prefix match ranks just behind a one-edit typo.
      score = Math.min(score, 1.5);
    }
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
