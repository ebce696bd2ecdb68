// Random mutations of valid inventories: wrong types, missing and extra keys, control characters,
// Unicode, very long values, huge numbers, deep nesting, YAML aliases and merge keys, duplicate
// keys, broken syntax. compile() never throws, and every diagnostic points at a place in a file;
// the mutations that cannot be valid are errors, and an error never comes with output files.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limit, runs } from './runs.js';
import { stringify } from 'yaml';
import { compile, type InputFile } from '../../src/index.js';
import { parseSource } from '../../src/1-load/source.js';
import { generateInventory } from '../../bench/generate.mjs';
import { caseNames, CASES, readInventoryDir } from '../support/cases.js';
import path from 'node:path';

type Data = null | boolean | number | string | Data[] | { [key: string]: Data };

/** Valid inventories to start from: every valid test case, and a small bench inventory. */
const BASES: InputFile[][] = [...caseNames('valid').map((n) => readInventoryDir(path.join(CASES, 'valid', n, 'inventory'))), generateInventory(100)];

/** Every place in a tree: the path to it, its parent, and the key or index it sits at. */
function places(d: Data, at: (string | number)[] = [], out: { path: (string | number)[]; parent: Data[] | { [k: string]: Data }; key: string | number }[] = []) {
  if (Array.isArray(d)) d.forEach((x, i) => (out.push({ path: [...at, i], parent: d, key: i }), places(x, [...at, i], out)));
  else if (d !== null && typeof d === 'object') for (const [k, x] of Object.entries(d)) out.push({ path: [...at, k], parent: d, key: k }), places(x, [...at, k], out);
  return out;
}

const deep = (depth: number, list: boolean): Data => {
  let v: Data = 'bottom';
  for (let i = 0; i < depth; i++) v = list ? [v] : { [`k${i % 7}`]: v };
  return v;
};

/** Mutations of the data, each with whether it can never give a valid inventory. */
const MUTATIONS: Record<string, { invalid: boolean; apply: (value: Data, r: number) => Data }> = {
  'wrong type': { invalid: false, apply: (v, r) => [42, 'text', true, null, ['a'], { a: 1 }].filter((x) => typeof x !== typeof v || Array.isArray(x) !== Array.isArray(v))[Math.floor(r * 5)]! },
  'control character': { invalid: true, apply: (v, r) => `${typeof v === 'string' ? v : 'x'}${String.fromCharCode(Math.floor(r * 32))}y` },
  unicode: { invalid: false, apply: (v, r) => `${typeof v === 'string' ? v : 'x'}${['é', '→', '😀', '\u200f', 'e\u0301', '\u00a0', '\u2028', '𝔘', '中'][Math.floor(r * 9)]}` },
  'very long value': { invalid: false, apply: (v, r) => (typeof v === 'string' ? v : 'x').repeat(1 + Math.floor(r * 20_000)) },
  'huge number': { invalid: false, apply: (_v, r) => [1e300, 2 ** 64, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 65536, -1, 0, 1.5, 1e-300][Math.floor(r * 9)]! },
  'deep nesting': { invalid: true, apply: (_v, r) => deep(50 + Math.floor(r * 400), r < 0.5) },
  'long list': { invalid: false, apply: (_v, r) => Array.from({ length: 1000 + Math.floor(r * 5000) }, (_, i) => `item-${i}`) },
};

/** Text edits: the YAML-level mutations. */
const TEXT_EDITS: Record<string, { invalid: boolean; apply: (text: string, r: number) => string }> = {
  // A key repeated in its mapping (the first `key: value` line, written again below it).
  'duplicate key': {
    invalid: true,
    apply: (t) => t.replace(/^( +)([a-z_][a-z0-9_-]*):( .*)?$/m, (line, pad: string) => `${line}\n${line.replace(/^ +/, pad)}`),
  },
  // An anchor on the first mapping value, and aliases to it (many: alias expansion is limited).
  aliases: {
    invalid: false,
    apply: (t, r) => t.replace(/^([a-z]+):\s*$/m, `$1: &anchor`) + `\nextra-aliases: [${Array.from({ length: r < 0.5 ? 2 : 200 }, () => '*anchor').join(', ')}]\n`,
  },
  'merge key': { invalid: false, apply: (t) => t.replace(/^( +)([a-z][a-z0-9-]*):\s*$/m, '$1$2: &base\n$1  <<: { port: 8080 }') },
  'syntax: unclosed flow': { invalid: true, apply: (t) => `${t}\nunclosed: [a, {b\n` },
  'syntax: tab indentation': { invalid: false, apply: (t) => t.replace(/\n {2}/, '\n\t') },
  'several documents': { invalid: false, apply: (t) => `${t}\n---\nsites: { extra: {} }\n` },
  'not a mapping': { invalid: true, apply: () => '- a\n- b\n' },
};

