/**
 * The Mann–Whitney U test against values computed independently (SciPy 1.17
 * `scipy.stats.mannwhitneyu(x, y, alternative='greater')`, and for exact p-values with ties a
 * brute-force enumeration of every split of the pooled ranks).
 */
import { describe, expect, it } from 'vitest';
import { erfc, mannWhitneyGreater, smallestPValue } from '../../src/gate/mann-whitney.js';

describe('mannWhitneyGreater', () => {
  it('gives the exact p 1/C(6,3) = 0.05 when every x is above every y', () => {
    expect(mannWhitneyGreater([4, 5, 6], [1, 2, 3])).toEqual({
      u: 9,
      pValue: 0.05,
      method: 'exact',
    });
  });

  it('gives p = 1 when every x is below every y (the test is one-sided)', () => {
    expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6])).toMatchObject({ u: 0, pValue: 1 });
  });

  it('matches SciPy on the textbook example (U = 17, exact p = 0.0556)', () => {
    const r = mannWhitneyGreater([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(r?.u).toBe(17);
    expect(r?.pValue).toBeCloseTo(0.05555555555555555, 12);
  });

  it('is exact with ties (U = 24.5, p = 0.056277 by enumeration)', () => {
    const r = mannWhitneyGreater([2, 3, 4, 4, 5], [1, 2, 2, 3, 3, 3]);
    expect(r?.u).toBe(24.5);
    expect(r?.pValue).toBeCloseTo(0.05627705627705628, 12);
  });

  it('never calls identical samples significant (all values tied: p = 1)', () => {
    expect(mannWhitneyGreater([1, 1, 1], [1, 1, 1])?.pValue).toBe(1);
  });

  it('uses the normal approximation beyond 30 values a side, as SciPy does (p = 0.13355)', () => {
    const x = Array.from({ length: 35 }, (_, i) => i + 6.5);
    const y = Array.from({ length: 40 }, (_, i) => i + 1);
    const r = mannWhitneyGreater(x, y);
    expect(r?.method).toBe('normal');
    expect(r?.u).toBe(805);
    expect(r?.pValue).toBeCloseTo(0.13354735729791628, 6);
  });

  it('corrects the normal variance for ties, as SciPy does (p = 0.030678)', () => {
    const x = [...Array<number>(10).fill(1), ...Array<number>(25).fill(2)];
    const y = [...Array<number>(20).fill(1), ...Array<number>(20).fill(2)];
    const r = mannWhitneyGreater(x, y);
    expect(r?.u).toBe(850);
    expect(r?.pValue).toBeCloseTo(0.030677807954428794, 6);
  });

  it('returns null when a sample is empty', () => {
    expect(mannWhitneyGreater([], [1, 2])).toBeNull();
    expect(mannWhitneyGreater([1], [])).toBeNull();
  });
});

describe('smallestPValue', () => {
  it('is 1 / C(n1 + n2, n1): 2 + 2 samples can never reach 0.05, 3 + 3 just can', () => {
    expect(smallestPValue(2, 2)).toBeCloseTo(1 / 6, 12);
    expect(smallestPValue(3, 3)).toBe(0.05);
    expect(smallestPValue(10, 10)).toBeCloseTo(5.412544112234515e-6, 15);
  });
});

describe('erfc', () => {
  it('matches known values to 1e-7', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.1572992070502851, 7);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 7);
    expect(erfc(3)).toBeCloseTo(2.209049699858544e-5, 9);
  });
});
