// Scenario 3: Redis behind HAProxy. Three Redis nodes (a2 the initial master, b1 and b2 its
// replicas) run the generated fragments appended to a minimal main redis.conf, three Sentinels
// run copies of the generated sentinel.conf files, and a1's HAProxy runs the generated haproxy.cfg.
// A writer RPUSHes increasing numbers through HAProxy's address (each write on a new connection,
// 1 s timeout); we SIGKILL the master, later restart it with its files as they were.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { isUp, serverStats, statsSocketConfig } from './support/haproxy.js';
import { now, secs } from './support/figures.js';
import { useHarness } from './support/harness.js';
import { CLIENT } from './support/netns.js';
import { sleep, waitFor, type Proc } from './support/procs.js';

const KEY = 'e2e:log';
const KILL_AT_MS = 3_000;
/** The old master restarts this long after the kill (writes have resumed by then). */
const RESTART_AFTER_MS = 17_000;
/** How long the writer goes on after the restart: the old master must have become a replica. */
const TAIL_MS = 14_000;

const harness = useHarness('redis');

test('Redis: writes through HAProxy resume after the master dies; the old master returns as a replica', async () => {
  const h = harness();
  const { net, procs, compiled } = h;
  const group = compiled.model.redis.find((g) => g.name === 'cache')!;
  const entry = compiled.model.tcp.find((t) => t.target.kind === 'redis')!;
  const [master, ...replicas] = group.nodes as [string, ...string[]];
  const addr = (n: string): string => compiled.model.node(n).address!;
  const l4 = 'a1';
  expect(group.nodes).not.toContain(l4);

  const cli = async (name: string, host: string, port: number, args: string[]): Promise<string> => {
    const r = await procs.run(name, 'redis-cli', ['-h', host, '-p', String(port), '--raw', ...args], { ns: CLIENT, timeoutMs: 5000 });
    return r.stdout.trim();
  };
  const redis: Record<string, Proc> = {};
  const startRedis = (node: string, tag = ''): Proc => {
    const dir = h.dir(`redis-${node}`);
    const conf = path.join(dir, 'redis.conf');
    // The node's main redis.conf (a minimal one), then the generated seed fragment appended, as
    // the fragment says. A restart reuses the file as Redis left it (CONFIG REWRITE included).
    if (!tag) {
      const base = `daemonize no\ndir ${dir}\nlogfile ""\n`;
      writeFileSync(conf, `${base}\n${readFileSync(compiled.file(node, 'redis', 'redis.conf'), 'utf8')}`);
    }
    return (redis[node] = procs.start(`redis-${node}${tag}`, 'redis-server', [conf], { ns: net.ns(node) }));
  };
  for (const n of group.nodes) startRedis(n);
  await waitFor('replicas in sync', async () => ((await cli('info-master', addr(master), group.port, ['INFO', 'replication'])).match(/state=online/g)?.length === replicas.length ? true : undefined), 20_000, 250);

  for (const n of group.nodes) {
    const dir = h.dir(`sentinel-${n}`);
    const conf = path.join(dir, 'sentinel.conf');
    // A copy (Sentinel rewrites the file it runs); --dir moves its working dir (the file's
    // /var/lib/redis) into the temp dir: command-line options override the file.
    copyFileSync(compiled.file(n, 'sentinel', 'sentinel.conf'), conf);
    procs.start(`sentinel-${n}`, 'redis-sentinel', [conf, '--dir', dir], { ns: net.ns(n) });
  }
  await waitFor('three Sentinels agreeing', async () => ((await cli('ckquorum', addr(master), group.sentinelPort, ['SENTINEL', 'CKQUORUM', group.name])).startsWith('OK 3 usable') ? true : undefined), 30_000, 250);

  const [stats, sock] = statsSocketConfig(h.dir('haproxy'));
  const haproxy = procs.start('haproxy', 'haproxy', ['-db', '-f', compiled.file(l4, 'haproxy'), '-f', stats], { ns: net.ns(l4) });
  const memberNames = new Set(group.nodes);
  const redisServers = async () => {
    const all = await serverStats(sock);
    const mine = all.filter((s) => memberNames.has(s.server) && s.backend.includes(entry.name));
    if (mine.length !== group.nodes.length) throw new Error(`expected ${group.nodes.length} servers of ${entry.name} in HAProxy's stats, got ${JSON.stringify(all)}`);
    return mine;
  };
  await waitFor('HAProxy to see the master only', async () => {
    const up = (await redisServers().catch(() => [])).filter(isUp);
    return up.length === 1 && up[0]!.server === master ? true : undefined;
  }, 20_000, 200).catch((e: unknown) => {
    throw new Error(`${String(e)}\nhaproxy log:\n${procs.tail(haproxy)}`);
  });

  // HAProxy's view, every 100 ms, for the whole run: when did it see two masters?
  const seen: { t: number; up: string[] }[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const up = (await redisServers().catch(() => [])).filter(isUp).map((s) => s.server);
      seen.push({ t: now(), up });
      await sleep(100);
    }
  })();

  const target = `${addr(l4)}:${entry.port}`;
  const total = KILL_AT_MS + RESTART_AFTER_MS + TAIL_MS;
  const t0 = Date.now();
  const writer = h.client('writer', ['redis-writer', target, KEY, '20', String(total), '1000'], total + 10_000);
  await sleep(t0 + KILL_AT_MS - Date.now());
  const killAt = now();
  await procs.kill(redis[master]!);
  await sleep(t0 + KILL_AT_MS + RESTART_AFTER_MS - Date.now());
  const restartAt = now();
  startRedis(master, '-restarted');
  // The restarted master must turn into a replica (Sentinel reconfigures it): poll its role.
  const replicaAt = waitFor(`${master} to be a replica again`, async () => {
    const r = await cli('role-old-master', addr(master), group.port, ['ROLE']).catch(() => '');
    return r.startsWith('slave') ? now() : undefined;
  }, RESTART_AFTER_MS + TAIL_MS, 250).catch(() => Infinity);
  const recs = await writer;
  const asReplicaAfter = (await replicaAt) - restartAt;
  const role = await cli('role-final', addr(master), group.port, ['ROLE']);
  polling = false;
  await poller;

  // Read back through the same address.
  const stored = new Set((await cli('read-back', addr(l4), entry.port, ['LRANGE', KEY, '0', '-1'])).split('\n').filter(Boolean).map(Number));
  const acked = recs.filter((r) => r.ok).map((r) => r.n!);
  const missing = acked.filter((n) => !stored.has(n));
  const firstAckAfterKill = recs.filter((r) => r.ok && r.s >= killAt).sort((x, y) => x.s - y.s)[0];
  const resumeMs = firstAckAfterKill ? firstAckAfterKill.e - killAt : Infinity;
  const failedAfterResume = recs.filter((r) => !r.ok && firstAckAfterKill && r.s > firstAckAfterKill.s && r.s < restartAt).length;
  let twoMastersMs = 0;
  for (let i = 1; i < seen.length; i++) if (seen[i - 1]!.up.length >= 2) twoMastersMs += seen[i]!.t - seen[i - 1]!.t;
  const downAfterMs = group.downAfterMs;

  console.log(
    `redis: writes=${recs.length} acked=${acked.length} failed=${recs.length - acked.length} writes_resume_after=${secs(resumeMs)} (bar ${secs(downAfterMs + 10_000)})` +
      ` failed_after_resume=${failedAfterResume} acked_missing=${missing.length} old_master_replica_after=${secs(asReplicaAfter)}` +
      ` haproxy_two_masters=${secs(twoMastersMs)}`,
  );
  expect(role, `${master} came back as a replica`).toMatch(/^slave/);
  expect(resumeMs, 'time from the kill until a write through HAProxy succeeds again').toBeLessThanOrEqual(downAfterMs + 10_000);
  expect(failedAfterResume, 'writes failing once they had resumed, before the restart').toBe(0);
});