/** compile() never throws; every diagnostic is placed in one of the files; errors come without files. */
function check(inputs: InputFile[], mustFail: boolean, what: string): void {
  let result;
  try {
    result = compile(inputs, { serial: 1 });
  } catch (e) {
    throw new Error(`${what}: compile threw ${(e as Error).stack}`);
  }
  const files = new Set(inputs.map((f) => f.path));
  for (const d of result.diagnostics) {
    expect(d.location, `${what}: ${d.code} ${d.message} has no place`).toBeDefined();
    expect(files.has(d.location!.file), `${what}: ${d.code} in ${d.location!.file}`).toBe(true);
    expect(d.location!.line, `${what}: ${d.code}`).toBeGreaterThanOrEqual(1);
    expect(d.location!.column, `${what}: ${d.code}`).toBeGreaterThanOrEqual(1);
    expect(d.message.length, `${what}: ${d.code}`).toBeGreaterThan(0);
    // A diagnostic quotes values shortened, never a 100,000-character value whole.
    expect(d.message.length, `${what}: ${d.code}`).toBeLessThan(2000);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) expect(result.files, what).toEqual([]);
  if (mustFail) expect(errors.length, `${what} must be an error`).toBeGreaterThan(0);
}

describe('mutated inventories never throw and always get a placed diagnostic', () => {
  it('data mutations', { timeout: limit(120_000) }, () => {
    const mutation = fc.record({
      base: fc.nat({ max: BASES.length - 1 }),
      file: fc.nat(),
      place: fc.nat(),
      kind: fc.constantFrom(...Object.keys(MUTATIONS)),
      r: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    });
    fc.assert(
      fc.property(mutation, ({ base, file, place, kind, r }) => {
        const inputs = BASES[base]!;
        const target = inputs[file % inputs.length]!;
        const data = parseSource(target).fast?.data as Data;
        if (!data) return;
        const all = places(data);
        const p = all[place % all.length]!;
        const m = MUTATIONS[kind]!;
        // Keys: a mutation at a map key position mutates the value; deep nesting replaces it.
        (p.parent as Record<string | number, Data>)[p.key] = m.apply((p.parent as Record<string | number, Data>)[p.key]!, r);
        const text = stringify(data, { lineWidth: 0 });
        check(
          inputs.map((f) => (f === target ? { path: f.path, text } : f)),
          m.invalid,
          `${kind} at ${target.path}:${p.path.join('.')}`,
        );
      }),
      { numRuns: runs(5500) },
    );
  });

  it('YAML-level mutations', { timeout: limit(120_000) }, () => {
    fc.assert(
      fc.property(fc.nat({ max: BASES.length - 1 }), fc.nat(), fc.constantFrom(...Object.keys(TEXT_EDITS)), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (base, file, kind, r) => {
        const inputs = BASES[base]!;
        const target = inputs[file % inputs.length]!;
        const edit = TEXT_EDITS[kind]!;
        const text = edit.apply(target.text, r);
        if (text === target.text) return;
        check(
          inputs.map((f) => (f === target ? { path: f.path, text } : f)),
          edit.invalid,
          `${kind} in ${target.path}`,
        );
      }),
      { numRuns: runs(2000) },
    );
  });

  it('the YAML-level mutations that are errors say so where they are', () => {
    const inputs = [{ path: 'inventory/a.yaml', text: 'sites:\n  a: {}\n  a: {}\n' }];
    const r = compile(inputs);
    expect(r.diagnostics.map((d) => `${d.code} ${d.location?.line}:${d.location?.column}`)).toEqual(['duplicate-key 3:3']);
    const aliases = compile([{ path: 'inventory/a.yaml', text: `x: &a [1, 2]\ny: [${Array.from({ length: 200 }, () => '*a').join(', ')}]\n` }]);
    expect(aliases.diagnostics.map((d) => d.code)).toEqual(['yaml-aliases']);
    // Nesting past what yaml can read: one diagnostic, at the same place on every run.
    for (const text of [`sites: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, `sites:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')} x\n`, `sites:\n  ${'- '.repeat(5000)}x\n`]) {
      const nested = compile([{ path: 'inventory/a.yaml', text }]);
      expect(nested.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['yaml-syntax YAML syntax error: nested more than 300 levels deep']);
      expect(nested.diagnostics[0]!.location!.line).toBeGreaterThanOrEqual(1);
    }
  });
});
