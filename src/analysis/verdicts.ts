import type { Model, MongoGroup, PostgresGroup, RedisGroup, Service, TcpEntry, Vip, Zone } from '../3-model/types.js';
import type { PlannedName } from '../3-model/names.js';
import type { InventoryPath } from '../diagnostics/types.js';
import { backendUp, majority, nodeUp, type Outage } from './outage.js';

/** Whether one thing is still served in an outage, and by what. */
export interface Verdict {
  kind: 'service' | 'name' | 'tcp' | 'redis' | 'mongo' | 'postgres' | 'vip' | 'zone' | 'edge';
  name: string;
  served: boolean;
  detail: string;
  /** For a service: the backends that get its traffic in this outage (the first tier with one up). */
  servedBy?: string[];
  path: InventoryPath;
}

const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : 'none');

export function serviceVerdict(model: Model, s: Service, o: Outage): Verdict {
  const up = s.tiers.map((t) => t.backends.filter((b) => backendUp(model, b, o)));
  const tier = up.findIndex((t) => t.length > 0);
  const served = tier >= 0;
  const detail = served
    ? `served by ${up[tier]!.map((b) => b.key).join(', ')}${tier > 0 ? ` (fallback: ${s.tiers[tier]!.id})` : ''}`
    : s.backends.length === 1 ? `its only backend ${s.backends[0]!.key} is down` : `no backend left (all of ${s.backends.map((b) => b.key).join(', ')} are down)`;
  return { kind: 'service', name: s.name, served, detail: served ? detail + paths(model, s, o) : detail, servedBy: served ? up[tier]!.map((b) => b.key) : [], path: ['services', s.name, 'backends'] };
}

/**
 * The paths besides the tiers (routing.ts): the ingress nodes still up that serve the global
 * names from their own instance first (local_first), and whether peers and the edge go through
 * each node's ingress (reach: ingress).
 */
function paths(model: Model, s: Service, o: Outage): string {
  let out = '';
  if (s.reach === 'ingress') out += `; reached through each node's ingress (${s.name}.<node>.${model.platform.domain})`;
  if (s.localFirst) {
    const local: string[] = [];
    for (const n of model.nodes) {
      if (!n.roles.includes('ingress') || !nodeUp(model, n.name, o) || local.includes(n.name)) continue;
      if (s.backends.some((b) => b.node === n.name && !b.backup)) local.push(n.name);
    }
    if (local.length > 0) out += `; local first on ${local.join(', ')}`;
  }
  return out;
}

/** The l4 nodes and the groups by name, found once per model (not per TCP entry and outage). */
const lookups = new WeakMap<Model, { l4: string[]; redis: Map<string, RedisGroup>; postgres: Map<string, PostgresGroup> }>();

function lookup(model: Model) {
  let l = lookups.get(model);
  if (!l) {
    l = {
      l4: model.nodes.filter((n) => n.roles.includes('l4')).map((n) => n.name),
      redis: new Map(model.redis.map((g) => [g.name, g])),
      postgres: new Map(model.postgres.map((g) => [g.name, g])),
    };
    lookups.set(model, l);
  }
  return l;
}

export function tcpVerdict(model: Model, t: TcpEntry, o: Outage): Verdict {
  const found = lookup(model);
  const proxies = found.l4.filter((n) => nodeUp(model, n, o));
  const path: InventoryPath = ['tcp', t.name];
  if (proxies.length === 0) return { kind: 'tcp', name: t.name, served: false, detail: 'no l4 node (HAProxy) left', path };
  const target = t.target;
  if (target.kind === 'redis') {
    const g = redisVerdict(model, found.redis.get(target.group)!, o);
    return { kind: 'tcp', name: t.name, served: g.served, detail: `via HAProxy on ${list(proxies)} to Redis ${g.name}: ${g.detail}`, path };
  }
  if (target.kind === 'postgres') {
    const g = quorumVerdict('postgres', model, found.postgres.get(target.group)!, o);
    return { kind: 'tcp', name: t.name, served: g.served, detail: `via HAProxy on ${list(proxies)} to Postgres ${g.name}: ${g.detail}`, path };
  }
  const up = t.backends.filter((b) => backendUp(model, b, o)).map((b) => b.key);
  const sni = t.sni.length > 0 ? ` (TLS by SNI ${t.sni.join(', ')} on port ${t.port})` : '';
  return { kind: 'tcp', name: t.name, served: up.length > 0, detail: up.length ? `via HAProxy on ${list(proxies)} to ${up.join(', ')}${sni}` : 'no backend left', path };
}

