// The largest bench inventory (10,000 services on 1,000 nodes, every section) compiles to the same
// bytes whatever order its files come in: the determinism of issue 5, at full size. (Timings are
// the bench's business: `npm run bench`.)
import { describe, expect, it } from 'vitest';
import { compile, type InputFile } from '../src/index.js';
import { generateInventory } from '../bench/generate.mjs';

/** A seeded shuffle (xorshift), so that a difference can be reproduced. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = Math.abs(s) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('10,000 services', () => {
  it('compile to identical bytes with the files in another order', { timeout: 120_000 }, () => {
    const files = generateInventory(10_000);
    const shuffled = shuffle(files, 20260101);
    expect(shuffled.map((f) => f.path)).not.toEqual(files.map((f) => f.path));
    const run = (inputs: readonly InputFile[]) => {
      const r = compile(inputs, { source: 'inventory/', serial: 2026112300 });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return r.files;
    };
    const a = run(files);
    const b = run(shuffled);
    expect(a.length).toBeGreaterThan(600);
    expect(b.map((f) => f.path)).toEqual(a.map((f) => f.path));
    for (let i = 0; i < a.length; i++) expect(b[i]!.content === a[i]!.content, a[i]!.path).toBe(true);
  });
});
