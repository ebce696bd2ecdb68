// Synthetic inventories for the benchmark and the scale tests: one shape, scaled by the number of
// services. At 10,000 services: 1,000 nodes across 50 sites (2 edge, 10 ingress, 10 l4, the rest
// workers), 3 backends per service on three sites, 200 TCP entries (half to Redis), 100 Redis
// groups, 50 Mongo replica sets, 20 VIPs on the ingress nodes, one zone. Deterministic: the same
// size always gives the same bytes.
//
//   node bench/generate.mjs 10000 /tmp/inv     # writes the files under /tmp/inv

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const pad = (n, w) => String(n).padStart(w, '0');

/**
 * The shape at a given size. Every count scales with `services` (10,000 is the reference) and
 * keeps a small floor, so the 100-service inventory still has every feature.
 */
export function shape(services) {
  const f = services / 10_000;
  const at = (full, min) => Math.max(min, Math.round(full * f));
  return {
    services,
    nodes: at(1000, 12),
    sites: at(50, 3),
    edge: 2,
    ingress: at(10, 2),
    l4: at(10, 2),
    tcp: at(200, 2),
    redis: at(100, 1),
    mongo: at(50, 1),
    vips: at(20, 1),
    zones: 1,
    /** How many files the services are spread over (as a team would split them). */
    serviceFiles: at(6, 1),
  };
}

/**
 * The inventory as `{ path, text }` files (paths `inventory/...`), deterministic for a size.
 * @param {number} services
 * @returns {{ path: string, text: string }[]}
 */