/** Whether any l4 node (HAProxy) is left to serve a TCP entry, whatever is behind it. */
export function frontVerdict(model: Model, name: string, o: Outage): Verdict {
  const up = lookup(model).l4.filter((n) => nodeUp(model, n, o));
  return { kind: 'tcp', name, served: up.length > 0, detail: up.length ? `HAProxy on ${list(up)}` : 'no l4 node (HAProxy) left', path: ['tcp', name] };
}

/** Sentinels run on the group's members; a failover needs max(quorum, majority) of them. */
export function redisVerdict(model: Model, g: RedisGroup, o: Outage): Verdict {
  const up = g.nodes.filter((n) => nodeUp(model, n, o));
  const need = Math.max(g.quorum, majority(g.nodes.length));
  const path: InventoryPath = ['redis', g.name, 'nodes'];
  const master = g.nodes[0]!;
  if (up.includes(master)) return { kind: 'redis', name: g.name, served: true, detail: `master ${master} stays up`, path };
  if (up.length === 0) return { kind: 'redis', name: g.name, served: false, detail: 'every member is down', path };
  if (up.length >= need) return { kind: 'redis', name: g.name, served: true, detail: `${up.length} of ${g.nodes.length} sentinels can elect a new master among ${list(up)}`, path };
  return { kind: 'redis', name: g.name, served: false, detail: `only ${up.length} of ${g.nodes.length} sentinels left, ${need} needed to fail over`, path };
}

export function quorumVerdict(kind: 'mongo' | 'postgres', model: Model, g: MongoGroup | PostgresGroup, o: Outage): Verdict {
  const up = g.nodes.filter((n) => nodeUp(model, n, o));
  const need = majority(g.nodes.length);
  const served = up.length >= need;
  const what = kind === 'mongo' ? 'a primary' : 'a Patroni leader';
  return {
    kind,
    name: g.name,
    served,
    detail: served ? `${up.length} of ${g.nodes.length} members can elect ${what} (${list(up)})` : `only ${up.length} of ${g.nodes.length} members left, ${need} needed for ${what}`,
    path: [kind, g.name, 'nodes'],
  };
}

export function vipVerdict(model: Model, v: Vip, o: Outage): Verdict {
  const holder = v.nodes.find((n) => nodeUp(model, n, o));
  return { kind: 'vip', name: v.name, served: holder !== undefined, detail: holder ? `held by ${holder}` : 'no member left to hold it', path: ['vips', v.name, 'nodes'] };
}

/** The nodes whose addresses a zone's global answer hands out. */
export function globalAnswerNodes(model: Model, z: Zone): string[] {
  const g = z.global;
  if (!g) return [];
  if (g.kind === 'vip') return [...(model.vips.find((v) => v.name === g.vip)?.nodes ?? [])];
  if (g.kind === 'edge') return [g.node];
  return model.nodes.filter((n) => n.roles.includes(g.role) && !n.drained).map((n) => n.name);
}

export function zoneVerdict(model: Model, z: Zone, o: Outage): Verdict | undefined {
  const g = z.global;
  if (!g) return undefined;
  const nodes = globalAnswerNodes(model, z);
  const up = nodes.filter((n) => nodeUp(model, n, o));
  const down = nodes.filter((n) => !up.includes(n));
  const path: InventoryPath = ['dns', 'zones', z.name, 'global'];
  if (g.kind === 'vip') {
    return { kind: 'zone', name: z.name, served: up.length > 0, detail: up.length ? `VIP ${g.vip} answers from ${up[0]}` : `VIP ${g.vip} has no member left`, path };
  }
  // DNS has no health checks: a round-robin answer keeps handing out the addresses of dead nodes.
  const detail = up.length === 0 ? `every answer (${list(nodes)}) is down` : down.length ? `answers from ${list(up)}; still hands out ${list(down)}, which are down` : `answers from ${list(up)}`;
  return { kind: 'zone', name: z.name, served: up.length > 0, detail, path };
}

