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
import { useHarness, type Rec } from './support/harness.js';
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
afterAll(async () => {
  // Before the harness's own afterAll (hooks run in reverse order): the daemons svc.sh started.
  await stopDaemons(ship);
  await closeMasters(harness(), ship);
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
  const h = harness();
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
    return r.stdout.trim() === VIP ? r.stdout.trim() : undefined;
  }, 10_000, 200);
  expect(dig).toBe(VIP);
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
