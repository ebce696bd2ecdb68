/** The inventory's shape once the schema has accepted it (the merged files, before defaults). */

export interface SecretRef {
  secret: string;
}

export interface HealthInput {
  path?: string;
  port?: number;
  interval?: string;
  timeout?: string;
  fall?: number;
  rise?: number;
  headers?: Record<string, HeaderValueInput>;
  scheme?: 'http' | 'https';
  status?: number;
}

/** A header value: a literal, or a secret read at run time. */
export type HeaderValueInput = string | SecretRef;

export interface MiddlewareInput {
  forward_auth?: { url: string; copy_headers?: string[] };
  basic_auth?: { users: Record<string, SecretRef> };
  headers?: { request?: Record<string, HeaderValueInput>; response?: Record<string, HeaderValueInput> };
  redirect?: { to: string; status?: 301 | 302; keep_path?: boolean };
  strip_prefix?: { prefix: string };
  add_prefix?: { prefix: string };
  ip_allow?: { ranges: string[] };
  compress?: Record<string, never>;
  rate_limit?: { average: number; burst?: number; period?: string };
}

export interface ProxyInput {
  try_duration?: string;
  try_interval?: string;
  fail_duration?: string;
  dial_timeout?: string;
  response_header_timeout?: string;
  read_timeout?: string;
}

export type Balance = 'round_robin' | 'least_conn' | 'first' | 'random';
export type Role = 'edge' | 'ingress' | 'l4';
export type TlsMode = 'acme' | 'wildcard' | 'internal' | 'off';
/** How other nodes and the edge reach a service's instances: at their address, or through their node's ingress. */
export type Reach = 'address' | 'ingress';

/** Routing settings a service may set and the platform's `defaults:` may give every service. */
export interface RoutingInput {
  local_first?: boolean;
  reach?: Reach;
  router_priority?: number;
}

export interface PlatformInput {
  domain: string;
  contact: string;
  tls?: TlsMode;
  traefik?: { entrypoint?: string; cert_resolver?: string };
  acme?: { ca?: string; ca_root?: string; certs_per_week?: number; dns_resolver?: string; wildcard_cert?: string; wildcard_key?: string };
  defaults?: { health?: HealthInput; proxy?: ProxyInput; balance?: Balance; middlewares?: string[] } & RoutingInput;
  survive?: 'none' | 'node' | 'site';
}

export interface SiteInput {
  description?: string;
}

export interface NodeInput {
  site: string;
  address?: string;
  public?: string[];
  interface?: string;
  priority?: number;
  roles?: Role[];
  description?: string;
  drain?: boolean;
}

export type BackendInput =
  | string
  | { node: string; port?: number; backup?: boolean; address?: undefined; site?: undefined }
  | { address: string; port: number; site: string; backup?: boolean; node?: undefined };

export interface ServiceInput extends RoutingInput {
  port: number;
  health?: HealthInput;
  proxy?: ProxyInput;
  balance?: Balance;
  backends: BackendInput[];
  hosts?: string[];
  local?: string;
  active?: string;
  middlewares?: string[];
  path?: { prefix: string; strip?: boolean };
  upstream?: { scheme?: 'http' | 'https'; server_name?: string; ca?: string; insecure_skip_verify?: boolean; host?: string };
  sticky?: { cookie: string };
}

export interface TcpInput {
  port: number;
  sni?: string[];
  to?: { redis?: string; postgres?: string };
  check?: 'tcp';
  backends?: BackendInput[];
  backend_port?: number;
  local_first?: boolean;
  balance?: Balance;
}

export interface RedisInput {
  nodes: string[];
  port?: number;
  sentinel_port?: number;
  quorum?: number;
  down_after?: string;
  failover_timeout?: string;
  parallel_syncs?: number;
  password?: SecretRef;
}

export interface MongoInput {
  nodes: string[];
  port?: number;
  srv?: string;
  auth_source?: string;
}

export interface PostgresInput {
  nodes: string[];
  port?: number;
  patroni_port?: number;
}

export interface VipInput {
  address: string;
  nodes: string[];
  router_id: number;
  track?: string[];
  password?: SecretRef;
  advert_int?: number;
}

export interface RecordInput {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'SRV' | 'CAA' | 'NS';
  value: string;
  ttl?: number;
}

export interface ZoneInput {
  nameservers: string[];
  ttl?: number;
  global?: { vip?: string; round_robin?: Role; edge?: string };
  records?: RecordInput[];
}

export interface Inventory {
  platform: PlatformInput;
  sites: Record<string, SiteInput | null>;
  nodes: Record<string, NodeInput>;
  services: Record<string, ServiceInput>;
  tcp: Record<string, TcpInput>;
  redis: Record<string, RedisInput>;
  mongo: Record<string, MongoInput>;
  postgres: Record<string, PostgresInput>;
  vips: Record<string, VipInput>;
  middlewares: Record<string, MiddlewareInput>;
  dns: { zones: Record<string, ZoneInput> };
}
