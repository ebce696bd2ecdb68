// The loader against hostile or unusual YAML (issue 20): `__proto__` is an ordinary key, and
// collections yaml reads as something else than a mapping or a list are refused at their place.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatText } from '../src/diagnostics/format/text.js';
import { compile } from '../src/index.js';
import { CASES, compileCase } from './support/cases.js';
import { cli, scratch } from './support/cli.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function scratchDir(): string {
  const s = scratch();
  cleanups.push(s.done);
  return s.dir;
}

const codes = (text: string) => compile([{ path: 'inventory/a.yaml', text }]).diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.code} ${d.message}`);

describe('__proto__ keys', () => {
  it.each([
    ['top level', '__proto__: {}\n', /^1:1 unknown-key unknown key "__proto__"/],
    ['under dns', 'dns:\n  __proto__:\n    polluted: 1\n', /^2:3 unknown-key unknown key "__proto__" in dns/],
    ['a service name', 'services:\n  __proto__: { port: 80, backends: [a] }\n', /^2:3 invalid-name "__proto__"/],
    ['a zone name', 'dns:\n  zones:\n    __proto__: {}\n', /^3:5 invalid-name "__proto__"/],
  ])('%s: an invalid key at its place, and the prototype of every object untouched', (_, text, first) => {
    const before = compileCase('valid', 'http-round-robin');
    const got = codes(text);
    expect(got[0]).toMatch(first);
    expect(got.join('\n')).not.toMatch(/polluted/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    // compile() answers the same whatever ran before it.
    const after = compileCase('valid', 'http-round-robin');
    expect(after.diagnostics).toEqual(before.diagnostics);
    expect(after.files.map((f) => f.bytes.toString())).toEqual(before.files.map((f) => f.bytes.toString()));
  });
});

describe('file-system names never reach generated files (item 3)', () => {
  it.each([
    ['a newline in a file name', 'inventory/a\nlisten evil\n  bind :1.yaml'],
    ['a newline in a folder name', 'inventory/x\n@ IN A 203.0.113.9\n/b.yaml'],
    ['an escape in a file name', 'inventory/\u001b[2Jb.yaml'],
    ['a line separator', 'inventory/a\u2028b.yaml'],
  ])('%s: refused with a clear error, nothing emitted', (_, name) => {
    const base = compileCase('valid', 'http-round-robin');
    expect(base.files.length).toBeGreaterThan(0);
    const r = compile([{ path: name, text: 'sites:\n  zz: {}\n' }, { path: 'inventory/ok.yaml', text: 'sites:\n  a: {}\n' }]);
    expect(r.files).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'unsafe-file-name', severity: 'error', message: `the inventory file ${JSON.stringify(name)} has a control character (a newline, tab, escape, ...) in its name or its folder's` });
  });

  it('the CLI refuses an inventory folder whose name has a newline, writing nothing', async () => {
    const dir = scratchDir();
    const inv = path.join(dir, 'inventory');
    cpSync(path.join(CASES, 'valid/http-round-robin/inventory'), inv, { recursive: true });
    mkdirSync(path.join(inv, 'x\nlisten evil'));
    writeFileSync(path.join(inv, 'x\nlisten evil', 'more.yaml'), 'sites:\n  c: {}\n');
    const run = await cli('build', '-i', inv, '-o', path.join(dir, 'out'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error unsafe-file-name: the inventory file "[^"\n]*x\\nlisten evil\/more\.yaml"/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('escape bytes of an inventory file never reach the terminal raw', async () => {
    const text = 'nodes:\n  n1: { site: nowhere, address: 10.0.0.1 } # \u001b[2J\u001b]0;pwned\u0007\n';
    const r = compile([{ path: 'inventory/a.yaml', text }]);
    const shown = formatText(r.diagnostics, { source: () => text, color: false });
    expect(shown).toMatch(/a\.yaml:2:/);
    expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(shown).toContain('\u241b[2J\u241b]0;pwned\u2407');
  });
});

describe('the code frame (item 12)', () => {
  it('reads each file once, however many diagnostics point into it (N errors cost O(N))', () => {
    let text = 'services:\n';
    for (let i = 0; i < 2000; i++) text += `  s${i}: { port: 80, backends: [n1], bogus: 1 }\n`;
    const r = compile([{ path: 'inventory/a.yaml', text }]);
    expect(r.diagnostics.filter((d) => d.code === 'unknown-key')).toHaveLength(2000);
    let reads = 0;
    const shown = formatText(r.diagnostics, { source: () => (reads++, text), color: false });
    expect(reads).toBe(1);
    expect(shown).toContain('  2001 |   s1999: { port: 80, backends: [n1], bogus: 1 }');
  });

  it('cuts a very long line to a window around the place, the caret still under it', () => {
    const text = `services:\n  api: { port: 80, backends: [n1], description: "${'x'.repeat(5000)}", bogus: 1 }\n`;
    const column = text.split('\n')[1]!.indexOf('bogus') + 1;
    const d = { code: 'unknown-key', severity: 'error' as const, message: 'unknown key "bogus"', location: { file: 'a.yaml', line: 2, column, endLine: 2, endColumn: column + 5 }, related: [] };
    const [, code, caret] = formatText([d], { source: () => text, color: false }).split('\n') as [string, string, string];
    expect(code.length).toBeLessThan(180);
    expect(code).toMatch(/^ {2}2 \| …x+", bogus: 1 }$/);
    expect(code.charAt(caret.indexOf('^'))).toBe('b');
  });
});

describe('sections (items 11 and 12)', () => {
  it('a misspelled empty section is an unknown key with a suggestion, at its line', () => {
    expect(codes('sites:\n  a: {}\nservics:\n')).toEqual([
      expect.stringMatching(/^3:1 unknown-key unknown key "servics" in the inventory$/),
    ]);
  });

  it('top-level keys starting with x- are ignored, so they can hold YAML anchors', () => {
    const base = compileCase('valid', 'http-round-robin');
    const text = 'x-defaults: &d { interval: 5s }\nx-notes: anything\n';
    const files = [...base.files.length ? [] : [], { path: 'inventory/x.yaml', text }];
    const r = compile([...files, { path: 'inventory/a.yaml', text: 'sites:\n  a: {}\n' }]);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).not.toContain('unknown-key');
  });
});
