/**
 * The one-sided Mann–Whitney U test (Wilcoxon rank-sum test): does sample `x` tend to be larger
 * than sample `y`? It ranks the pooled values and asks how likely a rank sum at least as large as
 * x's would be if the labels "x" and "y" were shuffled at random. It assumes nothing about the
 * shape of the distributions (latency per interval is skewed, never normal), which is why it suits
 * a handful of 2 s timeline samples per run.
 *
 * Method:
 * - Ranks: tied values share the mean of their ranks (midranks).
 * - Exact p-value while both samples have at most EXACT_MAX values: the null distribution of x's
 *   rank sum is counted over every way of choosing |x| of the pooled ranks (ties included, so the
 *   result is exact with ties too), by dynamic programming over doubled ranks (midranks are
 *   multiples of 0.5, so doubled they are integers).
 * - Beyond that, the normal approximation with the tie-corrected variance and a continuity
 *   correction of 0.5 (Mann & Whitney 1947; the variance correction as in Lehmann, Nonparametrics,
 *   1975).
 *
 * Invariant: 0 < p <= 1; identical samples (every value tied) give p = 1, never "significant".
 */

/** Both samples at most this long: exact distribution (at most C(60, 30) ≈ 1.2e17 subsets). */
export const EXACT_MAX = 30;

export interface MannWhitneyResult {
  /** U of x: pairs (xi, yj) with xi > yj, ties counting one half. 0..|x|·|y|. */
  readonly u: number;
  /** One-sided p-value of "x tends to be larger than y". */
  readonly pValue: number;
  readonly method: 'exact' | 'normal';
}

/** null when either sample is empty: nothing to test. */
export function mannWhitneyGreater(
  x: readonly number[],
  y: readonly number[],
): MannWhitneyResult | null {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return null;
  const doubledRanks = midranksDoubled([...x, ...y]);
  let rankSumDoubled = 0;
  for (let i = 0; i < n1; i++) rankSumDoubled += doubledRanks[i]!;
  const u = rankSumDoubled / 2 - (n1 * (n1 + 1)) / 2;
  if (n1 <= EXACT_MAX && n2 <= EXACT_MAX) {
    return { u, pValue: exactUpperTail(doubledRanks, n1, rankSumDoubled), method: 'exact' };
  }
  return { u, pValue: normalUpperTail(u, n1, n2, doubledRanks), method: 'normal' };
}

/**
 * The smallest p-value the exact test can give two samples of these sizes (all values distinct
 * and x entirely above y): 1 / C(n1 + n2, n1). When it exceeds the significance level, no change
 * can be shown significant, whatever its size.
 */
export function smallestPValue(n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  return 1 / binomial(n1 + n2, n1);
}

/** 2 × the midrank (1-based) of each value, in input order. */
function midranksDoubled(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    // Ranks start+1 .. end+1 share their mean; doubled: (start + 1) + (end + 1).
    const doubled = start + end + 2;
    for (let k = start; k <= end; k++) ranks[order[k]!] = doubled;
    start = end + 1;
  }
  return ranks;
}

/** P(rank sum of a random n1-subset >= observed), counted exactly. */
function exactUpperTail(doubledRanks: readonly number[], n1: number, observed: number): number {
  const total = doubledRanks.reduce((a, b) => a + b, 0);
  // ways[k][s]: subsets of size k of the ranks seen so far with doubled rank sum s.
  const ways = Array.from({ length: n1 + 1 }, () => new Float64Array(total + 1));
  ways[0]![0] = 1;
  let seen = 0;
  for (const r of doubledRanks) {
    seen++;
    for (let k = Math.min(n1, seen); k >= 1; k--) {
      const into = ways[k]!;
      const from = ways[k - 1]!;
      for (let s = total; s >= r; s--) into[s]! += from[s - r]!;
    }
  }
  const sizeN1 = ways[n1]!;
  let atLeast = 0;
  let all = 0;
  for (let s = 0; s <= total; s++) {
    all += sizeN1[s]!;
    if (s >= observed) atLeast += sizeN1[s]!;
  }
  return Math.min(1, atLeast / all);
}

function normalUpperTail(
  u: number,
  n1: number,
  n2: number,
  doubledRanks: readonly number[],
): number {
  const n = n1 + n2;
  const tieSizes = new Map<number, number>();
  for (const r of doubledRanks) tieSizes.set(r, (tieSizes.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieSizes.values()) tieTerm += t * t * t - t;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = (u - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
  return Math.min(1, 0.5 * erfc(z / Math.SQRT2));
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * The complementary error function, |relative error| < 1.2e-7 everywhere (the Chebyshev fit of
 * Numerical Recipes, 2nd ed., §6.2): ample for a p-value compared with 0.05.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
