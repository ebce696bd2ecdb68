/**
 * The name plan: every hostname a daemon serves, the way in that answers it (what its DNS answer
 * points at) and the daemon and nodes that serve it. The zones give each planned name inside them
 * its records (zones.ts), the checks verify that each name resolves to a node running the daemon
 * that serves it (4-check/rules/name-*.ts), the emitters serve exactly the planned names, and
 * what-if follows the same way in.
 *
 * The rule (README, "The name plan"):
 * - `<svc>.<domain>`, its extra hosts and an apex among them: the platform zone's `global` answer
 *   (a VIP, an edge node, a round robin over a role); without one, the edge nodes if there are any,
 *   else the ingress nodes. Only the daemon at that entry serves them: Caddy when the entry is an
 *   edge, Traefik when it is an ingress node (a daemon never asks a CA for a name DNS sends elsewhere).
 * - `<svc>.<node>.<domain>` on an ingress node: Traefik there serves it for every service, answered
 *   by the node itself (`*.<node>.<domain>`).
 * - `<svc>.<node>.<domain>` for a node the service runs on, with an edge in front: the edge serves it
 *   and the zone points the name at the edge, unless the node answers it itself (an ingress node with
 *   public addresses), in which case the edge does not serve it.
 */
import type { Model, Node, Origin, Service } from './types.js';

type Base = Omit<Model, 'zoneData' | 'names'>;

export type NameDaemon = 'caddy' | 'traefik';
export type NameKind = 'global' | 'extra' | 'apex' | 'node';

/** What a name's DNS answer points at. */
export interface Entry {
  kind: 'vip' | 'edge' | 'round-robin' | 'node';
  /** `VIP ingress`, `edge node vps`, `node n1`: for messages and comments. */
  describe: string;
  /** The addresses the answer hands out (sorted as the zone writes them). */
  addresses: string[];
  /** The nodes that receive what is sent to those addresses (a VIP's members in priority order). */
  nodes: string[];
  vip?: string;
}

export interface PlannedName {
  /** Lowercase, without the trailing dot. */
  name: string;
  kind: NameKind;
  service: string;
  /** For `<svc>.<node>.<domain>`: the node. */
  node?: string;
  daemon: NameDaemon;
  /** The nodes whose daemon serves the name (every edge, or the ingress nodes concerned). */
  servers: string[];
  entry: Entry;
  /** The managed zone holding the name; undefined: outside every zone (set it at the registrar). */
  zone?: string;
  origin: Origin;
}

export interface CertCount {
  daemon: NameDaemon;
  node: string;
  /** Certificates the daemon will request: one per name for Caddy, one per router for Traefik. */
  count: number;
}

export interface NamePlan {
  names: PlannedName[];
  /** The daemon that serves the global names and extra hosts, and the entry answering them. */
  global: { daemon: NameDaemon; entry: Entry } | undefined;
  /** Node-scoped names served by the edge: `<svc> <node>` → true. */
  edgeNodeNames: Set<string>;
  certs: CertCount[];
}

const sortedUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

const publicOf = (nodes: readonly Node[]): string[] => nodes.flatMap((n) => n.public);

/** The managed zone a name falls in: the longest zone name that is a suffix of it. */
export function zoneOf(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const z of zones) if ((name === z || name.endsWith(`.${z}`)) && (best === undefined || z.length > best.length)) best = z;
  return best;
}

