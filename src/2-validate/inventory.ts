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

export interface PlatformInput {
  domain: string;
  contact: string;
  tls?: TlsMode;
  traefik?: { entrypoint?: string; cert_resolver?: string };
  acme?: { ca?: string; ca_root?: string; certs_per_week?: number; dns_resolver?: string; wildcard_cert?: string; wildcard_key?: string };
  defaults?: { health?: HealthInput; proxy?: ProxyInput; balance?: Balance };
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

export interface ServiceInput {
  port: number;
  health?: HealthInput;
  proxy?: ProxyInput;
  balance?: Balance;
  backends: BackendInput[];
  hosts?: string[];
  local?: string;
  active?: string;
}

export interface TcpInput {
  port: number;
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
  dns: { zones: Record<string, ZoneInput> };
}
