// The largest bench inventory (10,000 services on 1,000 nodes, every section) compiles to the same
// bytes whatever order its files come in: byte-determinism at full size. (Timings are
// the bench's business: `npm run bench`.)
import { describe, expect, it } from 'vitest';
import { compile, type InputFile } from '../src/index.js';
import { generateInventory } from '../bench/generate.mjs';
import { shuffle } from './support/shuffle.js';

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
