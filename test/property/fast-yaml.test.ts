// The fast YAML reader (src/1-load/fast-yaml.ts) against `yaml`, the exact path: whenever the fast
// reader accepts a text, `yaml` must read the same text without an error, to the same data. Random documents in mixed styles, and valid documents
// broken by random edits; plus the texts the fast reader must leave to `yaml`, and the inventories
// it must read itself (or it would not be the fast path).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { limit, runs } from './runs.js';
import { parseDocument } from 'yaml';
import { fastParse, resolvePlain } from '../../src/1-load/fast-yaml.js';
import { generateInventory } from '../../bench/generate.mjs';
import { ROOT } from '../support/cases.js';
import { EDITS, style, topMap, writeDoc } from './yaml-docs.js';

const exact = (text: string) => parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: true });

/** The property: the fast reader gives up, or agrees with `yaml` on everything. */
function agrees(text: string): boolean {
  const fast = fastParse(text);
  if (!fast) return false;
  const doc = exact(text);
  expect(doc.errors.map((e) => e.message), JSON.stringify(text)).toEqual([]);
  expect(fast.data, JSON.stringify(text)).toStrictEqual(doc.toJS({ maxAliasCount: 100 }) ?? null);
  return true;
}

const inventories = [
  ...fg.sync(['test/cases/**/*.yaml', 'inventory/**/*.yaml'], { cwd: ROOT }).map((f) => readFileSync(path.join(ROOT, f), 'utf8')),
  ...generateInventory(100).map((f) => f.text),
];

describe('the fast YAML reader agrees with yaml', () => {
  it('on random documents in mixed styles', { timeout: limit(60_000) }, () => {
    let read = 0;
    fc.assert(
      fc.property(topMap, style, (top, s) => {
        if (agrees(writeDoc(top, s))) read++;
      }),
      { numRuns: runs(4000) },
    );
    // Many random documents are within the subset: the property is not vacuous. (Over 60 seeds a
    // fifth to a quarter were read, 792-922 of 4,000: the bound is a seventh, far below any draw.)
    expect(read).toBeGreaterThan(runs(4000) / 7);
  });

  it('on valid documents broken by random edits', { timeout: limit(60_000) }, () => {
    let read = 0;
    const edited = fc
      .tuple(fc.constantFrom(...inventories), fc.array(fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(...EDITS), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 3 }))
      .map(([text, edits]) => {
        let t = text;
        for (const [at, insert, remove] of edits) {
          const i = Math.floor(at * t.length);
          t = t.slice(0, i) + insert + t.slice(i + remove);
        }
        return t;
      });
    fc.assert(
      fc.property(edited, (text) => {
        if (agrees(text)) read++;
      }),
      { numRuns: runs(3000) },
    );
    // (Most edits break the YAML, and the fast reader must then give up: that is the point.)
    // (Over 40 seeds, 268-329 of 3,000 were read.)
    expect(read).toBeGreaterThan(runs(3000) / 20);
  });

  it('on plain scalars: the YAML 1.2 core schema, as yaml resolves it', { timeout: limit(60_000) }, () => {
    const plain = fc.oneof(
      fc.stringMatching(/^[-+]?(?:[0-9]{1,4}|0o[0-9]{1,3}|0x[0-9a-fA-F]{1,3})$/),
      fc.stringMatching(/^[-+]?(?:\.[0-9]{1,3}|[0-9]{1,3}\.?[0-9]{0,3})(?:[eE][-+]?[0-9]{1,2})?$/),
      fc.stringMatching(/^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN|iNf)$/),
      fc.stringMatching(/^(?:[nN]ull|NULL|~|[tT]rue|TRUE|[fF]alse|FALSE|yes|no|on|off|[a-z]{1,5})$/),
    );
    fc.assert(
      fc.property(plain, (s) => {
        const doc = exact(`k: ${s}\n`);
        if (doc.errors.length) return;
        expect(resolvePlain(s), s).toStrictEqual((doc.toJS() as { k: unknown }).k);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('reads every inventory of the test cases, the example and the bench itself', () => {
    const generated = generateInventory(1000);
    let read = 0;
    for (const text of [...inventories, ...generated.map((f) => f.text)]) {
      // The cases about YAML errors are for the exact path.
      if (exact(text).errors.length > 0) continue;
      expect(agrees(text), text.slice(0, 300)).toBe(true);
      read++;
    }
    expect(read).toBeGreaterThan(100);
  });

  it('leaves to yaml what is outside its subset', () => {
    const outside = [
      'a: &x 1\nb: *x\n', // anchors and aliases
      'base: { x: 1 }\nc:\n  <<: { y: 2 }\n', // merge keys
      'a: !!str 1\n', // tags
      'a: |\n  text\n', // block scalars
      'a: >\n  text\n',
      'a: one\n  two\n', // a plain scalar over two lines
      'a: "one\n  two"\n', // a quoted scalar over two lines
      'a: [1,\n  2]\n', // a flow collection over two lines
      'a: 1\na: 2\n', // duplicate keys (yaml reports them)
      '---\na: 1\n---\nb: 2\n', // several documents
      '%YAML 1.1\n---\na: yes\n', // directives
      'a:\n\t- 1\n', // tabs
      'a: 1\r\n', // CR
      '\ufeffa: 1\n', // byte order mark
      '? a\n: 1\n', // explicit keys
      '1: a\n', // keys that are not strings
      'true: a\n',
      '__proto__: {}\n',
      'a:\n  - - 1\n', // nested sequences on one line
      'a: b: c\n', // a mapping inside a compact value
      '- a\n- b\n', // not a mapping at the top
      '  a: 1\n', // indented top level
      'a: [1, 2,]\n', // trailing comma
      'a: "\\x41"\n', // escapes beyond the common ones
      `${'k'.repeat(1030)}: 1\n`, // keys over 1024 characters
    ];
    for (const text of outside) expect(fastParse(text), JSON.stringify(text)).toBeUndefined();
  });

  it('reads the subset it promises', () => {
    const inside: [string, unknown][] = [
      ['', null],
      ['# only a comment\n', null],
      ['a: yes\nb: 0o17\nc: 0x1F\nd: 1e3\ne: ~\nf: .inf\ng: -.5\n', { a: 'yes', b: 15, c: 31, d: 1000, e: null, f: Infinity, g: -0.5 }],
      ['a:\n- 1\n- x\nb: [c, "d e", \'f\'\'g\']\n', { a: [1, 'x'], b: ['c', 'd e', "f'g"] }],
      ['a:\n  - name: x  # c\n    type: A\n  - { name: y, type: "TXT" }\n', { a: [{ name: 'x', type: 'A' }, { name: 'y', type: 'TXT' }] }],
      ['a: http://x:80/p?q=1\n', { a: 'http://x:80/p?q=1' }],
      ['a: "tab\\there \\u00e9 \\"q\\""\n', { a: 'tab\there é "q"' }],
      ['description: Home lab → two hosts\n', { description: 'Home lab → two hosts' }],
      ['a:\nb:\n  c:\n', { a: null, b: { c: null } }],
    ];
    for (const [text, data] of inside) {
      expect(fastParse(text)?.data, JSON.stringify(text)).toStrictEqual(data);
      expect(agrees(text)).toBe(true);
    }
  });
});
