import type { HealthInput, ProxyInput } from './inventory.js';

/** Every default of the inventory, in one place (README lists them). */
export const DEFAULTS = {
  tls: 'acme',
  acme: { certs_per_week: 50 },
  traefik: { entrypoint: 'websecure', cert_resolver: 'le' },
  balance: 'round_robin',
  /**
   * Traefik's Docker provider gives each router the length of its rule as priority (a 156-character
   * rule: 156); 10,000 is above any rule a label holds, far below the range Traefik keeps for its
   * internal routers (README: Router priority).
   */
  routing: { local_first: false, reach: 'address', router_priority: 10_000 },
  health: { path: '/', interval: '10s', timeout: '3s', fall: 3, rise: 2 } satisfies Required<Omit<HealthInput, 'port' | 'headers' | 'scheme' | 'status'>>,
  proxy: { try_duration: '5s', try_interval: '250ms', fail_duration: '10s', dial_timeout: '2s' } satisfies ProxyInput,
  node: { priority: 0 },
  redis: { port: 6379, sentinel_port: 26379, down_after: '5s', failover_timeout: '60s', parallel_syncs: 1 },
  mongo: { port: 27017 },
  postgres: { port: 5432, patroni_port: 8008 },
  vip: { advert_int: 1 },
  zone: { ttl: 300 },
} as const;
