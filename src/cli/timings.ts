/**
 * Phase timings for `npm run bench`: with HACOMPILE_TIMINGS=1 in the environment, the CLI prints
 * one line `hacompile-timings {"startup":41.2,"read":3.1,...}` to stderr before it exits: the
 * milliseconds each phase took, in order. Costs nothing when unset.
 */
const enabled = process.env.HACOMPILE_TIMINGS === '1';
const phases: [string, number][] = [];
let last = 0;

/** Ends the phase named `phase` now (the next one starts). */
export function mark(phase: string): void {
  if (!enabled) return;
  const now = performance.now();
  phases.push([phase, now - last]);
  last = now;
}

/** The line to print, or undefined when timings are off. */
export function timingsLine(): string | undefined {
  if (!enabled) return undefined;
  return `hacompile-timings ${JSON.stringify(Object.fromEntries(phases.map(([p, ms]) => [p, Math.round(ms * 10) / 10])))}\n`;
}