export function generateInventory(services) {
  const s = shape(services);
  const domain = 'bench.example.org';
  const w = Math.max(4, String(s.nodes).length);
  const sw = Math.max(5, String(services).length);
  const site = (i) => `site-${pad(i, 2)}`;
  const files = [];
  const file = (name, lines) => files.push({ path: `inventory/${name}`, text: lines.join('\n') + '\n' });

  // Nodes: edge first, then ingress, l4, workers; node i lives on site i mod sites, so any three
  // consecutive nodes are on three sites.
  const nodes = [];
  for (let i = 0; i < s.nodes; i++) {
    const role = i < s.edge ? 'edge' : i < s.edge + s.ingress ? 'ingress' : i < s.edge + s.ingress + s.l4 ? 'l4' : 'worker';
    const name = role === 'worker' ? `node-${pad(i, w)}` : `${role}-${pad(i, 2)}`;
    nodes.push({ i, name, role, site: site(i % s.sites), address: `10.${(i >> 8) & 255}.${i & 255}.${1 + (i >> 16)}` });
  }
  const workers = nodes.filter((n) => n.role === 'worker');
  const siteOf = new Map(nodes.map((n) => [n.name, n.site]));
  const ingress = nodes.filter((n) => n.role === 'ingress');
  const edges = nodes.filter((n) => n.role === 'edge');
  // Stateful groups on disjoint workers (three sites each) where there are enough of them.
  // Workers in triples (3m, 3m+1, 3m+2): three consecutive nodes, so three sites.
  const triples = Math.floor(workers.length / 3);
  const triple = (t) => [0, 1, 2].map((k) => workers[(t % triples) * 3 + k].name);
  const group = (g, offset) => triple(offset + g);
  // mongodb+srv clients connect to <node>.<domain>: Mongo members get public (IPv6) addresses.
  const mongoMembers = new Set();
  for (let g = 0; g < s.mongo; g++) for (const n of group(g, s.redis)) mongoMembers.add(n);

  file('platform.yaml', [
    '# yaml-language-server: $schema=../schema/inventory.schema.json',
    `# Synthetic inventory: ${services} services on ${s.nodes} nodes across ${s.sites} sites.`,
    'platform:',
    `  domain: ${domain}`,
    `  contact: hostmaster@${domain}`,
    '  tls: acme',
    '  traefik: { entrypoint: websecure, cert_resolver: le }',
    '  defaults:',
    '    health: { path: /health, interval: 10s, timeout: 3s, fall: 3, rise: 2 }',
    '    proxy: { try_duration: 5s, try_interval: 250ms, fail_duration: 10s, dial_timeout: 1s }',
  ]);

  const siteLines = ['sites:'];
  for (let i = 0; i < s.sites; i++) siteLines.push(i % 2 === 0 ? `  ${site(i)}: { description: "Rack ${i}, room ${i % 7}" }` : `  ${site(i)}: {}`);
  file('sites.yaml', siteLines);

  const nodeLines = ['nodes:'];
  for (const n of nodes) {
    nodeLines.push(`  ${n.name}:`, `    site: ${n.site}`, `    address: ${n.address}          # overlay`);
    if (n.role === 'edge') nodeLines.push(`    public: [198.51.100.${n.i + 1}]`, '    roles: [edge]');
    if (n.role === 'ingress') nodeLines.push(`    public: [192.0.2.${n.i + 1}]`, '    interface: eth0', `    priority: ${n.i % 3 === 0 ? 10 : 0}`, '    roles: [ingress]');
    if (n.role === 'l4') nodeLines.push('    roles: [l4]');
    if (mongoMembers.has(n.name)) nodeLines.push(`    public: ["2001:db8:1::${n.i.toString(16)}"]`);
    if (n.role === 'worker' && n.i % 10 === 0) nodeLines.push('    priority: 5');
    if (n.role === 'worker' && n.i % 4 === 0) nodeLines.push(`    description: "worker ${n.i}, ${n.site}"`);
  }
  file('nodes.yaml', nodeLines);

  // Services: three backends on consecutive workers (three sites), with every feature sprinkled in.
  const per = Math.ceil(services / s.serviceFiles);
  for (let f = 0; f < s.serviceFiles; f++) {
    const lines = ['services:'];
    for (let i = f * per; i < Math.min(services, (f + 1) * per); i++) {
      const name = `svc-${pad(i, sw)}`;
      const b = triple(i);
      // One service in four also runs on an ingress node (Traefik then tries it there first),
      // when that node is on a fourth site.
      const onIngress = ingress[i % ingress.length];
      if (i % 4 === 1 && !b.some((n) => siteOf.get(n) === onIngress.site)) b[2] = onIngress.name;
      lines.push(`  ${name}:`, `    port: ${8000 + (i % 1000)}`);
      if (i % 5 === 0) lines.push('    backends:', `      - ${b[0]}`, `      - ${b[1]}`, `      - { node: ${b[2]}, backup: true }`);
      else if (i % 17 === 0) lines.push(`    backends: [${b[0]}, ${b[1]}, { address: 172.16.${(i >> 8) & 255}.${i & 255}, port: 8080, site: ${site(i % s.sites)} }]`);
      else lines.push(`    backends: [${b.join(', ')}]`);
      if (i % 7 === 0 && i % 5 !== 0) lines.push(`    active: ${b[0]}`);
      if (i % 11 === 0) lines.push('    balance: least_conn');
      else if (i % 23 === 0) lines.push('    balance: first');
      if (i % 10 === 3) lines.push(`    hosts: [${name}.apps.example.net]`);
      if (i % 13 === 0) lines.push(`    local: http://${name}:80`);
      if (i % 9 === 0) lines.push('    health: { path: /status, interval: 5s }');
      if (i % 19 === 0) lines.push('    proxy:', '      read_timeout: 30s', '      response_header_timeout: 10s');
    }
    file(`services/services-${pad(f + 1, 2)}.yaml`, lines);
  }

  const redisLines = ['redis:'];
  for (let g = 0; g < s.redis; g++) {
    redisLines.push(`  cache-${pad(g, 3)}:`, `    nodes: [${group(g, 0).join(', ')}]`, '    port: 6379', '    sentinel_port: 26379', '    down_after: 5s');
    if (g % 2 === 0) redisLines.push(`    password: { secret: REDIS_CACHE_${pad(g, 3)}_PASSWORD }`);
  }
  file('redis.yaml', redisLines);

  const mongoLines = ['mongo:'];
  for (let g = 0; g < s.mongo; g++) mongoLines.push(`  rs-${pad(g, 3)}:`, `    nodes: [${group(g, s.redis).join(', ')}]`, '    port: 27017', `    srv: mongo-${pad(g, 3)}`);
  file('mongo.yaml', mongoLines);

  // TCP: the first half follows Redis masters, the rest are plain ports with three backends.
  const tcpLines = ['tcp:'];
  for (let t = 0; t < s.tcp; t++) {
    tcpLines.push(`  tcp-${pad(t, 4)}:`, `    port: ${20000 + t}`);
    if (t < s.tcp / 2 && t < s.redis) tcpLines.push(`    to: { redis: cache-${pad(t, 3)} }`);
    else tcpLines.push('    check: tcp', `    backends: [${group(t, 7).join(', ')}]`, ...(t % 3 === 0 ? ['    balance: least_conn'] : []));
  }
  file('tcp.yaml', tcpLines);

  // VIPs on pairs of ingress nodes (two sites), tracked by Traefik.
  const vipLines = ['vips:'];
  for (let v = 0; v < s.vips; v++) {
    const a = ingress[v % ingress.length];
    const b = ingress[(v + 1) % ingress.length];
    vipLines.push(`  vip-${pad(v, 2)}:`, `    address: 203.0.113.${v + 1}/24`, `    nodes: [${a.name}, ${b.name}]`, `    router_id: ${v + 1}`, '    track: [traefik]');
    if (v % 2 === 0) vipLines.push(`    password: { secret: VRRP_${pad(v, 2)}_PASSWORD }`);
  }
  file('vips.yaml', vipLines);

  file('dns.yaml', [
    'dns:',
    '  zones:',
    `    ${domain}:`,
    `      nameservers: [${edges.map((e) => `${e.name}.${domain}`).join(', ')}]`,
    '      ttl: 300',
    '      global: { vip: vip-00 }',
    '      records:',
    `        - { name: www, type: CNAME, value: svc-${pad(0, sw)}.${domain}. }`,
    `        - { name: "@", type: MX, value: "10 mail.example.net." }`,
  ]);
  return files;
}

/** Writes the inventory under `dir` (replacing it). */
export function writeInventory(services, dir) {
  rmSync(dir, { recursive: true, force: true });
  for (const f of generateInventory(services)) {
    const p = path.join(dir, f.path.replace(/^inventory\//, ''));
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000);
  const dir = process.argv[3] ?? `/tmp/hacompile-bench-${n}`;
  writeInventory(n, dir);
  console.log(`${n} services written to ${dir}`);
}
