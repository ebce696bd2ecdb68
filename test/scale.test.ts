// The largest bench inventory (10,000 services on 1,000 nodes, every section) compiles to the same
// bytes whatever order its files come in: byte-determinism at full size. (Timings are
// the bench's business: `npm run bench`.)
import { createHash } from 'node:crypto';
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
      const r = compile(inputs, { serial: 2026112300 });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return r.files;
    };
    const a = run(files);
    const b = run(shuffled);
    expect(a.length).toBeGreaterThan(600);
    expect(b.map((f) => f.path)).toEqual(a.map((f) => f.path));
    for (let i = 0; i < a.length; i++) expect(b[i]!.bytes.toString() === a[i]!.bytes.toString(), a[i]!.path).toBe(true);
  });

  it('get a manifest whose digests and sizes are their bytes', { timeout: 120_000 }, () => {
    const r = compile(generateInventory(10_000), { serial: 2026112300 });
    const manifest = JSON.parse(r.files.find((f) => f.path === 'manifest.json')!.bytes.toString()) as { files: { path: string; sha256: string; bytes: number }[] };
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    expect(manifest.files).toHaveLength(r.files.length - 1);
    for (const entry of manifest.files) {
      const bytes = byPath.get(entry.path)!.bytes;
      expect(entry.bytes, entry.path).toBe(bytes.length);
      expect(entry.sha256, entry.path).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