export function edgeVerdict(model: Model, o: Outage): Verdict | undefined {
  const edges = model.nodes.filter((n) => n.roles.includes('edge'));
  if (edges.length === 0 || model.services.length === 0) return undefined;
  const up = edges.filter((n) => nodeUp(model, n.name, o)).map((n) => n.name);
  return { kind: 'edge', name: 'caddy', served: up.length > 0, detail: up.length ? `edge ${list(up)} up` : 'no edge node (Caddy) left', path: ['nodes', edges[0]!.name, 'roles'] };
}

const DAEMON = { caddy: 'Caddy', traefik: 'Traefik' } as const;

/**
 * The way in for every served name: its DNS answer reaches a live entry (an edge, the VIP's
 * holder, an ingress node, the node itself) running the daemon that serves it, and that daemon
 * reaches a live backend. One verdict per name, in name order (a name two daemons serve: the one
 * its answer reaches).
 */
export function nameVerdicts(model: Model, o: Outage): Verdict[] {
  const services = new Map(model.services.map((s) => [s.name, s]));
  const byName = new Map<string, PlannedName[]>();
  for (const p of model.names.names) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const out: Verdict[] = [];
  for (const name of [...byName.keys()].sort()) {
    // The plan whose entry has addresses wins (Traefik's own name on a node without any is internal).
    const plans = byName.get(name)!;
    const p = plans.find((x) => x.entry.addresses.length > 0) ?? plans[0]!;
    const path: InventoryPath = p.origin.path;
    const runs = (n: string): boolean => p.servers.includes(n);
    let entry: string | undefined;
    let lost = '';
    if (p.entry.kind === 'vip') {
      const holder = p.entry.nodes.find((n) => nodeUp(model, n, o));
      if (holder === undefined) lost = `${p.entry.describe} has no member left`;
      else if (!runs(holder)) lost = `${p.entry.describe} is held by ${holder}, which runs no ${DAEMON[p.daemon]}`;
      else entry = `${DAEMON[p.daemon]} on ${holder} (${p.entry.describe})`;
    } else {
      // An entry without public addresses is reached some other way (an overlay, split DNS): its serving nodes decide.
      const at = p.entry.nodes.length > 0 ? p.entry.nodes : p.servers;
      const up = at.filter((n) => nodeUp(model, n, o) && runs(n));
      if (up.length === 0) lost = at.length === 0 ? 'nothing serves it' : `${p.entry.nodes.length > 0 ? p.entry.describe : `${DAEMON[p.daemon]} on ${at.join(', ')}`} is down`;
      else entry = `${DAEMON[p.daemon]} on ${up.join(', ')}`;
    }
    const s = serviceVerdict(model, services.get(p.service)!, o);
    if (entry === undefined) out.push({ kind: 'name', name, served: false, detail: `no way in: ${lost}`, path });
    else out.push({ kind: 'name', name, served: s.served, detail: s.served ? `${entry}, ${s.detail}` : `${entry}, but ${s.detail}`, ...(s.served ? { servedBy: s.servedBy! } : {}), path });
  }
  return out;
}

/** A service is served when a backend is up and at least one of its names still has a way in. */
function withWayIn(model: Model, s: Service, o: Outage, names: readonly Verdict[]): Verdict {
  const v = serviceVerdict(model, s, o);
  const own = new Set(model.names.names.filter((p) => p.service === s.name).map((p) => p.name));
  if (!v.served || own.size === 0) return v;
  const mine = names.filter((n) => own.has(n.name));
  if (mine.some((n) => n.served)) return v;
  return { ...v, served: false, detail: `${v.detail}, but none of its names has a way in (${mine.map((n) => n.name).join(', ')})`, servedBy: [] };
}

/** Every verdict for one outage, in a stable order. */
export function verdicts(model: Model, o: Outage): Verdict[] {
  const names = nameVerdicts(model, o);
  return [
    ...model.services.map((s) => withWayIn(model, s, o, names)),
    ...names,
    ...model.tcp.map((t) => tcpVerdict(model, t, o)),
    ...model.redis.map((g) => redisVerdict(model, g, o)),
    ...model.mongo.map((g) => quorumVerdict('mongo', model, g, o)),
    ...model.postgres.map((g) => quorumVerdict('postgres', model, g, o)),
    ...model.vips.map((v) => vipVerdict(model, v, o)),
    ...model.zones.flatMap((z) => zoneVerdict(model, z, o) ?? []),
    ...(edgeVerdict(model, o) ? [edgeVerdict(model, o)!] : []),
  ];
}
