// Same inventory, same bytes: whatever order the files come in, and whatever order entries are
// written in within a section.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, isMap } from 'yaml';
import { compile, type InputFile } from '../src/index.js';
import { ROOT, readInventoryDir } from './support/cases.js';
import { shuffle } from './support/shuffle.js';

const bytes = (inputs: readonly InputFile[]) => {
  const r = compile(inputs, { serial: 2026112300 });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.files.map((f) => `${f.path}\n${f.bytes.toString()}`).join('\u0000');
};

describe('output is byte-deterministic', () => {
  const example = readInventoryDir(path.join(ROOT, 'inventory'));

  it('whatever order the files are read in', () => {
    const reference = bytes(example);
    expect(example.length).toBeGreaterThan(1);
    for (const seed of [1, 2, 3, 42, 1234]) expect(bytes(shuffle(example, seed))).toBe(reference);
  });

  it('whatever order the entries of each section are written in', () => {
    const reference = bytes(example);
    const reordered = example.map((f) => {
      const doc = parseDocument(f.text);
      if (isMap(doc.contents)) {
        for (const section of doc.contents.items) if (isMap(section.value)) section.value.items.reverse();
      }
      return { path: f.path, text: doc.toString() };
    });
    expect(reordered.map((f) => f.text)).not.toEqual(example.map((f) => f.text));
    // Provenance comments name the lines, which move with the entries; nothing else may change.
    const placeless = (s: string) => s.replace(/from inventory\/[^\s:]+:\d+/g, 'from <place>').replace(/"sha256": "[0-9a-f]+"/g, '"sha256": "…"').replace(/"bytes": \d+/g, '"bytes": …');
    expect(placeless(bytes(reordered))).toBe(placeless(reference));
  });
});
