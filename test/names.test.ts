// Every name a generated Caddyfile or Traefik file serves is answered by a generated zone with an
// address of a node running that daemon (a VIP counts for its members), or listed in the manifest
// as what to set at the registrar. Read from the generated text alone (site addresses, Host()
// rules, zone lines), not from the model, so a plan the emitters do not follow fails here.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type Model } from '../src/index.js';
import { caseNames, compileCase, readInventoryDir, ROOT } from './support/cases.js';

interface Zone {
  origin: string;
  /** owner → A/AAAA values ('' for an owner with other records only). */
  owners: Map<string, string[]>;
}

/** The owners and addresses of a generated zone file (absolute names: the emitter writes no relative ones). */
export function parseZone(text: string): Zone {
  const origin = /^\$ORIGIN (\S+)$/m.exec(text)![1]!;
  const owners = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(?:\d+\s+)?IN\s+(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const list = owners.get(m[1]!) ?? [];
    if (m[2] === 'A' || m[2] === 'AAAA') list.push(m[3]!);
    owners.set(m[1]!, list);
  }
  return { origin, owners };
}

/** RFC 4592 lookup: the name, else the wildcard at its closest encloser. */
export function resolve(zone: Zone, name: string): string[] {
  const exists = (n: string): boolean => [...zone.owners.keys()].some((o) => o === n || o.endsWith(`.${n}`));
  if (exists(name)) return zone.owners.get(name) ?? [];
  for (let n = name.slice(name.indexOf('.') + 1); n.length > 0 && n.includes('.'); n = n.slice(n.indexOf('.') + 1)) {
    if (exists(n)) return zone.owners.get(`*.${n}`) ?? [];
  }
  return [];
}

/** Site addresses of a Caddyfile and Host() names of a Traefik file. */
export function servedNames(daemon: string, text: string): string[] {
  if (daemon === 'caddy') {
    return text
      .split('\n')
      .filter((l) => /^[a-z0-9h]/.test(l) && l.endsWith(' {'))
      .flatMap((l) => l.slice(0, -2).split(', '))
      .map((a) => a.replace(/^https?:\/\//, ''));
  }
  return [...text.matchAll(/Host\(`([^`]+)`\)/g)].map((m) => m[1]!);
}

interface Judged {
  served: number;
  inZone: number;
  external: number;
  internal: number;
  problems: string[];
}

function judge(files: readonly { path: string; daemon: string; node?: string | undefined; bytes: Buffer }[], model: Model): Judged {
  const zones = files.filter((f) => f.daemon === 'dns').map((f) => parseZone(f.bytes.toString()));
  const manifest = JSON.parse(files.find((f) => f.path === 'manifest.json')!.bytes.toString()) as { registrar?: { name: string; addresses: string[] }[] };
  const registrar = new Map((manifest.registrar ?? []).map((r) => [r.name, r.addresses]));
  const out: Judged = { served: 0, inZone: 0, external: 0, internal: 0, problems: [] };
  const nodesAt = (a: string): string[] => [...model.nodes.filter((n) => n.public.includes(a)).map((n) => n.name), ...model.vips.filter((v) => v.ip === a).flatMap((v) => v.nodes)];
  // The nodes serving each name, per daemon: a name passes when its answer reaches one of them
  // (Traefik on every ingress node serves the global names; the VIP reaches its holders).
  const serving = new Map<string, { daemon: string; name: string; nodes: string[] }>();
  for (const f of files) {
    if (f.daemon !== 'caddy' && f.daemon !== 'traefik') continue;
    const node = model.node(f.node!);
    for (const name of servedNames(f.daemon, f.bytes.toString())) {
      out.served++;
      const key = `${f.daemon} ${name}`;
      const entry = serving.get(key) ?? { daemon: f.daemon, name, nodes: [] };
      entry.nodes.push(node.name);
      serving.set(key, entry);
    }
  }
  for (const { daemon, name, nodes } of serving.values()) {
    const abs = `${name}.`;
    const zone = zones.filter((z) => abs === z.origin || abs.endsWith(`.${z.origin}`)).sort((a, b) => b.origin.length - a.origin.length)[0];
    const reaches = (addresses: readonly string[]): boolean => addresses.some((a) => nodesAt(a).some((n) => nodes.includes(n)));
    // Served only by nodes without public addresses, and answered by no zone: reachable on the overlay only.
    const internal = nodes.every((n) => model.node(n).public.length === 0);
    if (zone) {
      const addresses = resolve(zone, abs);
      if (reaches(addresses)) out.inZone++;
      else if (internal) out.internal++;
      else out.problems.push(`${daemon}: ${name} resolves to ${addresses.join(', ') || 'nothing'}, not to ${nodes.join(', ')}`);
    } else if (registrar.has(name)) {
      if (reaches(registrar.get(name)!)) out.external++;
      else if (internal) out.internal++;
      else out.problems.push(`${daemon}: ${name} is listed for the registrar at ${registrar.get(name)!.join(', ')}, not at ${nodes.join(', ')}`);
    } else if (internal) out.internal++;
    else out.problems.push(`${daemon}: ${name} is in no zone and not listed for the registrar`);
  }
  return out;
}

describe('every served name is answered by the generated zone or listed for the registrar', () => {
  it('the example inventory', () => {
    const r = compile(readInventoryDir(path.join(ROOT, 'inventory')), { serial: 1 });
    expect(r.files, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))).toBeDefined();
    const j = judge(r.files!, r.model!);
    expect(j.problems).toEqual([]);
    // The example's 16 services and its node names, each judged per daemon and name; the extra hosts
    // outside bolabaden.org (example.com, example.net) are at the registrar.
    expect(j.inZone).toBeGreaterThan(0);
    expect(j).toMatchObject({ served: 166, inZone: 90, external: 5, internal: 0 });
  });

  for (const name of caseNames('valid')) {
    it(name, () => {
      const r = compileCase('valid', name);
      expect(r.files).toBeDefined();
      expect(judge(r.files!, r.model!).problems).toEqual([]);
    });
  }

  it('fails when a record sends a served name elsewhere', () => {
    const r = compile(readInventoryDir(path.join(ROOT, 'inventory')), { serial: 1 });
    const files = r.files!.map((f) => (f.daemon === 'dns' ? { ...f, bytes: Buffer.from(f.bytes.toString().replace(/^(sonarr\.k3s-w1\.bolabaden\.org\.\s+IN A\s+)\S+/m, '$1203.0.113.99')) } : f));
    expect(judge(files, r.model!).problems).toEqual([expect.stringContaining('sonarr.k3s-w1.bolabaden.org resolves to 203.0.113.99')]);
  });
});
