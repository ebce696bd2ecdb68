// Traffic between nodes, read back from the generated files: on an ingress node that runs an
// instance of a local_first service, the global router's first choice is that instance; a
// service reached through its nodes' ingress is reached at <svc>.<peer>.<domain> with a transport
// the file defines, and the peer's router for that name sends only to its own instance; the
// routing graph of every golden case and of the example has no cycle, and a cyclic one is refused.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findCycle, localNamesRoutedHost, routingGraph } from '../src/3-model/routing.js';
import { renderGraph } from '../src/analysis/graph.js';
import { describeChange, diffModels } from '../src/analysis/model-diff.js';
import { verdicts } from '../src/analysis/verdicts.js';
import { checkTraefik } from '../src/verify/traefik.js';
import { compile, type CompileResult, type Model } from '../src/index.js';
import { caseNames, committedOut, compileCase, readInventoryDir, ROOT } from './support/cases.js';
import path from 'node:path';

type Obj = Record<string, any>;

/** The generated files of a compiled platform: path → text. */
function filesOf(result: CompileResult): Map<string, string> {
  return new Map(result.files.map((f) => [f.path, f.bytes.toString()]));
}

/** The servers a Traefik service sends to first: through failover mains down to a load balancer. */
function firstChoice(http: Obj, service: string): { name: string; urls: string[] } {
  let name = service;
  for (let i = 0; i < 20; i++) {
    const s = http.services[name];
    if (s === undefined) throw new Error(`unknown service ${name}`);
    if (s.failover) name = s.failover.service;
    else return { name, urls: s.loadBalancer.servers.map((x: Obj) => x.url) };
  }
  throw new Error(`failover chain from ${service} does not end`);
}

const localUrls = (model: Model, service: string, node: string): string[] => {
  const s = model.services.find((x) => x.name === service)!;
  // The instance as this node reaches it: the `local:` way in, else its address in the upstream scheme.
  return s.backends.filter((b) => b.node === node).map((b) => s.local ?? `${s.upstream?.scheme ?? 'http'}://${b.address}:${b.port}`);
};

interface Findings {
  problems: string[];
  /** How many global routers were found going local first, peer URLs checked, own-only routers checked. */
  localFirst: number;
  peerUrls: number;
  ownOnly: number;
}

