// Random inventories for property tests: every section, every feature, small sizes. Built to be
// valid by construction; the tests keep those the compiler accepts (and count them).
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { InputFile } from '../../src/index.js';

type Obj = Record<string, unknown>;

const DOMAIN = 'prop.example.org';

export const inventory: fc.Arbitrary<InputFile[]> = fc
  .record({
    tls: fc.constantFrom('acme', 'internal', 'off'),
    sites: fc.integer({ min: 1, max: 3 }),
    nodes: fc.integer({ min: 2, max: 7 }),
    roles: fc.array(fc.subarray(['edge', 'ingress', 'l4']), { minLength: 7, maxLength: 7 }),
    publicNodes: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    priorities: fc.array(fc.constantFrom(0, 0, 5, 10), { minLength: 7, maxLength: 7 }),
    services: fc.array(
      fc.record({
        backends: fc.uniqueArray(fc.nat({ max: 6 }), { minLength: 1, maxLength: 3 }),
        backup: fc.boolean(),
        manual: fc.boolean(),
        active: fc.boolean(),
        balance: fc.constantFrom(undefined, 'round_robin', 'least_conn', 'first', 'random'),
        host: fc.boolean(),
        local: fc.boolean(),
        health: fc.constantFrom(undefined, { path: '/health' }, { path: '/status?full=1', interval: '5s', timeout: '2s', fall: 2, rise: 1 }),
        proxy: fc.constantFrom(undefined, { read_timeout: '30s' }, { try_duration: '10s', response_header_timeout: '5s' }),
        routing: fc.constantFrom(undefined, 'local_first', 'reach', 'priority'),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    tcp: fc.array(fc.record({ backends: fc.uniqueArray(fc.nat({ max: 6 }), { minLength: 1, maxLength: 3 }), toRedis: fc.boolean(), sni: fc.boolean() }), { maxLength: 3 }),
    redis: fc.option(fc.record({ members: fc.uniqueArray(fc.nat({ max: 6 }), { minLength: 1, maxLength: 3 }), password: fc.boolean() }), { nil: undefined }),
    mongo: fc.option(fc.record({ members: fc.constantFrom([0], [0, 1, 2], [1, 2, 3]), srv: fc.boolean() }), { nil: undefined }),
    vip: fc.option(fc.record({ members: fc.uniqueArray(fc.nat({ max: 6 }), { minLength: 1, maxLength: 2 }), password: fc.boolean() }), { nil: undefined }),
    zone: fc.option(fc.record({ global: fc.constantFrom('vip', 'edge', 'round_robin', 'none'), txt: fc.boolean() }), { nil: undefined }),
    split: fc.boolean(),
  })
  .map((r) => {
    const n = r.nodes;
    const node = (i: number): string => `n${i % n}`;
    const site = (i: number): string => `s${i % r.sites}`;
    const vipMembers = r.vip ? [...new Set(r.vip.members.map((i) => i % n))] : [];
    const mongoMembers: number[] = r.mongo ? (n >= 4 ? [...r.mongo.members] : [0]) : [];
    const srv = !!r.mongo?.srv && !!r.zone;
    const nodes: Obj = {};
    // A platform where no node serves anything compiles to nothing but the manifest (role l4
    // serves nothing without a tcp entry): then give n0 a role that does.
    const serves = (roles: readonly string[]) => roles.includes('edge') || roles.includes('ingress') || (roles.includes('l4') && r.tcp.length > 0);
    const anyRole = r.roles.slice(0, n).some(serves);
    const rolesOf = (i: number): string[] => (i === 0 && !anyRole ? [...r.roles[i]!, 'ingress'] : r.roles[i]!);
    for (let i = 0; i < n; i++) {
      const roles = rolesOf(i);
      const isPublic = r.publicNodes[i]! || (srv && mongoMembers.includes(i));
      nodes[node(i)] = {
        site: site(i),
        address: `10.9.0.${i + 1}`,
        ...(isPublic ? { public: [`198.51.100.${i + 1}`] } : {}),
        ...(vipMembers.includes(i) || i % 2 === 0 ? { interface: 'eth0' } : {}),
        ...(r.priorities[i] ? { priority: r.priorities[i] } : {}),
        ...(roles.length ? { roles } : {}),
      };
    }
    const services: Obj = {};
    const hasRole = (name: string, role: string): boolean => (((nodes[name] as Obj).roles as string[] | undefined) ?? []).includes(role);
    r.services.forEach((s, k) => {
      const names = [...new Set(s.backends.map((i) => node(i)))];
      const backends: unknown[] = names.map((b, j) => (s.backup && j === names.length - 1 && names.length > 1 ? { node: b, backup: true } : b));
      if (s.manual) backends.push({ address: `192.0.2.${k + 10}`, port: 8080, site: site(k) });
      services[`svc-${k}`] = {
        port: 8000 + k,
        backends,
        ...(s.active && names.length > 1 && !(s.backup && names.length > 1 && names.length === 1) ? { active: names[0] } : {}),
        ...(s.balance ? { balance: s.balance } : {}),
        ...(s.host ? { hosts: [`svc-${k}.apps.example.net`] } : {}),
        ...(s.local ? { local: `http://svc-${k}:80` } : {}),
        ...(s.health ? { health: s.health } : {}),
        ...(s.proxy ? { proxy: s.proxy } : {}),
        // Traffic between nodes, where the service can have it: reach: ingress needs every backend on an ingress node.
        ...(s.routing === 'local_first' && !s.active ? { local_first: true } : {}),
        ...(s.routing === 'reach' && !s.manual && r.tls !== 'internal' && names.every((b) => hasRole(b, 'ingress')) ? { reach: 'ingress' } : {}),
        ...(s.routing === 'priority' ? { router_priority: k === 0 ? 0 : 500 * k } : {}),
      };
    });
    const redis = r.redis ? { cache: { nodes: [...new Set(r.redis.members.map(node))], ...(r.redis.password ? { password: { secret: 'REDIS_PASSWORD' } } : {}) } } : undefined;
    const tcp: Obj = {};
    r.tcp.forEach((t, k) => {
      const plain = { check: 'tcp', backends: [...new Set(t.backends.map(node))] };
      // Entries routed by SNI share one port, each with a name of its own.
      tcp[`tcp-${k}`] = t.toRedis && redis ? { port: 16379 + k, to: { redis: 'cache' } } : t.sni ? { port: 20443, sni: [`tcp-${k}.sni.example.net`], ...plain } : { port: 20000 + k, ...plain };
    });
    const inv: Obj = {
      platform: { domain: DOMAIN, contact: `hostmaster@${DOMAIN}`, tls: r.tls },
      sites: Object.fromEntries(Array.from({ length: r.sites }, (_, i) => [site(i), i === 0 ? { description: 'first site' } : {}])),
      nodes,
      services,
      ...(r.tcp.length ? { tcp } : {}),
      ...(redis ? { redis } : {}),
      ...(r.mongo ? { mongo: { rs0: { nodes: mongoMembers.map(node), ...(srv ? { srv: 'mongo' } : {}) } } } : {}),
      ...(vipMembers.length
        ? { vips: { front: { address: '203.0.113.50/24', nodes: vipMembers.map(node), router_id: 51, track: ['haproxy'], ...(r.vip!.password ? { password: { secret: 'VRRP_PASSWORD' } } : {}) } } }
        : {}),
    };
    if (r.zone) {
      const edge = Object.entries(nodes).find(([, v]) => ((v as Obj).roles as string[] | undefined)?.includes('edge') && (v as Obj).public)?.[0];
      const global =
        r.zone.global === 'vip' && vipMembers.some((i) => rolesOf(i).includes('ingress') || rolesOf(i).includes('edge')) ? { vip: 'front' } : r.zone.global === 'edge' && edge ? { edge } : r.zone.global === 'round_robin' && edge ? { round_robin: 'edge' } : undefined;
      inv.dns = {
        zones: {
          [DOMAIN]: {
            nameservers: ['ns1.example.net', 'ns2.example.net'],
            ttl: 300,
            ...(global ? { global } : {}),
            records: [{ name: 'www', type: 'CNAME', value: `svc-0.${DOMAIN}.` }, ...(r.zone.txt ? [{ name: '@', type: 'TXT', value: 'v=spf1 -all' }] : [])],
          },
        },
      };
    }
    // One file, or a file per section.
    if (!r.split) return [{ path: 'inventory/inventory.yaml', text: stringify(inv) }];
    return Object.entries(inv).map(([section, value]) => ({ path: `inventory/${section}.yaml`, text: stringify({ [section]: value }) }));
  });
