import type { BackendInput, HealthInput, Inventory, ProxyInput, ServiceInput } from '../2-validate/inventory.js';
import { DEFAULTS } from '../2-validate/defaults.js';
import { parseDuration } from './duration.js';
import { insertSorted } from './order.js';
import type { Backend, Health, Model, Node, Proxy, Service, TcpEntry, Tier, Vip, Zone } from './types.js';
import { namePlan } from './names.js';
import { zoneData } from './zones.js';
import { buildMiddlewares, headerValues, pathRoute, serviceMiddlewares, upstreamOf } from './middlewares.js';

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedEntries = <T>(rec: Record<string, T>): [string, T][] => Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Phase 3: a validated inventory becomes the normalized model that the checks and every emitter
 * read (defaults applied, lists sorted, each entity with its origin), zone records included.
 * Nobody changes it afterwards.
 */
export function buildModel(inv: Inventory): Model {
  const base = build(inv);
  const model = { ...base, names: namePlan(base) };
  return { ...model, zoneData: model.zones.map((z) => zoneData(model, z)) };
}

/** The model without its zone data (which is derived from it). */
function build(inv: Inventory): Omit<Model, 'zoneData' | 'names'> {
  const p = inv.platform;
  const nodes: Node[] = sortedEntries(inv.nodes).map(([name, n]) => ({
    name,
    site: n.site,
    address: n.address,
    public: n.public ?? [],
    interface: n.interface,
    priority: n.priority ?? DEFAULTS.node.priority,
    roles: [...(n.roles ?? [])].sort(),
    drained: n.drain ?? false,
    origin: { path: ['nodes', name] },
  }));
  const nodeMap = new Map(nodes.map((n) => [n.name, n]));
  const node = (name: string): Node => {
    const n = nodeMap.get(name);
    if (!n) throw new Error(`internal: node ${name} was not validated`);
    return n;
  };
  // A drained node takes no new traffic: it is left out of every backend list and VIP (and the
  // DNS round robin), and stays a node (its own records, its daemons' files, Redis, Mongo and
  // Patroni membership: those groups move their primaries themselves).
  const inRotation = (bs: Backend[]): Backend[] => (bs.some((b) => b.node !== undefined && node(b.node).drained) ? bs.filter((b) => b.node === undefined || !node(b.node).drained) : bs);
  const defaults = p.defaults ?? {};
  // Services that set nothing share one Health and one Proxy (the model is never changed).
  const resolvedHealth = (h: HealthInput): Health => resolveHealth({ ...DEFAULTS.health, ...defaults.health, ...h });
  const resolvedProxy = (x: ProxyInput): Proxy => resolveProxy({ ...DEFAULTS.proxy, ...defaults.proxy, ...x });
  const defaultHealth = resolvedHealth({});
  const defaultProxy = resolvedProxy({});
  const health = (h: HealthInput | undefined): Health => (h === undefined ? defaultHealth : resolvedHealth(h));
  const proxy = (x: ProxyInput | undefined): Proxy => (x === undefined ? defaultProxy : resolvedProxy(x));
  const backend = (b: BackendInput, port: number, path: (string | number)[]): Backend => {
    if (typeof b === 'string' || b.node !== undefined) {
      const n = node(typeof b === 'string' ? b : b.node!);
      const bp = typeof b === 'string' ? port : (b.port ?? port);
      const backup = typeof b === 'string' ? false : (b.backup ?? false);
      return { key: n.name, node: n.name, site: n.site, address: n.address!, port: bp, backup, priority: n.priority, origin: { path } };
    }
    return { key: `${b.address}:${b.port}`, node: undefined, site: b.site!, address: b.address!, port: b.port!, backup: b.backup ?? false, priority: 0, origin: { path } };
  };

  const middlewares = buildMiddlewares(inv);
  const services: Service[] = sortedEntries(inv.services).map(([name, s]) => {
    const backends = orderBackends(inRotation(s.backends.map((b, i) => backend(b, s.port, ['services', name, 'backends', i]))), s.active);
    const balance = s.balance ?? defaults.balance ?? DEFAULTS.balance;
    return {
      name,
      port: s.port,
      health: health(s.health),
      proxy: proxy(s.proxy),
      balance,
      backends,
      tiers: tiersOf(backends, balance, s),
      hosts: s.hosts ? [`${name}.${p.domain}`, ...s.hosts] : [`${name}.${p.domain}`],
      local: s.local,
      active: s.active,
      middlewares: serviceMiddlewares(inv, s, middlewares),
      path: pathRoute(s),
      upstream: upstreamOf(s),
      sticky: s.sticky ? { cookie: s.sticky.cookie } : undefined,
      localFirst: s.active === undefined && (s.local_first ?? defaults.local_first ?? DEFAULTS.routing.local_first),
      reach: s.reach ?? defaults.reach ?? DEFAULTS.routing.reach,
      routerPriority: s.router_priority ?? defaults.router_priority ?? DEFAULTS.routing.router_priority,
      origin: { path: ['services', name] },
    };
  });

  const tcp: TcpEntry[] = sortedEntries(inv.tcp).map(([name, t]) => {
    const origin = { path: ['tcp', name] };
    const common = { name, port: t.port, localFirst: t.local_first ?? false, balance: t.balance ?? DEFAULTS.balance, sni: [...(t.sni ?? [])].sort(), origin };
    const members = (group: { nodes: string[] }, port: number, section: string, g: string) =>
      group.nodes.map((n, i) => backend(n, port, [section, g, 'nodes', i]));
    if (t.to?.redis !== undefined) {
      const g = inv.redis[t.to.redis]!;
      return { ...common, target: { kind: 'redis', group: t.to.redis }, backends: members(g, g.port ?? DEFAULTS.redis.port, 'redis', t.to.redis) };
    }
    if (t.to?.postgres !== undefined) {
      const g = inv.postgres[t.to.postgres]!;
      return { ...common, target: { kind: 'postgres', group: t.to.postgres }, backends: members(g, g.port ?? DEFAULTS.postgres.port, 'postgres', t.to.postgres) };
    }
    const port = t.backend_port ?? t.port;
    const backends = orderBackends(inRotation((t.backends ?? []).map((b, i) => backend(b, port, ['tcp', name, 'backends', i]))), undefined);
    return { ...common, target: { kind: 'plain' }, backends };
  });

  const vips: Vip[] = sortedEntries(inv.vips).map(([name, v]) => {
    const [ip, prefix] = v.address.split('/') as [string, string];
    return {
      name,
      cidr: v.address,
      ip,
      prefix: Number(prefix),
      nodes: v.nodes.filter((n) => !node(n).drained),
      routerId: v.router_id,
      track: [...(v.track ?? [])],
      ...(v.password ? { password: v.password.secret } : {}),
      advertInt: v.advert_int ?? DEFAULTS.vip.advert_int,
      origin: { path: ['vips', name] },
    };
  });

  const zones: Zone[] = sortedEntries(inv.dns.zones).map(([name, z]) => {
    const g = z.global;
    return {
      name,
      nameservers: [...z.nameservers],
      ttl: z.ttl ?? DEFAULTS.zone.ttl,
      ...(g?.vip !== undefined ? { global: { kind: 'vip' as const, vip: g.vip } } : {}),
      ...(g?.round_robin !== undefined ? { global: { kind: 'round_robin' as const, role: g.round_robin } } : {}),
      ...(g?.edge !== undefined ? { global: { kind: 'edge' as const, node: g.edge } } : {}),
      records: (z.records ?? []).map((r, i) => ({
        name: r.name,
        type: r.type,
        value: r.value,
        ...(r.ttl !== undefined ? { ttl: r.ttl } : {}),
        origin: { path: ['dns', 'zones', name, 'records', i] },
      })),
      origin: { path: ['dns', 'zones', name] },
    };
  });

  return {
    platform: {
      domain: p.domain,
      contact: p.contact,
      tls: p.tls ?? DEFAULTS.tls,
      survive: p.survive ?? 'none',
      upstream: { health: defaultHealth, proxy: defaultProxy, ...(p.defaults?.health !== undefined || p.defaults?.proxy !== undefined ? { origin: { path: ['platform', 'defaults'] } } : {}) },
      acme: {
        ...(p.acme?.ca !== undefined ? { ca: p.acme.ca } : {}),
        ...(p.acme?.ca_root !== undefined ? { caRoot: p.acme.ca_root } : {}),
        certsPerWeek: p.acme?.certs_per_week ?? DEFAULTS.acme.certs_per_week,
        ...(p.acme?.dns_resolver !== undefined ? { dnsResolver: p.acme.dns_resolver } : {}),
        wildcardCert: p.acme?.wildcard_cert ?? `/var/lib/lego/certificates/_.${p.domain}.crt`,
        wildcardKey: p.acme?.wildcard_key ?? `/var/lib/lego/certificates/_.${p.domain}.key`,
      },
      traefik: {
        entrypoint: p.traefik?.entrypoint ?? DEFAULTS.traefik.entrypoint,
        certResolver: p.traefik?.cert_resolver ?? DEFAULTS.traefik.cert_resolver,
      },
    },
    sites: sortedEntries(inv.sites).map(([name, s]) => ({
      name,
      ...(s?.description !== undefined ? { description: s.description } : {}),
      origin: { path: ['sites', name] },
    })),
    nodes,
    services,
    tcp,
    redis: sortedEntries(inv.redis).map(([name, r]) => {
      const n = r.nodes.length;
      return {
        name,
        nodes: [...r.nodes],
        port: r.port ?? DEFAULTS.redis.port,
        sentinelPort: r.sentinel_port ?? DEFAULTS.redis.sentinel_port,
        quorum: r.quorum ?? Math.floor(n / 2) + 1,
        downAfterMs: parseDuration(r.down_after ?? DEFAULTS.redis.down_after),
        failoverTimeoutMs: parseDuration(r.failover_timeout ?? DEFAULTS.redis.failover_timeout),
        parallelSyncs: r.parallel_syncs ?? DEFAULTS.redis.parallel_syncs,
        ...(r.password ? { password: r.password.secret } : {}),
        origin: { path: ['redis', name] },
      };
    }),
    mongo: sortedEntries(inv.mongo).map(([name, g]) => ({
      name,
      nodes: [...g.nodes],
      port: g.port ?? DEFAULTS.mongo.port,
      ...(g.srv !== undefined ? { srv: g.srv } : {}),
      ...(g.auth_source !== undefined ? { authSource: g.auth_source } : {}),
      origin: { path: ['mongo', name] },
    })),
    postgres: sortedEntries(inv.postgres).map(([name, g]) => ({
      name,
      nodes: [...g.nodes],
      port: g.port ?? DEFAULTS.postgres.port,
      patroniPort: g.patroni_port ?? DEFAULTS.postgres.patroni_port,
      origin: { path: ['postgres', name] },
    })),
    vips,
    middlewares,
    zones,
    node,
  };
}

