/**
 * How far V8 lets the old generation grow past what its last full collection found live, set once
 * by each entry point before any load.
 *
 * V8 picks that factor from its collection and allocation speeds, between 1.1 and 4 (4 when the
 * heap limit is large, as on any machine with a few GB). A load generator holding thousands of
 * sessions is where it picks high: the in-flight requests of 10,000 sessions outlive young-
 * generation collections, so their garbage is promoted and the old generation fills at the request
 * rate. At 10,000 sessions a live heap of about 95 MB grew to 290 MB before it was collected, and
 * the process peaked at 445 MB RSS; at 1.5 it peaks near 270 MB (BENCHMARKS.md "Memory per
 * session"). The extra full collections did not show in CPU per request at 8 VUs, where the heap
 * is small and they are rare.
 *
 * V8 reads `--heap-growing-percent` each time it sets the next collection's limit, so setting it
 * after start-up takes effect; it is a parameter of a heuristic and changes nothing that runs. A
 * value the user gave Node (NODE_OPTIONS or a command-line flag) is left as it is.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  const given = /heap[-_]growing[-_]percent/;
  if (execArgv.some((arg) => given.test(arg)) || given.test(nodeOptions)) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
