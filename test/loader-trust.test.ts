// The loader against hostile or unusual YAML (issue 20): `__proto__` is an ordinary key, and
// collections yaml reads as something else than a mapping or a list are refused at their place.
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { compileCase } from './support/cases.js';

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
    expect(after.files.map((f) => f.content)).toEqual(before.files.map((f) => f.content));
  });
});
