// The largest bench inventory (10,000 services on 1,000 nodes, every section) compiles to the same
// bytes whatever order its files come in: byte-determinism at full size. (Timings are
// the bench's business: `npm run bench`.)
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bytesOf, compareTree } from '../src/cli/writer.js';
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

  it('get a manifest whose digests and sizes are their bytes', { timeout: 120_000 }, () => {
    // Compare-only (as `build --check`), against a directory that does not exist: every file is new.
    const r = compile(generateInventory(10_000), { source: 'inventory/', serial: 2026112300 });
    const diff = compareTree(path.join(tmpdir(), `hacompile-none-${process.pid}`), r.files);
    expect(diff.added).toEqual(r.files.map((f) => f.path));
    const manifest = JSON.parse(r.files.find((f) => f.path === 'manifest.json')!.content) as { files: { path: string; sha256: string; bytes: number }[] };
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    expect(manifest.files).toHaveLength(r.files.length - 1);
    for (const entry of manifest.files) {
      const bytes = Buffer.from(bytesOf(byPath.get(entry.path)!));
      expect(bytes.toString('utf8'), entry.path).toBe(byPath.get(entry.path)!.content);
      expect(entry.bytes, entry.path).toBe(bytes.length);
      expect(entry.sha256, entry.path).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
