// Failure analysis on small inventories with known answers: what-if verdicts, single points of
// failure, and the semantic diff of two models.
import { describe, expect, it } from 'vitest';
import { verdicts } from '../src/analysis/verdicts.js';
import { diffModels, diffZoneFile } from '../src/analysis/model-diff.js';
import { renderGraph } from '../src/analysis/graph.js';
import { compile, type Model } from '../src/index.js';

const PLATFORM = `platform: { domain: example.org, contact: ops@example.org }
sites: { a: {}, b: {} }
nodes:
  e1: { site: a, address: 10.200.0.1, roles: [edge] }
  e2: { site: b, address: 10.200.0.2, roles: [edge] }
  a1: { site: a, address: 100.64.0.1, roles: [l4], interface: eth0 }
  a2: { site: a, address: 100.64.0.2, interface: eth0 }
  b1: { site: b, address: 100.64.0.3, roles: [l4], interface: eth0 }
`;

function model(extra: string): Model {
  const r = compile([{ path: 'inventory/i.yaml', text: PLATFORM + extra }]);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

/** What is lost, without the per-name verdicts (the test below judges those). */
const lost = (m: Model, sites: string[], nodes: string[] = []) =>
  verdicts(m, { sites: new Set(sites), nodes: new Set(nodes) })
    .filter((v) => !v.served && v.kind !== 'name')
    .map((v) => `${v.kind} ${v.name}`);

const SERVICES = `services:
  both: { port: 80, backends: [a1, b1] }
  only-a: { port: 81, backends: [a1, a2] }
  standby: { port: 82, backends: [a1, b1], active: a1 }
redis:
  cache: { nodes: [a1, a2, b1] }
mongo:
  rs: { nodes: [a1, b1, a2] }
vips:
  vip: { address: 203.0.113.100/24, nodes: [a1, a2], router_id: 1 }
`;

describe('what-if', () => {
  it('a site cut loses exactly what lives only there', () => {
    const m = model(SERVICES);
    expect(lost(m, ['a'])).toEqual(['service only-a', 'redis cache', 'mongo rs', 'vip vip']);
    expect(lost(m, ['b'])).toEqual([]);
  });

  it('says what serves what remains', () => {
    const m = model(SERVICES);
    const v = verdicts(m, { sites: new Set(), nodes: new Set(['a1']) });
    const by = (name: string) => v.find((x) => x.name === name)!;
    expect(by('standby').detail).toBe('served by b1 (fallback: at-b1)');
    expect(by('cache').detail).toBe('2 of 3 sentinels can elect a new master among a2, b1');
    expect(by('vip').detail).toBe('held by a2');
    expect(by('rs').served).toBe(true);
  });

  it('a node cut of the master with too few sentinels left loses the group', () => {
    const m = model(SERVICES);
    expect(lost(m, [], ['a1', 'a2'])).toEqual(['service only-a', 'redis cache', 'mongo rs', 'vip vip']);
  });

  it('follows the way in: a name is served only through a live entry running its daemon, to a live backend', () => {
    const m2 = model(`services:
  web: { port: 80, backends: [a2, b1] }
`);
    const names = (o: { sites: string[]; nodes: string[] }) =>
      verdicts(m2, { sites: new Set(o.sites), nodes: new Set(o.nodes) })
        .filter((v) => v.kind === 'name' || v.kind === 'service')
        .map((v) => `${v.served ? '+' : '-'} ${v.kind} ${v.name}`);
    // Both edges down: the backends live, but no way in is left, so the service is lost too.
    expect(names({ sites: [], nodes: ['e1', 'e2'] })).toEqual(['- service web', '- name web.a2.example.org', '- name web.b1.example.org', '- name web.example.org']);
    // Site a down: e2 still serves every name, b1 answers.
    expect(names({ sites: ['a'], nodes: [] })).toEqual(['+ service web', '+ name web.a2.example.org', '+ name web.b1.example.org', '+ name web.example.org']);
  });

  it('tcp entries need a live l4 node as well as a backend', () => {
    const m = model(`tcp:\n  mqtt: { port: 1883, backends: [a2, b1] }\n`);
    expect(lost(m, [], ['a1', 'b1'])).toEqual(['tcp mqtt']);
    expect(lost(m, [], ['a1'])).toEqual([]);
  });
});

describe('single points of failure', () => {
  // Only what the failure analysis says (this platform's l4 nodes serve no tcp entry in most tests).
  const codes = (extra: string, strict = false) =>
    compile([{ path: 'inventory/i.yaml', text: PLATFORM + extra }], { strict })
      .diagnostics.filter((d) => d.code.startsWith('spof-'))
      .map((d) => `${d.severity} ${d.code} ${d.message.split(':')[0]}`);

  it('warns for a service on one site, and --strict makes it an error', () => {
    expect(codes(SERVICES)).toEqual([
      'warning spof-site service "only-a" does not survive the loss of site "a"',
      'warning spof-site Redis group "cache" does not survive the loss of site "a"',
      'warning spof-site Mongo replica set "rs" does not survive the loss of site "a"',
    ]);
    expect(codes(SERVICES, true).every((c) => c.startsWith('error'))).toBe(true);
  });

  it('a single backend is a node-level failure point', () => {
    expect(codes(`services:\n  solo: { port: 80, backends: [b1] }\n`)).toEqual(['warning spof-node service "solo" does not survive the loss of node "b1"']);
  });
});

describe('semantic diff', () => {
  it('names backends added and removed, holder order and big removals', () => {
    const before = model(SERVICES);
    const after = model(SERVICES.replace('both: { port: 80, backends: [a1, b1] }', 'both: { port: 80, backends: [a2] }').replace('nodes: [a1, a2], router_id', 'nodes: [a2, a1], router_id'));
    const changes = diffModels(before, after);
    expect(changes.map((c) => `${c.subject}: ${c.text}`)).toEqual([
      'service both: backend a2 added',
      'service both: backend a1 removed',
      'service both: backend b1 removed',
      'VIP vip: holder order a1, a2 → a2, a1',
    ]);
    expect(changes.flatMap((c) => (c.alarm ? [c.alarm] : []))).toEqual(['service both loses 2 of 2 backends']);
  });

  it('counts zone records and the serial', () => {
    const z = (serial: number, recs: string) => `$ORIGIN example.org.\n@ IN SOA ns1.example.org. ops.example.org. (\n ${serial} ; serial\n 3600 ; refresh\n)\n${recs}`;
    const c = diffZoneFile('example.org', z(1, 'a IN A 192.0.2.1\nb IN A 192.0.2.2\n'), z(2, 'a IN A 192.0.2.1\nc IN A 192.0.2.3\nd IN A 192.0.2.4\n'));
    expect(c.map((x) => x.text)).toEqual(['2 records added, 1 record removed', 'serial 1 → 2']);
    const txt = (v: string) => z(1, `_dmarc IN TXT "v=DMARC1; p=${v}" ; from inventory/dns.yaml:9\n`);
    expect(diffZoneFile('example.org', txt('none'), txt('reject')).map((x) => x.text)).toEqual(['1 record added, 1 record removed']);
  });
});

describe('graph', () => {
  it('draws sites as subgraphs, services and groups with edges to nodes', () => {
    const m = model(SERVICES);
    const mermaid = renderGraph(m, 'mermaid');
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('  subgraph site_a["site a"]\n    node_a1["a1 (l4)"]\n    node_a2["a2"]\n    node_e1["e1 (edge)"]\n  end');
    expect(mermaid).toContain('  svc_standby -->|active| node_a1');
    expect(mermaid).toContain('  vip_vip -.->|2| node_a2');
    const dot = renderGraph(m, 'dot');
    expect(dot).toMatch(/^digraph hacompile \{/);
    expect(dot).toContain('svc_both -> node_b1;');
  });
});