/** Active first, then primaries before backups, each by node priority (highest first), then as listed. */
function orderBackends(backends: Backend[], active: string | undefined): Backend[] {
  const rank = (b: Backend): number => (active !== undefined && b.node === active ? 0 : 1);
  const before = (x: Backend, y: Backend): boolean => {
    if (rank(x) !== rank(y)) return rank(x) < rank(y);
    if (x.backup !== y.backup) return !x.backup;
    return x.priority > y.priority;
  };
  const out: Backend[] = [];
  for (const b of backends) insertSorted(out, b, before);
  return out.slice();
}

function tiersOf(backends: Backend[], balance: string, s: ServiceInput): Tier[] {
  if (balance === 'first') return backends.map((b) => tier('', [b]));
  const primaries = backends.filter((b) => !b.backup);
  const backups = backends.filter((b) => b.backup);
  const groups: Tier[] =
    s.active !== undefined
      ? [tier('', primaries.slice(0, 1)), tier('standby', primaries.slice(1))]
      : [tier('primary', primaries)];
  groups.push(tier('backup', backups));
  return groups.filter((t) => t.backends.length > 0);
}

/** A tier of one backend is named after it, so every file calls it the same. */
export function tier(id: string, backends: Backend[]): Tier {
  return { id: backends.length === 1 ? `at-${slug(backends[0]!.key)}` : id, backends: [...backends] };
}

export function slug(key: string): string {
  return key.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

function resolveHealth(h: HealthInput & typeof DEFAULTS.health): Health {
  return {
    path: h.path,
    port: h.port,
    intervalMs: parseDuration(h.interval),
    timeoutMs: parseDuration(h.timeout),
    fall: h.fall,
    rise: h.rise,
    headers: headerValues(h.headers),
    scheme: h.scheme,
    status: h.status,
  };
}

function resolveProxy(x: ProxyInput & typeof DEFAULTS.proxy): Proxy {
  return {
    tryDurationMs: parseDuration(x.try_duration),
    tryIntervalMs: parseDuration(x.try_interval),
    failDurationMs: parseDuration(x.fail_duration),
    dialTimeoutMs: parseDuration(x.dial_timeout),
    responseHeaderTimeoutMs: x.response_header_timeout !== undefined ? parseDuration(x.response_header_timeout) : undefined,
    readTimeoutMs: x.read_timeout !== undefined ? parseDuration(x.read_timeout) : undefined,
  };
}