/** The entry of the global names: the platform zone's `global`, else the edges, else the ingress nodes. */
function globalEntry(model: Base): { daemon: NameDaemon; entry: Entry } | undefined {
  const edges = model.nodes.filter((n) => n.roles.includes('edge') && !n.drained);
  const ingress = model.nodes.filter((n) => n.roles.includes('ingress') && !n.drained);
  const zone = model.zones.find((z) => z.name === model.platform.domain);
  const g = zone?.global;
  const daemonOf = (nodes: readonly Node[]): NameDaemon | undefined =>
    nodes.some((n) => n.roles.includes('ingress')) ? 'traefik' : nodes.some((n) => n.roles.includes('edge')) ? 'caddy' : undefined;
  const fallback: NameDaemon | undefined = model.nodes.some((n) => n.roles.includes('edge')) ? 'caddy' : model.nodes.some((n) => n.roles.includes('ingress')) ? 'traefik' : undefined;
  if (g?.kind === 'vip') {
    const vip = model.vips.find((v) => v.name === g.vip);
    const members = (vip?.nodes ?? []).map((n) => model.node(n));
    const daemon = daemonOf(members) ?? fallback;
    return daemon && { daemon, entry: { kind: 'vip', describe: `VIP ${g.vip}`, addresses: vip ? [vip.ip] : [], nodes: members.map((n) => n.name), vip: g.vip } };
  }
  if (g?.kind === 'edge') {
    const node = model.node(g.node);
    const daemon = daemonOf([node]) ?? fallback;
    return daemon && { daemon, entry: { kind: 'edge', describe: `edge node ${g.node}`, addresses: [...node.public], nodes: [node.name] } };
  }
  if (g?.kind === 'round_robin') {
    const nodes = model.nodes.filter((n) => n.roles.includes(g.role) && n.public.length > 0 && !n.drained);
    const daemon = daemonOf(nodes) ?? fallback;
    return daemon && { daemon, entry: { kind: 'round-robin', describe: `round robin over role ${g.role}`, addresses: publicOf(nodes), nodes: nodes.map((n) => n.name) } };
  }
  if (edges.length > 0) {
    const withAddress = edges.filter((n) => n.public.length > 0);
    return { daemon: 'caddy', entry: { kind: 'edge', describe: edges.length === 1 ? `edge node ${edges[0]!.name}` : `edge nodes ${edges.map((n) => n.name).join(', ')}`, addresses: publicOf(withAddress), nodes: withAddress.map((n) => n.name) } };
  }
  if (ingress.length > 0) {
    const withAddress = ingress.filter((n) => n.public.length > 0);
    return { daemon: 'traefik', entry: { kind: 'round-robin', describe: 'round robin over role ingress', addresses: publicOf(withAddress), nodes: withAddress.map((n) => n.name) } };
  }
  return undefined;
}

/** Does a node answer `<svc>.<node>.<domain>` itself: Traefik runs there and the node has public addresses. */
export const answersItself = (node: Node): boolean => node.roles.includes('ingress') && node.public.length > 0;

/** The managed nodes a service runs on, in name order. */
function nodesOfService(s: Service): string[] {
  return sortedUnique(s.backends.flatMap((b) => (b.node !== undefined ? [b.node] : [])));
}

export function namePlan(model: Base): NamePlan {
  const domain = model.platform.domain;
  const zoneNames = model.zones.map((z) => z.name);
  const edges = model.nodes.filter((n) => n.roles.includes('edge'));
  const ingress = model.nodes.filter((n) => n.roles.includes('ingress'));
  const g = globalEntry(model);
  const names: PlannedName[] = [];
  const edgeNodeNames = new Set<string>();
  const liveEdges = edges.filter((n) => !n.drained && n.public.length > 0);
  const edgeEntry: Entry = {
    kind: 'edge',
    describe: liveEdges.length === 1 ? `edge node ${liveEdges[0]!.name}` : `edge nodes ${liveEdges.map((n) => n.name).join(', ')}`,
    addresses: publicOf(liveEdges),
    nodes: liveEdges.map((n) => n.name),
  };
  const servers = (d: NameDaemon): string[] => (d === 'caddy' ? edges : ingress).map((n) => n.name);
  for (const s of model.services) {
    if (g) {
      for (let i = 0; i < s.hosts.length; i++) {
        const name = s.hosts[i]!.toLowerCase();
        const zone = zoneOf(name, zoneNames);
        const kind: NameKind = i === 0 ? 'global' : zone === name ? 'apex' : 'extra';
        const origin = i === 0 ? s.origin : { path: [...s.origin.path, 'hosts', i - 1] };
        names.push({ name, kind, service: s.name, daemon: g.daemon, servers: servers(g.daemon), entry: g.entry, ...(zone !== undefined ? { zone } : {}), origin });
      }
    }
    for (const n of ingress) {
      const name = `${s.name}.${n.name}.${domain}`;
      const zone = zoneOf(name, zoneNames);
      const entry: Entry = { kind: 'node', describe: `node ${n.name}`, addresses: [...n.public], nodes: n.public.length > 0 ? [n.name] : [] };
      names.push({ name, kind: 'node', service: s.name, node: n.name, daemon: 'traefik', servers: [n.name], entry, ...(zone !== undefined ? { zone } : {}), origin: s.origin });
    }
    if (edges.length > 0) {
      for (const nodeName of nodesOfService(s)) {
        const node = model.node(nodeName);
        if (answersItself(node)) continue;
        edgeNodeNames.add(`${s.name} ${nodeName}`);
        const name = `${s.name}.${nodeName}.${domain}`;
        const zone = zoneOf(name, zoneNames);
        names.push({ name, kind: 'node', service: s.name, node: nodeName, daemon: 'caddy', servers: edges.map((e) => e.name), entry: edgeEntry, ...(zone !== undefined ? { zone } : {}), origin: s.origin });
      }
    }
  }
  return { names, global: g, edgeNodeNames, certs: certCounts(model, names, g) };
}

