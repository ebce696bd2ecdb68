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

describe('diagnostics that point at the real mistake (item 12)', () => {
  const all = (text: string) => run(text).diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.code} ${d.message} | ${d.hint ?? ''}`);

  it('a second YAML document: hacompile\'s own message at the marker, not the library\'s', () => {
    const got = all(`${BASE}---\nservices:\n  web: { port: 80, backends: [n1] }\n`);
    expect(got).toEqual(['9:1 yaml-documents a second YAML document starts here: an inventory file holds one | remove this line, or move what follows it into a file of its own (files are merged)']);
    expect(got.join()).not.toMatch(/parseAllDocuments/);
  });

  it('tabs: one error at the first tab, no cascade and no false duplicate key', () => {
    const got = all(`${BASE}services:\n  web:\n\tport: 80\n\tbackends: [n1]\n  api:\n\tport: 81\n\tbackends: [n1]\n`);
    expect(got).toEqual([expect.stringMatching(/^11:1 yaml-tab a tab in the indentation \(YAML indents with spaces only\) \| replace the tabs/)]);
  });

  it('a tab after spaces is placed at the tab', () => {
    expect(all(`${BASE}services:\n  web:\n    port: 80\n  \t  backends: [n1]\n`)).toEqual([expect.stringMatching(/^12:3 yaml-tab/)]);
  });

  it.each([
    ['one space too many', '     backends: [n1]', /^12:1 yaml-indentation this line is indented 5 spaces, more than "port" on line 11 \(4 spaces\) \| indent it 4 spaces like "port"/],
    ['two spaces too many', '      backends: [n1]', /^12:1 yaml-indentation this line is indented 6 spaces, more than "port" on line 11/],
    ['one space too few', '   backends: [n1]', /^12:1 yaml-indentation this line is indented 3 spaces, which lines up with nothing above it: the levels around it are 2 \(line 10\) and 4 \(line 11\) \| indent it 2 or 4 spaces/],
  ])('indentation, %s: one error, at the line indented wrongly', (_, line, expected) => {
    const got = all(`${BASE}services:\n  web:\n    port: 80\n${line}\n    hosts: [a.example.org]\n`);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(expected);
  });

  it.each([
    ['a list item one space short', 'services:\n  web:\n    port: 80\n    backends:\n      - n1\n     - n2\n', /^14:1 yaml-indentation this line is indented 5 spaces, .*: the levels around it are 4 \(line 12\) and 6 \(line 13\)/],
    ['a section one space in', ' services:\n  web: { port: 80, backends: [n1] }\n', /^9:1 yaml-indentation this line is indented 1 space, .*: the levels around it are 0 \(line 6\) and 2 \(line 8\)/],
    ['an unclosed [', 'services:\n  web: { port: 80, backends: [n1 }\n', /^10:30 yaml-unclosed this `\[` is never closed \| add the missing `\]`/],
    ['an unclosed quote', 'services:\n  web: { port: 80, backends: ["n1] }\n', /^10:31 yaml-unclosed this `"` is never closed \| add the missing `"` where the text ends/],
  ])('%s: one error where it is', (_, tail, expected) => {
    const got = all(BASE + tail);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(expected);
  });

  it('backends: [] says a service needs at least one backend', () => {
    expect(errors(`${BASE}services:\n  web: { port: 80, backends: [] }\n`)).toEqual([
      'inventory/a.yaml:10:30 empty-list services.web.backends is empty: a service needs at least one backend | list one, or remove the service',
    ]);
  });

  it('a shape hint shows the right form: global: edge → { edge: NODE }', () => {
    const text = `${BASE}dns:\n  zones:\n    example.org:\n      nameservers: [ns1.example.net]\n      global: edge\n`;
    expect(errors(text)).toEqual([expect.stringMatching(/^inventory\/a\.yaml:13:15 wrong-type dns\.zones\["example\.org"\]\.global must be a mapping, not the text "edge" \| write `\{ edge: NODE \}`$/)]);
  });

  it('a single item where a list goes: the hint shows it in brackets', () => {
    expect(errors(BASE.replace('roles: [ingress, edge]', 'roles: edge'))).toEqual([expect.stringMatching(/^inventory\/a\.yaml:7:46 wrong-type nodes\.n1\.roles must be a list, not the text "edge" \| write `\[edge\]`$/)]);
  });

  it('an enum value in the wrong case gets "did you mean"', () => {
    expect(errors(`${BASE}services:\n  web: { port: 80, backends: [n1], balance: Round_Robin }\n`)[0]).toMatch(/is "Round_Robin", which is not one of .* \| did you mean "round_robin"\?$/);
  });

  it.each([
    ['a reference', `${BASE}services:\n  web: { port: 80, backends: [N1] }\n`, /^inventory\/a\.yaml:10:31 invalid-value .* \| did you mean "n1"\?/],
    ['a name', `${BASE}services:\n  Web: { port: 80, backends: [n1] }\n`, /^inventory\/a\.yaml:10:3 invalid-name "Web" .* \| did you mean "web"\?/],
    ['a section key', `${BASE}Services:\n  web: { port: 80, backends: [n1] }\n`, /^inventory\/a\.yaml:9:1 unknown-key unknown key "Services" .* \| did you mean "services"\?/],
  ])('%s in the wrong case gets "did you mean"', (_, text, expected) => {
    expect(errors(text)[0]).toMatch(expected);
  });

  it('a duplicate key names its first place', () => {
    const r = run(`${BASE}services:\n  web: { port: 80, backends: [n1] }\n  web: { port: 81, backends: [n1] }\n`);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      code: 'duplicate-key',
      location: { file: 'inventory/a.yaml', line: 11, column: 3 },
      related: [{ message: 'first defined here', location: { file: 'inventory/a.yaml', line: 10, column: 3 } }],
    });
  });
});

describe('node priority means one thing (item 12)', () => {
  it('the schema, the README and the build all say higher comes first', async () => {
    const { readFileSync } = await import('node:fs');
    const schema = JSON.parse(readFileSync(new URL('../schema/inventory.schema.json', import.meta.url), 'utf8'));
    expect(schema.definitions.node.properties.priority.description).toMatch(/^Higher comes first/);
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toMatch(/priority: 10 +# higher comes first/);
    const text = `${BASE.replace('address: 100.64.0.2 }', 'address: 100.64.0.2, priority: 10 }')}services:\n  web: { port: 80, backends: [n1, n2], balance: first }\n`;
    expect(run(text).model!.services[0]!.backends.map((b) => b.node)).toEqual(['n2', 'n1']);
  });
});
