import fc from 'fast-check';

// How many cases a property test draws: the count CI runs, times PROP_SCALE (default 1), so a
// long local run (PROP_SCALE=10 npx vitest run test/property) can hunt rare counterexamples.
export const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.PROP_SCALE ?? 1)));
/** A test's time limit, scaled the same way. */
export const limit = (ms: number): number => runs(ms);

// PROP_SEED=<the seed a failure printed> replays that run: `PROP_SEED=-702324807 npx vitest run
// test/property/injection.test.ts` draws the same cases, so the counterexample comes back.
if (process.env.PROP_SEED !== undefined) fc.configureGlobal({ seed: Number(process.env.PROP_SEED) });
