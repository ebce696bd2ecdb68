// The rsync path (deploy/rsync/ship.sh) on one node, a2 (HAProxy, keepalived, Redis, Sentinel),
// reached over SSH in its network namespace as in ship.test.ts: a missing secret stops it before
// anything is copied; it installs and starts; it never copies sentinel.conf over a live one nor adds
// the redis.conf block twice (after both daemons rewrote their files); it reloads HAProxy (same
// master) for a changed file, and refuses a broken one leaving the live file.
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { secs } from './support/figures.js';
import { useHarness, type Harness } from './support/harness.js';
import { CLIENT } from './support/netns.js';
import { waitFor } from './support/procs.js';
import { buildOut, reloadVars, RSYNC_SCRIPT, SHIP_INVENTORY_DIR, startTargets, stopDaemons, type Ship } from './support/ship.js';

const SECRETS = { REDIS_CACHE_PASSWORD: 'e2e-rsync-Pw.3', VRRP_FRONT_PASSWORD: 'rsyncE2e' };
const NODE = 'a2';
const harness = useHarness('rsync', SHIP_INVENTORY_DIR);
let ship: Ship | undefined;
afterAll(async () => {
  await stopDaemons(ship);
});
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function shipNode(h: Harness, out: string, secrets: Record<string, string>): Promise<{ code: number | string; output: string; ms: number }> {
  const t = ship!.target(NODE);
  const env: NodeJS.ProcessEnv = { ...process.env, ...secrets, HACOMPILE_PREFIX: t.tree, HACOMPILE_SSH: `ssh ${ship!.sshArgs.join(' ')}` };
  for (const [k, v] of Object.entries(reloadVars(t.tree))) env[k.replace('hacompile_reload_', 'HACOMPILE_RELOAD_').toUpperCase()] = v;
  const t0 = Date.now();
  const name = `rsync-${Math.random().toString(36).slice(2, 8)}`;
  const r = await h.procs.run(name, RSYNC_SCRIPT, [out, NODE, `root@${t.address}`], { ns: CLIENT, env, timeoutMs: 60_000 });
  return { code: r.code, output: `${r.stdout}\n${readFileSync(path.join(h.root, 'logs', `${name}.log`), 'utf8')}`, ms: Date.now() - t0 };
}