/**
 * Certificates per daemon instance. `tls: acme`: Caddy one per name, Traefik one per router (a
 * global router's extra hosts are SANs of its certificate). `tls: wildcard`: one per instance, and
 * Caddy one more per name its wildcard does not cover. `internal` and `off` ask no CA.
 */
function certCounts(model: Base, names: readonly PlannedName[], g: NamePlan['global']): CertCount[] {
  const out: CertCount[] = [];
  const tls = model.platform.tls;
  if (tls !== 'acme' && tls !== 'wildcard') return out;
  const edgeNodes = new Set(names.filter((p) => p.daemon === 'caddy' && p.kind === 'node').map((p) => p.node!));
  const domain = model.platform.domain;
  const caddyCovered = (name: string): boolean => {
    const first = name.indexOf('.');
    const rest = name.slice(first + 1);
    return name === domain || rest === domain || (rest.endsWith(`.${domain}`) && edgeNodes.has(rest.slice(0, -domain.length - 1)));
  };
  for (const n of model.nodes) {
    if (n.roles.includes('edge')) {
      const mine = names.filter((p) => p.daemon === 'caddy');
      // A block with a name the wildcard does not cover keeps a certificate per name, for all of its names.
      const uncovered = new Set(mine.filter((p) => p.kind !== 'node' && !caddyCovered(p.name)).map((p) => p.service));
      const own = mine.filter((p) => p.kind !== 'node' && uncovered.has(p.service)).length;
      const count = tls === 'acme' ? mine.length : (mine.length > own ? 1 : 0) + own;
      out.push({ daemon: 'caddy', node: n.name, count });
    }
    if (n.roles.includes('ingress')) {
      const routers = names.filter((p) => p.daemon === 'traefik' && (p.kind === 'global' || (p.kind === 'node' && p.node === n.name))).length;
      out.push({ daemon: 'traefik', node: n.name, count: tls === 'wildcard' ? (routers > 0 ? 1 : 0) : g?.daemon === 'traefik' || routers > 0 ? routers : 0 });
    }
  }
  return out;
}

/** Is `<svc>.<node>.<domain>` served by the edge? */
export const edgeServesNodeName = (plan: NamePlan, service: string, node: string): boolean => plan.edgeNodeNames.has(`${service} ${node}`);

export interface ExternalName {
  name: string;
  addresses: string[];
  daemon: string;
  origin: Origin;
}

/** The served names no managed zone holds and whose entry has addresses to point at, in name order. */
export function externalNames(names: readonly PlannedName[]): ExternalName[] {
  const out = new Map<string, ExternalName>();
  for (const p of names) {
    if (p.zone !== undefined || p.entry.addresses.length === 0 || out.has(p.name)) continue;
    out.set(p.name, { name: p.name, addresses: [...p.entry.addresses].sort(), daemon: p.daemon, origin: p.origin });
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `tls: wildcard`: the names of the one certificate a daemon uses: the domain, `*.<domain>` and
 * `*.<node>.<domain>` for the nodes whose names it serves (Traefik: also the extra hosts outside
 * those, as SANs). `covers` says whether a name is one of them (a wildcard covers one label).
 */
export function wildcardNames(model: Pick<Model, 'platform' | 'nodes' | 'services'> & { names: NamePlan }, daemon: NameDaemon): { main: string; sans: string[]; covers: (name: string) => boolean } {
  const domain = model.platform.domain;
  const nodes =
    daemon === 'caddy'
      ? sortedUnique([...model.names.edgeNodeNames].map((k) => k.split(' ')[1]!))
      : model.nodes.filter((n) => n.roles.includes('ingress')).map((n) => n.name);
  const wild = [domain, ...nodes.map((n) => `${n}.${domain}`)];
  const covers = (name: string): boolean => name === domain || wild.some((w) => name.endsWith(`.${w}`) && !name.slice(0, -w.length - 1).includes('.'));
  const extra = daemon === 'traefik' && model.names.global?.daemon === 'traefik' ? sortedUnique(model.services.flatMap((s) => s.hosts.slice(1)).filter((h) => !covers(h))) : [];
  return { main: domain, sans: [...wild.map((w) => `*.${w}`), ...extra], covers };
}
