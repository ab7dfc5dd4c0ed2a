/** The entry points' heap-growth setting leaves a value the user gave Node alone. */
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../../src/pipeline/heap-growth.js';

describe('limitHeapGrowth', () => {
  it('sets the growing percent when Node was given none', () => {
    expect(limitHeapGrowth(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(true);
  });

  it('leaves a --heap-growing-percent given on the command line', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=80'], '')).toBe(false);
  });

  it('leaves a heap_growing_percent given in NODE_OPTIONS', () => {
    expect(limitHeapGrowth([], '--heap_growing_percent=200')).toBe(false);
  });
});
