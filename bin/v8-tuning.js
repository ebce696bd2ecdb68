// V8 settings for one cold run of the compiler, shared by the CLI (bin/hacompile.js) and the
// bench's floor (bench/floor.mjs), so that the floor parses under the same settings as the build.
//
// V8's optimizing compiler works on background threads while a build runs, and inlining whole
// emitters into one another made it compile functions of tens of kilobytes, on the same two cores
// the build needs. A smaller inlining budget (V8's default: 920 bytes of bytecode) makes that work
// a fraction: at 10,000 services 13% less CPU and 7–10% less wall time for a build, about 10% less
// for the floor's parsing (medians of 8–10 alternating runs). It is read when a function is
// optimized, so setting it at startup, before the work starts, is in time.
import { setFlagsFromString } from 'node:v8';

export function tuneV8() {
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
}