test('rsync: secrets first, sentinel.conf never over a live one, the redis.conf block once, reloads', async () => {
  const h = harness();
  ship = await startTargets(h, [NODE]);
  const tree = ship.target(NODE).tree;
  const live = (rel: string): string => path.join(tree, rel);
  writeFileSync(path.join(h.dir(`nodes/${NODE}/etc/redis`), 'redis.conf'), `# the node's own redis.conf\ndaemonize no\ndir ${h.dir(`nodes/${NODE}/var/lib/redis`)}\nlogfile ""\n`);
  const out = path.join(h.root, 'out-1');
  buildOut(SHIP_INVENTORY_DIR, out, 1);
  h.backend(NODE, [`tcp:${h.compiled.model.node(NODE).address}:7001`]);

  const missing = await shipNode(h, out, { REDIS_CACHE_PASSWORD: SECRETS.REDIS_CACHE_PASSWORD });
  expect(missing.code).toBe(1);
  expect(missing.output).toContain('no value for secret(s) VRRP_FRONT_PASSWORD');
  expect(missing.output).not.toContain(SECRETS.REDIS_CACHE_PASSWORD);
  expect(readFileSync(live('etc/redis/redis.conf'), 'utf8')).not.toContain('hacompile');

  const first = await shipNode(h, out, SECRETS);
  expect(first.code, first.output).toBe(0);
  expect(first.output).toMatch(/changed: (?=.*haproxy)(?=.*keepalived)(?=.*redis)(?=.*sentinel)/);
  const addr = h.compiled.model.node(NODE).address!;
  await h.wait('wait-haproxy', ['wait-tcp', `${addr}:7000`, NODE, '10000'], 10_000);
  const cli = async (args: string[]): Promise<string> => (await h.procs.run('redis-cli', 'redis-cli', ['-h', addr, '--no-auth-warning', '--raw', ...args], { ns: CLIENT, timeoutMs: 5000 })).stdout.trim();
  await waitFor('Redis with its password', async () => ((await cli(['-p', '6379', '-a', SECRETS.REDIS_CACHE_PASSWORD, 'PING'])) === 'PONG' ? true : undefined), 10_000, 200);
  // Both daemons rewrite their files: Sentinel at start (its myid), Redis on CONFIG REWRITE.
  await waitFor('Sentinel to write its myid', () => (readFileSync(live('var/lib/redis/sentinel-cache.conf'), 'utf8').includes('sentinel myid') ? true : undefined), 10_000, 200);
  expect(await cli(['-p', '6379', '-a', SECRETS.REDIS_CACHE_PASSWORD, 'CONFIG', 'REWRITE'])).toBe('OK');
  const sentinelBefore = sha(live('var/lib/redis/sentinel-cache.conf'));
  const redisBefore = sha(live('etc/redis/redis.conf'));
  const master = readFileSync(live('run/haproxy.pid'), 'utf8');

  const again = await shipNode(h, out, SECRETS);
  expect(again.code, again.output).toBe(0);
  expect(again.output).toContain('ship.sh: changed:\n');
  expect(sha(live('var/lib/redis/sentinel-cache.conf')), 'live sentinel.conf').toBe(sentinelBefore);
  expect(sha(live('etc/redis/redis.conf')), 'live redis.conf').toBe(redisBefore);
  expect(readFileSync(live('etc/redis/redis.conf'), 'utf8').match(/^# BEGIN hacompile redis cache$/gm)?.length).toBe(1);

  // A changed haproxy.cfg (a backend of the echo entry removed): checked, installed, HAProxy reloaded (same master).
  const inv2 = path.join(h.root, 'inventory-2');
  cpSync(SHIP_INVENTORY_DIR, inv2, { recursive: true });
  const services = readFileSync(path.join(inv2, 'services.yaml'), 'utf8');
  expect(services).toContain('backends: [a1, a2, b1]');
  writeFileSync(path.join(inv2, 'services.yaml'), services.replace('backends: [a1, a2, b1]', 'backends: [a1, a2]'));
  const out2 = path.join(h.root, 'out-2');
  buildOut(inv2, out2, 2);
  const changed = await shipNode(h, out2, SECRETS);
  expect(changed.code, changed.output).toBe(0);
  expect(changed.output).toContain('ship.sh: reload haproxy');
  expect(sha(live('etc/haproxy/haproxy.cfg'))).toBe(sha(path.join(out2, `nodes/${NODE}/haproxy/haproxy.cfg`)));
  expect(sha(live('var/lib/redis/sentinel-cache.conf'))).toBe(sentinelBefore);
  expect(readFileSync(live('run/haproxy.pid'), 'utf8')).toBe(master);
  await h.wait('wait-haproxy-reloaded', ['wait-tcp', `${addr}:7000`, NODE, '10000'], 10_000);

  // A hand-broken file: refused, nothing installed, HAProxy still serving.
  const out3 = path.join(h.root, 'out-3');
  cpSync(out2, out3, { recursive: true });
  appendFileSync(path.join(out3, `nodes/${NODE}/haproxy/haproxy.cfg`), 'frontend hand_edited\n    bind :7999\n    default_backend nowhere\n');
  const liveCfg = sha(live('etc/haproxy/haproxy.cfg'));
  const broken = await shipNode(h, out3, SECRETS);
  expect(broken.code).toBe(1);
  expect(broken.output).toContain(`refused by its check: nodes/${NODE}/haproxy/haproxy.cfg`);
  expect(sha(live('etc/haproxy/haproxy.cfg'))).toBe(liveCfg);
  await h.wait('wait-haproxy-still', ['wait-tcp', `${addr}:7000`, NODE, '5000'], 5_000);
  console.log(`rsync: first ship ${secs(first.ms)}, unchanged ${secs(again.ms)}, changed ${secs(changed.ms)}, refused ${secs(broken.ms)}`);
});
