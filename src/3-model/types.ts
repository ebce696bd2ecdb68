import type { InventoryPath } from '../diagnostics/types.js';
import type { Balance, Reach, Role, TlsMode } from '../2-validate/inventory.js';

export type { Balance, Reach, Role, TlsMode } from '../2-validate/inventory.js';

import type { NamePlan } from './names.js';
import type { ZoneData } from './zones.js';

/** Where an entity was defined: a path in the merged inventory, placed by the Locator on demand. */
export interface Origin {
  path: InventoryPath;
}

export interface Health {
  path: string;
  /** Check port when it differs from the backend's port. */
  port?: number;
  intervalMs: number;
  timeoutMs: number;
  fall: number;
  rise: number;
  /** Request headers of the check, in name order. */
  headers: HeaderValue[];
  scheme?: 'http' | 'https';
  /** The one status that means healthy; undefined: any 2xx. */
  status?: number;
}

/** A header and its value: a literal, or the name of a secret read at run time. */
export interface HeaderValue {
  name: string;
  value?: string;
  secret?: string;
}

export interface Proxy {
  tryDurationMs: number;
  tryIntervalMs: number;
  failDurationMs: number;
  dialTimeoutMs: number;
  responseHeaderTimeoutMs?: number;
  readTimeoutMs?: number;
}

export interface Platform {
  domain: string;
  contact: string;
  tls: TlsMode;
  traefik: { entrypoint: string; certResolver: string };
  /** The ACME CA: its directory and root when not Let's Encrypt, and its weekly limit per registered domain. */
  acme: { ca?: string; caRoot?: string; certsPerWeek: number; dnsResolver?: string; wildcardCert: string; wildcardKey: string };
  /** What the platform must survive; single points of failure at that level are errors. */
  survive: 'none' | 'node' | 'site';
  /** The health and proxy settings of services that set none of their own (one object each: they share them). */
  upstream: { health: Health; proxy: Proxy; origin?: Origin };
}

export interface Site {
  name: string;
  description?: string;
  origin: Origin;
}

export interface Node {
  name: string;
  site: string;
  address?: string;
  public: string[];
  interface?: string;
  /** Higher comes first wherever order matters. */
  priority: number;
  roles: Role[];
  /** Takes no new traffic: the builder left it out of backends, VIPs and DNS answers. */
  drained: boolean;
  origin: Origin;
}

/** One place a service or TCP entry sends traffic to. */
export interface Backend {
  /** Stable id: the node name, or `<address>:<port>` for a backend on no managed node. */
  key: string;
  node?: string;
  site: string;
  address: string;
  port: number;
  backup: boolean;
  priority: number;
  origin: Origin;
}

/**
 * Backends tried in order: traffic goes to the first tier with a healthy member, balanced
 * within it. `first` gives one backend per tier; active/standby gives [active], [standby...].
 */
export interface Tier {
  /** `primary`, `standby`, `backup`, or `at-<key>` for a single backend. */
  id: string;
  backends: Backend[];
}

export type { Middleware, MiddlewareKind, MiddlewareUse, PathRoute, Upstream } from './middlewares.js';
import type { Middleware, MiddlewareUse, PathRoute, Upstream } from './middlewares.js';

export interface Service {
  name: string;
  port: number;
  health: Health;
  proxy: Proxy;
  balance: Balance;
  /** All backends, in priority order (active first, primaries by node priority, backups last). */
  backends: Backend[];
  tiers: Tier[];
  /** `<svc>.<domain>` then the extra hosts. */
  hosts: string[];
  local?: string;
  active?: string;
  /** Middlewares in the order they run (the service's list, else the platform's default list). */
  middlewares: MiddlewareUse[];
  /** Served only under this path prefix on every name of the service. */
  path?: PathRoute;
  /** How the proxies reach the backends when not plain HTTP with the client's Host. */
  upstream?: Upstream;
  sticky?: { cookie: string };
  /** Ingress nodes that run a primary instance send `<svc>.<domain>` to it first (never with `active`). */
  localFirst: boolean;
  /** How other nodes and the edge reach an instance: its address, or `<svc>.<node>.<domain>` through its node's ingress. */
  reach: Reach;
  /** Traefik priority of the service's routers (0: Traefik's rule length). */
  routerPriority: number;
  origin: Origin;
}

export type TcpTarget = { kind: 'redis'; group: string } | { kind: 'postgres'; group: string } | { kind: 'plain' };

export interface TcpEntry {
  name: string;
  port: number;
  target: TcpTarget;
  /** For plain entries: the listed backends; for redis/postgres: the group's members. */
  backends: Backend[];
  localFirst: boolean;
  balance: Balance;
  /** TLS passthrough by SNI: the names whose connections go to this entry (sorted); empty for a port of its own. */
  sni: string[];
  origin: Origin;
}

export interface RedisGroup {
  name: string;
  /** Members; the first is the initial master. */
  nodes: string[];
  port: number;
  sentinelPort: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  /** Secret name of the password. */
  password?: string;
  origin: Origin;
}

export interface MongoGroup {
  name: string;
  nodes: string[];
  port: number;
  srv?: string;
  authSource?: string;
  origin: Origin;
}

export interface PostgresGroup {
  name: string;
  nodes: string[];
  port: number;
  patroniPort: number;
  origin: Origin;
}

export interface Vip {
  name: string;
  /** `203.0.113.100/24` as written. */
  cidr: string;
  ip: string;
  prefix: number;
  /** In priority order: the first holds the VIP while healthy. */
  nodes: string[];
  routerId: number;
  track: string[];
  password?: string;
  advertInt: number;
  origin: Origin;
}

export interface ZoneRecord {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'SRV' | 'CAA' | 'NS';
  value: string;
  ttl?: number;
  origin: Origin;
}

export type GlobalAnswer = { kind: 'vip'; vip: string } | { kind: 'round_robin'; role: Role } | { kind: 'edge'; node: string };

export interface Zone {
  name: string;
  nameservers: string[];
  ttl: number;
  global?: GlobalAnswer;
  records: ZoneRecord[];
  origin: Origin;
}

/** The normalized inventory: defaults applied, every list sorted, every entity with its origin. */
export interface Model {
  platform: Platform;
  sites: Site[];
  nodes: Node[];
  services: Service[];
  tcp: TcpEntry[];
  redis: RedisGroup[];
  mongo: MongoGroup[];
  postgres: PostgresGroup[];
  vips: Vip[];
  /** Every middleware of `middlewares:`, in name order. */
  middlewares: Middleware[];
  zones: Zone[];
  /** What each zone of `zones` holds, in the same order: the records the DNS checks judge and the emitter writes. */
  zoneData: ZoneData[];
  /** Every hostname a daemon serves, the entry answering it and the certificates asked for (names.ts). */
  names: NamePlan;
  /** Lookup by name; every reference in the model resolves (phase 2 made sure). */
  node(name: string): Node;
}
