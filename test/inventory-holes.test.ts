// Inventory values that daemons would catch too late, and YAML that used to read as something
// else than it says (issue 20, items 7, 11 and 12): each refused at its file:line:column with a hint.
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';

const BASE = [
  'platform:',
  '  domain: example.org',
  '  contact: ops@example.org',
  'sites:',
  '  a: {}',
  'nodes:',
  '  n1: { site: a, address: 100.64.0.1, roles: [ingress, edge], public: [198.51.100.1] }',
  '  n2: { site: a, address: 100.64.0.2 }',
  '',
].join('\n');

const run = (text: string) => compile([{ path: 'inventory/a.yaml', text }]);
const errors = (text: string) =>
  run(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.code} ${d.message} | ${d.hint ?? ''}`);

describe('YAML tags outside the core schema (item 7)', () => {
  it('a zone under !!omap is refused at the tag, not read as no zone', () => {
    const text = `${BASE}dns:\n  zones: !!omap\n    - example.org: { nameservers: [ns1.example.net] }\n`;
    const got = errors(text);
    expect(got).toEqual([expect.stringMatching(/^inventory\/a\.yaml:10:10 yaml-tag the YAML tag !!omap is not supported .*\| write a plain mapping/)]);
    expect(run(text).files).toEqual([]);
  });

  it('a service under !!omap is refused, not reported as missing its keys', () => {
    const got = errors(`${BASE}services:\n  web: !!omap\n    - port: 80\n    - backends: [n1]\n`);
    expect(got).toEqual([expect.stringMatching(/^inventory\/a\.yaml:10:8 yaml-tag the YAML tag !!omap .*\| write a plain mapping/)]);
  });

  it('backends under !!set are refused with the list form', () => {
    const got = errors(`${BASE}services:\n  web:\n    port: 80\n    backends: !!set\n      ? n1\n`);
    expect(got).toEqual([expect.stringMatching(/^inventory\/a\.yaml:12:15 yaml-tag the YAML tag !!set .*\| write a plain list/)]);
  });

  it('plain collections, explicitly tagged !!map or !!seq, still read', () => {
    expect(errors(`${BASE}services:\n  web: !!map\n    port: 80\n    backends: !!seq [n1, n2]\n`)).toEqual([]);
  });
});

describe('values daemons would reject later (item 11)', () => {
  it.each([
    ['an IPv6 zone id in a node address', BASE.replace('100.64.0.2', '"fe80::1%eth0"'), /^inventory\/a\.yaml:8:27 invalid-value nodes\.n2\.address has an invalid value "fe80::1%eth0" \| expected .*without a zone id/],
    ['an IPv6 zone id in a public address', BASE.replace('[198.51.100.1]', '["fe80::1%eth0"]'), /^inventory\/a\.yaml:7:72 invalid-value nodes\.n1\.public\[0\] has an invalid value "fe80::1%eth0"/],
    ['an IPv6 zone id in a backend address', `${BASE}services:\n  web: { port: 80, backends: [{ address: "fe80::1%eth0", port: 80, site: a }] }\n`, /^inventory\/a\.yaml:10:42 invalid-value services\.web\.backends\[0\]\.address has an invalid value/],
    ['a bad percent escape in a health path', `${BASE}services:\n  web: { port: 80, backends: [n1], health: { path: /health%zz } }\n`, /^inventory\/a\.yaml:10:52 invalid-value services\.web\.health\.path has an invalid value "\/health%zz" \| expected .*'%' only as an escape of two hex digits/],
    ['a percent at the end of a health path', `${BASE}services:\n  web: { port: 80, backends: [n1], health: { path: /health% } }\n`, /^inventory\/a\.yaml:10:52 invalid-value services\.web\.health\.path/],
    ['a local URL port out of range', `${BASE}services:\n  web: { port: 80, backends: [n1], local: "http://x:99999" }\n`, /^inventory\/a\.yaml:10:43 invalid-value services\.web\.local has an invalid value "http:\/\/x:99999" \| expected .*port from 1 to 65535/],
    ['a local URL port 0', `${BASE}services:\n  web: { port: 80, backends: [n1], local: "http://x:0" }\n`, /^inventory\/a\.yaml:10:43 invalid-value services\.web\.local/],
  ])('%s is refused at its place', (_, text, expected) => {
    const got = errors(text);
    expect(got[0]).toMatch(expected);
    expect(run(text).files).toEqual([]);
  });

  it('an AAAA record with a zone id is refused', () => {
    const text = `${BASE}dns:\n  zones:\n    example.org:\n      nameservers: [ns1.example.net]\n      records:\n        - { name: x, type: AAAA, value: "fe80::1%eth0" }\n`;
    expect(errors(text).join('\n')).toMatch(/inventory\/a\.yaml:14:41 dns-record-value .*is not an IPv6 address/);
  });

  it('the well-formed forms still pass', () => {
    const text = `${BASE.replace('100.64.0.2', '"fd00::2"')}services:\n  web: { port: 80, backends: [n1, n2], health: { path: "/health%2Fz?a=%20" }, local: "http://x:65535" }\n`;
    expect(errors(text)).toEqual([]);
  });
});
