// Turning a client's records into the figures each scenario prints.
import type { Rec } from './harness.js';

/**
 * How long after `at` things settled: the earliest start, among records started in [at, until),
 * from which every later record is good(), minus `at`. Infinity when the last record is not good.
 */
export function settledAfter(recs: readonly Rec[], at: number, until: number, good: (r: Rec) => boolean): number {
  const window = recs.filter((r) => r.s >= at && r.s < until).sort((x, y) => x.s - y.s);
  let from = Infinity;
  for (let i = window.length - 1; i >= 0; i--) {
    if (!good(window[i]!)) break;
    from = window[i]!.s;
  }
  return from - at;
}

/** Seconds with one decimal, for the figures lines. */
export const secs = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)}s` : 'never');

/** Wall-clock milliseconds with sub-millisecond precision, comparable with client.mjs's records. */
export const now = (): number => performance.timeOrigin + performance.now();
