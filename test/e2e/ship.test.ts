// Shipping with the real ansible-playbook (deploy/ansible): every node of test/e2e/ship-inventory/
// is a target reached over SSH in its own network namespace, and the real daemons run from the
// files the role installed (support/ship.ts, support/svc.sh). In order:
//   1. a missing secret fails the play before anything changes, printing no value;
//   2. the first run installs everything and the daemons serve; a second run changes nothing;
//   3. zero downtime: an inventory change shipped while 50 requests/s go through the edge's Caddy
//      and 20 connections/s through HAProxy on the VIP;
//   4. a hand-broken file is refused by validate:, the live file and the daemon stay as they were;
//   5. after a Sentinel failover a new run leaves sentinel.conf and the redis.conf block alone.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { now, secs } from './support/figures.js';
import { useHarness, type Harness, type Rec } from './support/harness.js';
import { CLIENT } from './support/netns.js';
import { sleep, waitFor } from './support/procs.js';
import { buildOut, closeMasters, runPlaybook, SHIP_INVENTORY_DIR, startTargets, stopDaemons, vaultSecrets, writeAnsibleInventory, type PlayResult, type Ship } from './support/ship.js';
import { execFileSync } from 'node:child_process';

const SECRETS = { REDIS_CACHE_PASSWORD: 'e2e-redis-Pw.7', VRRP_FRONT_PASSWORD: 'vrrpE2e9' };
const VIP = '198.18.1.100';
const DNS_PRIMARY = 'edge1';
const RATE = 50;
const TCP_INTERVAL_MS = 50;
const CLIENT_TIMEOUT_MS = 10_000;

const harness = useHarness('ship', SHIP_INVENTORY_DIR);
let ship: Ship | undefined;
let hh: Harness | undefined;
afterAll(async () => {
  // Before the harness's own afterAll (hooks run in reverse order): the daemons svc.sh started.
  await stopDaemons(ship);
  if (hh) await closeMasters(hh, ship);
});

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
/** Every file under a node's tree (but its pidfiles, logs and the overlay's own dirs) with its sha256. */
function snapshot(tree: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(tree, p);
      if (['run', 'log', '.etc-upper', '.etc-work', 'home'].includes(rel)) continue;
      if (e.isDirectory()) walk(p);
      else out[rel] = sha(p);
    }
  };
  walk(tree);
  return out;
}
const played = (r: PlayResult): string => `ansible-playbook exit ${r.code} in ${secs(r.ms)}\n${r.output.split('\n').slice(-60).join('\n')}`;
const vipHolder = (h: ReturnType<typeof harness>): string[] =>
  ['a1', 'a2'].filter((n) => execFileSync('ip', ['-n', h.net.ns(n), '-o', '-4', 'addr', 'show'], { encoding: 'utf8' }).includes(` ${VIP}/`));

let inventory = '';
let vault: [string, string] = ['', ''];
let out = '';

test('a missing secret fails the play before anything changes, and no value is printed', async () => {
  const h = (hh = harness());
  ship = await startTargets(h, ['edge1', 'a1', 'a2', 'b1', 'b2']);
  // What a node has before the role runs: Redis's main file, named's config.
  for (const n of ['a2', 'b1', 'b2']) {
    const t = ship.target(n);
    writeFileSync(h.dir(`nodes/${n}/etc/redis`) + '/redis.conf', `# the node's own redis.conf\ndaemonize no\ndir ${h.dir(`nodes/${n}/var/lib/redis`)}\nlogfile ""\n`);
    void t;
  }
  const edge = ship.target(DNS_PRIMARY);
  writeFileSync(
    path.join(h.dir(`nodes/${DNS_PRIMARY}/etc/bind`), 'named.conf'),
    `options { directory "${h.dir(`nodes/${DNS_PRIMARY}/var/cache/bind`)}"; pid-file none; listen-on port 53 { ${edge.address}; }; listen-on-v6 { none; }; recursion no; };\n` +
      `controls { };\nzone "e2e.test" { type primary; file "${edge.tree}/var/lib/bind/e2e.test.zone"; };\n`,
  );
  out = path.join(h.root, 'out-1');
  buildOut(SHIP_INVENTORY_DIR, out, 1);
  inventory = writeAnsibleInventory(h, ship, DNS_PRIMARY);

  const before = ship.targets.map((t) => snapshot(t.tree));
  const partial = vaultSecrets(h, 'partial', { REDIS_CACHE_PASSWORD: SECRETS.REDIS_CACHE_PASSWORD });
  const r = await runPlaybook(h, inventory, out, partial);
  console.log(`ship missing-secret: ansible-playbook exit ${r.code} in ${secs(r.ms)}, changed ${JSON.stringify(r.changed)}`);
  expect(r.code, played(r)).not.toBe(0);
  expect(r.output).toMatch(/a1: no value for secret\(s\) VRRP_FRONT_PASSWORD/);
  expect(r.output).toMatch(/a2: no value for secret\(s\) VRRP_FRONT_PASSWORD/);
  expect(r.output).not.toContain(SECRETS.REDIS_CACHE_PASSWORD);
  expect(Object.values(r.changed).every((c) => c === 0), `changed counts ${JSON.stringify(r.changed)}`).toBe(true);
  expect(ship.targets.map((t) => snapshot(t.tree))).toEqual(before);
});