/** Reads every Traefik file of a platform back and checks the paths its model asks for. */
function readBack(model: Model, files: Map<string, string>): Findings {
  const f: Findings = { problems: [], localFirst: 0, peerUrls: 0, ownOnly: 0 };
  const domain = model.platform.domain;
  for (const node of model.nodes.filter((n) => n.roles.includes('ingress'))) {
    const text = files.get(`nodes/${node.name}/traefik/hacompile.yaml`);
    if (text === undefined) continue;
    const http = (parse(text) as Obj).http as Obj;
    if (!http.routers) continue;
    const transports = (http.serversTransports ?? {}) as Obj;
    for (const s of model.services) {
      const local = localUrls(model, s.name, node.name).sort();
      const primaryHere = s.backends.some((b) => b.node === node.name && !b.backup);
      // (Without its global router on this node, the name plan sends <svc>.<domain> to an edge.)
      if (s.localFirst && primaryHere && http.routers[s.name] !== undefined) {
        const first = firstChoice(http, http.routers[s.name].service);
        if (JSON.stringify([...first.urls].sort()) !== JSON.stringify(local)) f.problems.push(`${node.name}: router ${s.name} goes first to ${first.urls.join(', ')}, not its own instance ${local.join(', ')}`);
        else f.localFirst++;
      }
      if (s.reach === 'ingress' && local.length > 0) {
        const own = http.services[http.routers[`${s.name}_${node.name}`].service];
        const urls = own?.loadBalancer?.servers.map((x: Obj) => x.url).sort();
        if (JSON.stringify(urls) !== JSON.stringify(local)) f.problems.push(`${node.name}: router ${s.name}_${node.name} may forward beyond its own instance: ${JSON.stringify(own)}`);
        else f.ownOnly++;
      }
    }
    for (const [name, svc] of Object.entries(http.services as Obj)) {
      const lb = (svc as Obj).loadBalancer;
      if (!lb) continue;
      const service = model.services.find((s) => name === s.name || name.startsWith(`${s.name}_`))!;
      for (const { url } of lb.servers as Obj[]) {
        const host = new URL(url).hostname;
        if (/^[0-9.]+$|^\[/.test(host) || url === service.local) continue;
        const peer = service.backends.find((b) => b.node !== undefined && host === `${service.name}.${b.node}.${domain}`);
        const scheme = model.platform.tls === 'off' ? 'http:' : 'https:';
        if (service.reach !== 'ingress' || peer === undefined || peer.node === node.name || new URL(url).protocol !== scheme) {
          f.problems.push(`${node.name}: ${name} sends to ${url}, which is neither an address, the local way in nor a peer's ingress`);
          continue;
        }
        if (lb.passHostHeader !== false) f.problems.push(`${node.name}: ${name} passes the client's Host to the peer ${host}`);
        if (typeof lb.serversTransport !== 'string' || transports[lb.serversTransport] === undefined) f.problems.push(`${node.name}: ${name} names transport ${lb.serversTransport}, which the file does not define`);
        else f.peerUrls++;
      }
    }
  }
  return f;
}

/** Every Caddy upstream through a peer's ingress sets that peer's name as Host. */
function caddyPeers(model: Model, files: Map<string, string>): { problems: string[]; checked: number } {
  const out = { problems: [] as string[], checked: 0 };
  for (const [p, text] of files) {
    if (!p.endsWith('/caddy/Caddyfile')) continue;
    for (const block of text.split('reverse_proxy {').slice(1)) {
      const to = /\tto ([^\n]+)/.exec(block)![1]!.split(' ');
      const named = to.filter((u) => /^https?:\/\/[a-z]/.test(u));
      if (named.length === 0) continue;
      for (const u of named) {
        const host = new URL(u).hostname;
        if (!model.services.some((s) => s.reach === 'ingress' && s.backends.some((b) => host === `${s.name}.${b.node}.${model.platform.domain}`))) out.problems.push(`${p}: upstream ${u} is no peer's ingress`);
      }
      if (!block.split('\n}')[0]!.includes('header_up Host {http.reverse_proxy.upstream.host}')) out.problems.push(`${p}: upstreams ${named.join(' ')} without their own Host`);
      else out.checked += named.length;
    }
  }
  return out;
}

const example = (): { model: Model; files: Map<string, string> } => {
  const result = compile(readInventoryDir(path.join(ROOT, 'inventory')), { serial: 1 });
  return { model: result.model!, files: new Map(committedOut().map((f) => [f.path, f.content])) };
};

const platforms = (): [string, Model, Map<string, string>][] => [
  ...caseNames('valid').map((name): [string, Model, Map<string, string>] => {
    const r = compileCase('valid', name);
    return [name, r.model!, filesOf(r)];
  }),
  ['example', example().model, example().files],
];

describe('Traefik files read back', () => {
  it('on every node running an instance of a local_first service, the global router goes to it first; peers by name through a defined transport', () => {
    let totals = { localFirst: 0, peerUrls: 0, ownOnly: 0, caddy: 0 };
    for (const [name, model, files] of platforms()) {
      const f = readBack(model, files);
      const c = caddyPeers(model, files);
      expect([...f.problems, ...c.problems], name).toEqual([]);
      totals = { localFirst: totals.localFirst + f.localFirst, peerUrls: totals.peerUrls + f.peerUrls, ownOnly: totals.ownOnly + f.ownOnly, caddy: totals.caddy + c.checked };
    }
    console.log(`routing read-back: ${totals.localFirst} local-first global routers, ${totals.peerUrls} peer URLs, ${totals.ownOnly} own-instance-only routers, ${totals.caddy} Caddy peer upstreams`);
    // The example alone: every ingress node running a local_first primary instance, and stream's peers.
    const { model, files } = example();
    const f = readBack(model, files);
    expect(f.localFirst).toBeGreaterThanOrEqual(8);
    expect(f.peerUrls).toBeGreaterThan(0);
    expect(f.ownOnly).toBe(2);
    expect(totals.caddy).toBeGreaterThan(0);
  });

  it('the read-back catches a global router that does not go local first, and a peer without transport', () => {
    const { model, files } = example();
    const node = 'cloudserver1';
    const p = `nodes/${node}/traefik/hacompile.yaml`;
    const config = parse(files.get(p)!) as Obj;
    config.http.routers.grafana.service = 'grafana_primary';
    delete config.http.serversTransports;
    const broken = new Map(files).set(p, JSON.stringify(config));
    const problems = readBack(model, broken).problems;
    // hacompile verify, which every Traefik file's manifest check runs, refuses it too.
    expect(checkTraefik(files.get(p)!)).toEqual([]);
    expect(checkTraefik(JSON.stringify(config))).toContain('http: service wiki_at-micklethefickle uses serversTransport "wiki_peers", which is not defined');
    expect(problems.some((x) => x.includes('router grafana goes first to'))).toBe(true);
    expect(problems.some((x) => x.includes('which the file does not define'))).toBe(true);
  });
});

describe('routing graph', () => {
  it('has no cycle in any golden case or the example', () => {
    let vertices = 0;
    for (const [name, model] of platforms()) {
      const g = routingGraph(model);
      vertices += g.vertices.size;
      expect(findCycle(g), name).toBeUndefined();
    }
    expect(vertices).toBeGreaterThan(100);
  });

  it('reaches a peer only at its own router, which ends at the instance', () => {
    const g = routingGraph(example().model);
    const fromEdge = g.edges.get('edge vps: wiki.bolabaden.org')!;
    expect(fromEdge.map((e) => `${e.how} ${e.to}`)).toEqual([
      'via ingress ingress micklethefickle: wiki.micklethefickle.bolabaden.org',
      'via ingress ingress cloudserver1: wiki.cloudserver1.bolabaden.org',
    ]);
    expect(g.edges.get('ingress cloudserver1: wiki.cloudserver1.bolabaden.org')!.map((e) => e.to)).toEqual(['http://wiki:3000 (wiki on cloudserver1)']);
  });

  const inventory = (local: string, apiLocal = 'http://api:81') => [
    {
      path: 'inventory/i.yaml',
      text: `platform: { domain: example.org, contact: ops@example.org }
sites: { a: {} }
nodes:
  n1: { site: a, address: 100.64.0.1, roles: [ingress] }
  n2: { site: a, address: 100.64.0.2, roles: [ingress] }
services:
  web: { port: 80, reach: ingress, backends: [n1, n2], local: "${local}" }
  api: { port: 81, backends: [n1, n2], local: "${apiLocal}" }
`,
    },
  ];

  it('rejects a hand-made loop between two nodes, naming the places', () => {
    // Every node reaches its own instance at n2's name for it: n2's router for that name sends to itself.
    const r = compile(inventory('https://web.n2.example.org'), { serial: 1 });
    expect(localNamesRoutedHost(r.model!)).toBe(true);
    const cycles = r.diagnostics.filter((d) => d.code === 'routing-cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message).toContain('ingress n2: web.n2.example.org → ingress n2: web.n2.example.org');
    expect(cycles[0]!.location?.line).toBe(7);
    expect(r.files).toEqual([]);
  });

  it('rejects a loop through two services, naming both, and accepts local ways in that end at instances', () => {
    const r = compile(inventory('http://api.example.org', 'http://web.example.org'), { serial: 1 });
    const cycles = r.diagnostics.filter((d) => d.code === 'routing-cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message).toBe('requests can loop between the proxies: ingress n1: api.example.org → ingress n1: web.example.org → ingress n1: api.example.org');
    // Reported at api's local:, with web's as the other place on the loop.
    expect(cycles[0]!.location?.line).toBe(8);
    expect(cycles[0]!.related?.map((x) => `${x.message} at line ${x.location?.line}`)).toEqual(['service "web" is on the loop at line 7']);
    expect(r.files).toEqual([]);
    // One of the two pointing at the other's name, the other at its container: no loop.
    const ok = compile(inventory('http://api.example.org'), { serial: 1 });
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ok.files.length).toBeGreaterThan(0);
  });
});

describe('what-if, graph and the diff summary show the paths', () => {
  const text = (extra: string) => [
    {
      path: 'inventory/i.yaml',
      text: `platform: { domain: example.org, contact: ops@example.org${extra} }
sites: { a: {}, b: {} }
nodes:
  n1: { site: a, address: 100.64.0.1, roles: [ingress] }
  n2: { site: b, address: 100.64.0.2, roles: [ingress, l4] }
services:
  web: { port: 80, reach: ingress, backends: [n1, n2] }
tcp:
  git: { port: 443, sni: [git.example.org], backend_port: 8443, backends: [n1] }
  reg: { port: 443, sni: [reg.example.org], backend_port: 5443, backends: [n2] }
`,
    },
  ];
  const before = compile(text(''), { serial: 1 }).model!;
  const after = compile(text(', defaults: { local_first: true, router_priority: 500 }'), { serial: 1 }).model!;

  it('what-if names the nodes serving local first and the way through the ingress', () => {
    const v = verdicts(after, { sites: new Set(['a']), nodes: new Set() }).find((x) => x.name === 'web')!;
    expect(v.detail).toBe("served by n2; reached through each node's ingress (web.<node>.example.org); local first on n2");
  });

  it('graph labels the paths and the SNI names', () => {
    const g = renderGraph(after, 'mermaid');
    expect(g).toContain('svc_web(["web (round_robin, local first, via ingress)"])');
    expect(g).toContain('svc_web -->|via web.n1| node_n1');
    expect(g).toContain('tcp_git[/"tcp git :443 SNI git.example.org"/]');
  });

  it('the diff summary says what changed in the paths', () => {
    expect(diffModels(before, after).map(describeChange)).toEqual([
      'service web: local first: ingress nodes that run an instance serve its global names from it first',
      'service web: router_priority 10000 → 500',
    ]);
  });
});