test('first run installs everything and the daemons serve; a second run changes nothing', async () => {
  const h = harness();
  if (!ship) throw new Error('no targets');
  vault = vaultSecrets(h, 'secrets', SECRETS);
  for (const n of ['a1', 'a2', 'b1', 'b2']) h.backend(n, [`http:${h.compiled.model.node(n).address}:8080`, `tcp:${h.compiled.model.node(n).address}:7001`]);

  const first = await runPlaybook(h, inventory, out, vault);
  expect(first.code, played(first)).toBe(0);
  expect(first.output).not.toContain(SECRETS.REDIS_CACHE_PASSWORD);
  expect(first.output).not.toContain(SECRETS.VRRP_FRONT_PASSWORD);

  const edge = h.compiled.model.node('edge1').address!;
  await h.wait('wait-caddy', ['wait-http', `http://${edge}/`, 'web.e2e.test', 'a1', '15000'], 15_000);
  await h.wait('wait-haproxy', ['wait-tcp', `${h.compiled.model.node('a1').address}:7000`, 'a1', '15000'], 15_000);
  await h.wait('wait-vip', ['wait-tcp', `${VIP}:7000`, 'a1', '15000'], 15_000);
  const cli = async (name: string, host: string, port: number, args: string[]): Promise<string> =>
    (await h.procs.run(name, 'redis-cli', ['-h', host, '-p', String(port), '--no-auth-warning', '--raw', ...args], { ns: CLIENT, timeoutMs: 5000 })).stdout.trim();
  const master = h.compiled.model.node('a2').address!;
  await waitFor('two replicas online', async () => ((await cli('info', master, 6379, ['-a', SECRETS.REDIS_CACHE_PASSWORD, 'INFO', 'replication'])).match(/state=online/g)?.length === 2 ? true : undefined), 20_000, 250);
  await waitFor('three Sentinels agreeing', async () => ((await cli('ckquorum', master, 26379, ['SENTINEL', 'CKQUORUM', 'cache'])).startsWith('OK 3 usable') ? true : undefined), 20_000, 250);
  await h.wait('wait-redis-via-haproxy', ['wait-tcp', `${h.compiled.model.node('a1').address}:16379`, '', '10000'], 10_000).catch(() => undefined);
  const dig = await waitFor('named to answer', async () => {
    const r = await h.procs.run('dig', 'dig', ['+short', '+time=1', '+tries=1', `@${edge}`, 'web.e2e.test', 'A'], { ns: CLIENT, timeoutMs: 5000 });
    return r.stdout.trim() === edge ? r.stdout.trim() : undefined;
  }, 10_000, 200);
  // The zone sends web.e2e.test to the edge, whose Caddy serves it.
  expect(dig).toBe(edge);
  // Secrets: written, 0600, and what the daemons read (Redis answered with the password above).
  const secretDir = path.join(ship.target('a2').tree, 'etc/hacompile/secrets');
  expect(readdirSync(secretDir).sort()).toEqual(['REDIS_CACHE_PASSWORD.redis.conf', 'REDIS_CACHE_PASSWORD.sentinel-cache.conf', 'VRRP_FRONT_PASSWORD.keepalived', 'haproxy.env']);
  for (const f of readdirSync(secretDir)) expect((statSync(path.join(secretDir, f)).mode & 0o777).toString(8), f).toBe('600');
  for (const n of ['a2', 'b1', 'b2']) expect(readFileSync(path.join(ship.target(n).tree, 'etc/redis/redis.conf'), 'utf8').match(/^# BEGIN hacompile redis cache$/gm)?.length, n).toBe(1);

  const second = await runPlaybook(h, inventory, out, vault);
  console.log(`ship first-run: ${secs(first.ms)} changed ${JSON.stringify(first.changed)}; second run: ${secs(second.ms)} changed ${JSON.stringify(second.changed)}`);
  expect(second.code, played(second)).toBe(0);
  expect(second.changed).toEqual(Object.fromEntries(ship.targets.map((t) => [t.node, 0])));
});

const pidOf = (node: string, daemon: string): number => Number(readFileSync(path.join(ship!.target(node).tree, 'run', `${daemon}.pid`), 'utf8').trim());
const isReset = (r: Rec): boolean => !r.ok && /RESET|hang up|closed without data|aborted|EPIPE/i.test(r.err ?? '');
let out2 = '';

test('zero downtime: a backend added, one removed and a health interval changed are shipped under load', async () => {
  const h = harness();
  if (!ship) throw new Error('no targets');
  // The change, in a copy of the inventory.
  const inv2 = path.join(h.root, 'inventory-2');
  cpSync(SHIP_INVENTORY_DIR, inv2, { recursive: true });
  const edit = (file: string, from: string, to: string): void => {
    const text = readFileSync(path.join(inv2, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
    writeFileSync(path.join(inv2, file), text.replace(from, to));
  };
  edit('services.yaml', 'backends: [a1, b1]', 'backends: [a2, b1]'); // web: a2 added, a1 (serving) removed
  edit('services.yaml', 'backends: [a1, a2, b1]', 'backends: [a2, b1, b2]'); // echo: b2 added, a1 (serving) removed
  edit('platform.yaml', 'interval: 1s', 'interval: 2s'); // every health check
  // A second VIP on the same pair: keepalived reloads, front's own settings do not change.
  appendFileSync(path.join(inv2, 'vips.yaml'), '  back:\n    address: 198.18.1.101/24\n    nodes: [a1, a2]\n    router_id: 52\n    advert_int: 1\n    password: { secret: VRRP_FRONT_PASSWORD }\n');
  out2 = path.join(h.root, 'out-2');
  buildOut(inv2, out2, 2);

  const pids = { caddy: pidOf('edge1', 'caddy'), haproxy: pidOf('a1', 'haproxy'), keepalived: pidOf('a1', 'keepalived'), named: pidOf('edge1', 'dns') };
  const traefik = path.join(ship.target('b2').tree, 'etc/traefik/dynamic/hacompile.yaml');
  const traefikInode = statSync(traefik).ino;
  expect(vipHolder(h)).toEqual(['a1']);

  const stop = path.join(h.root, 'stop-streams');
  process.env.E2E_STOP_FILE = stop;
  const edge = h.compiled.model.node('edge1').address!;
  const cap = 180_000;
  const web = h.client('ship-http', ['http-stream', `http://${edge}/`, 'web.e2e.test', String(RATE), String(cap), String(CLIENT_TIMEOUT_MS)], cap + 20_000);
  const tcp = h.client('ship-tcp', ['tcp-stream', `${VIP}:7000`, String(TCP_INTERVAL_MS), String(cap), String(CLIENT_TIMEOUT_MS)], cap + 20_000);
  delete process.env.E2E_STOP_FILE;
  const holders: { t: number; on: string[] }[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      holders.push({ t: now(), on: vipHolder(h) });
      await sleep(200);
    }
  })();
  await sleep(3000);
  const shipAt = now();
  const r = await runPlaybook(h, inventory, out2, vault);
  const shippedAt = now();
  // Until the new settings serve (a2 for web, not a1 for echo), then 3 s more.
  await h.wait('wait-web-a2', ['wait-http', `http://${edge}/`, 'web.e2e.test', 'a2', '15000'], 15_000).catch(() => undefined);
  await sleep(3000);
  writeFileSync(stop, '');
  const [httpRecs, tcpRecs] = await Promise.all([web, tcp]);
  polling = false;
  await poller;

  const figures = (recs: Rec[]) => ({
    sent: recs.length,
    failed: recs.filter((x) => !x.ok).length,
    reset: recs.filter(isReset).length,
    slowest: Math.max(...recs.map((x) => x.e - x.s)),
  });
  const fh = figures(httpRecs);
  const ft = figures(tcpRecs);
  const moved = holders.some((x) => x.on.length !== 1 || x.on[0] !== 'a1');
  const lastWeb = httpRecs.filter((x) => x.ok).sort((x, y) => x.s - y.s).at(-1)?.body;
  const lastEcho = tcpRecs.filter((x) => x.ok).sort((x, y) => x.s - y.s).at(-1)?.body;
  console.log(
    `ship zero-downtime: playbook ${secs(shippedAt - shipAt)} changed ${JSON.stringify(r.changed)}; caddy requests sent=${fh.sent} failed=${fh.failed} reset=${fh.reset} slowest=${secs(fh.slowest)};` +
      ` haproxy connections sent=${ft.sent} failed=${ft.failed} reset=${ft.reset} slowest=${secs(ft.slowest)}; vip_moved=${moved ? 'yes' : 'no'} (${holders.length} samples); web now ${lastWeb}, echo now ${lastEcho}`,
  );
  const failures = [...httpRecs, ...tcpRecs].filter((x) => !x.ok).slice(0, 10).map((x) => `  ${((x.s - shipAt) / 1000).toFixed(2)}s from the ship: ${x.err}`);
  if (failures.length > 0) console.log(`ship zero-downtime failures:\n${failures.join('\n')}`);
  expect(r.code, played(r)).toBe(0);
  for (const n of ['edge1', 'a1', 'a2', 'b1', 'b2']) expect(r.changed[n], n).toBeGreaterThan(0);
  expect(fh.sent).toBeGreaterThan(RATE * ((shippedAt - shipAt) / 1000) * 0.9);
  expect(ft.sent).toBeGreaterThan((1000 / TCP_INTERVAL_MS) * ((shippedAt - shipAt) / 1000) * 0.9);
  expect(fh.failed, 'requests through Caddy that failed').toBe(0);
  expect(ft.failed, 'connections through HAProxy that failed').toBe(0);
  expect(fh.reset + ft.reset).toBe(0);
  expect(moved, `VIP holders seen: ${JSON.stringify([...new Set(holders.map((x) => x.on.join('+')))])}`).toBe(false);
  // The change took effect, through reloads (same PIDs), not restarts.
  expect(lastWeb).toBe('a2');
  expect(['a2', 'b1', 'b2']).toContain(lastEcho);
  expect(pidOf('edge1', 'caddy')).toBe(pids.caddy);
  expect(pidOf('a1', 'haproxy')).toBe(pids.haproxy);
  expect(pidOf('a1', 'keepalived')).toBe(pids.keepalived);
  await h.wait('wait-vip-back', ['wait-tcp', '198.18.1.101:7000', '', '10000'], 10_000);
  const dig = await h.procs.run('dig-soa', 'dig', ['+short', `@${edge}`, 'e2e.test', 'SOA'], { ns: CLIENT, timeoutMs: 5000 });
  expect(dig.stdout.split(' ')[2], 'zone serial after the reload').toBe('2');
  expect(pidOf('edge1', 'dns')).toBe(pids.named);
  // Traefik's file was replaced by a rename (a new inode), never rewritten in place.
  expect(statSync(traefik).ino).not.toBe(traefikInode);
  expect(sha(traefik)).toBe(sha(path.join(out2, 'nodes/b2/traefik/hacompile.yaml')));
});

test('a hand-broken file is refused by validate:, the live file stays and the daemon keeps serving', async () => {
  const h = harness();
  if (!ship) throw new Error('no targets');
  const out3 = path.join(h.root, 'out-3');
  cpSync(out2, out3, { recursive: true });
  const rel = 'nodes/a1/haproxy/haproxy.cfg';
  appendFileSync(path.join(out3, rel), 'frontend hand_edited\n    bind :7999\n    mode tcp\n    default_backend nowhere\n');
  const live = path.join(ship.target('a1').tree, 'etc/haproxy/haproxy.cfg');
  const before = sha(live);
  const master = pidOf('a1', 'haproxy');
  const r = await runPlaybook(h, inventory, out3, vault);
  console.log(`ship broken-file: ansible-playbook exit ${r.code} in ${secs(r.ms)}, failed ${JSON.stringify(r.failed)}, changed ${JSON.stringify(r.changed)}`);
  expect(r.code, played(r)).not.toBe(0);
  expect(r.output).toMatch(/failed: \[a1\] \(item=nodes\/a1\/haproxy\/haproxy\.cfg ->[^\n]*\n?[^\n]*failed to validate/);
  expect(r.failed).toEqual({ a1: 1, a2: 0, b1: 0, b2: 0, edge1: 0 });
  expect(sha(live), 'the live haproxy.cfg').toBe(before);
  expect(pidOf('a1', 'haproxy')).toBe(master);
  await h.wait('wait-haproxy-still', ['wait-tcp', `${h.compiled.model.node('a1').address}:7000`, '', '5000'], 5_000);
});

test('after a Sentinel failover, a new run leaves sentinel.conf and the redis.conf block alone', async () => {
  const h = harness();
  if (!ship) throw new Error('no targets');
  const addr = (n: string): string => h.compiled.model.node(n).address!;
  const cli = async (name: string, host: string, port: number, args: string[]): Promise<string> =>
    (await h.procs.run(name, 'redis-cli', ['-h', host, '-p', String(port), '--no-auth-warning', '--raw', ...args], { ns: CLIENT, timeoutMs: 5000 })).stdout.trim();
  const masterOf = async (): Promise<string> => (await cli('get-master', addr('b1'), 26379, ['SENTINEL', 'get-master-addr-by-name', 'cache'])).split('\n')[0] ?? '';
  expect(await masterOf()).toBe(addr('a2'));
  process.kill(pidOf('a2', 'redis'), 'SIGKILL');
  const killedAt = now();
  const elected = await waitFor('a new master', async () => {
    const m = await masterOf();
    return m && m !== addr('a2') ? m : undefined;
  }, 30_000, 250);
  const node = ['b1', 'b2'].find((n) => addr(n) === elected)!;
  const mainConf = (n: string): string => readFileSync(path.join(ship!.target(n).tree, 'etc/redis/redis.conf'), 'utf8');
  const sentinelConf = (n: string): string => readFileSync(path.join(ship!.target(n).tree, 'var/lib/redis/sentinel-cache.conf'), 'utf8');
  // Redis saved the promotion in its main file (CONFIG REWRITE edits the block), the Sentinels theirs.
  await waitFor('the new master to drop its replicaof', () => (!/^replicaof /m.test(mainConf(node)) ? true : undefined), 15_000, 200);
  await waitFor('every Sentinel file to name the new master', () => (['a2', 'b1', 'b2'].every((n) => sentinelConf(n).includes(`sentinel monitor cache ${elected} 6379 2`)) ? true : undefined), 15_000, 200);
  const failoverMs = now() - killedAt;

  const r = await runPlaybook(h, inventory, out2, vault);
  console.log(`ship after-failover: new master ${node} after ${secs(failoverMs)}; ansible-playbook exit ${r.code} in ${secs(r.ms)}, changed ${JSON.stringify(r.changed)}`);
  expect(r.code, played(r)).toBe(0);
  expect(Object.values(r.changed).every((c) => c === 0), `changed ${JSON.stringify(r.changed)}`).toBe(true);
  for (const n of ['a2', 'b1', 'b2']) {
    expect(sentinelConf(n), `${n}'s live sentinel.conf`).toContain(`sentinel monitor cache ${elected} 6379 2`);
    expect(mainConf(n).match(/^# BEGIN hacompile redis cache$/gm)?.length, `${n}: blocks in redis.conf`).toBe(1);
  }
  expect(mainConf(node)).not.toMatch(/^replicaof /m);
  expect(await masterOf()).toBe(elected);
});
