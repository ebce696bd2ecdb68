// Scenario 2: node-local first with HAProxy. The l4 node a1 runs the generated haproxy.cfg; the
// TCP service `echo` has a1's own backend first and the other nodes' as backups. A client opens a
// new connection every 50 ms (each on its own, 1 s timeout); we kill a1's backend, then restart it.
import { expect, test } from 'vitest';
import { statsSocketConfig } from './support/haproxy.js';
import { now, secs, settledAfter } from './support/figures.js';
import { useHarness } from './support/harness.js';
import { sleep } from './support/procs.js';

const INTERVAL_MS = 50;
const KILL_AT_MS = 2_000;
const RESTORE_AT_MS = 9_000;
const DURATION_MS = 16_000;

const harness = useHarness('haproxy-local');

test('HAProxy local first: new connections fail briefly when the local backend dies, and come back to it', async () => {
  const h = harness();
  const { net, procs, compiled } = h;
  const echo = compiled.model.tcp.find((t) => t.name === 'echo')!;
  const l4 = 'a1';
  const own = echo.backends.find((b) => b.node === l4)!;
  for (const b of echo.backends) if (b !== own) h.backend(b.node!, [`tcp:${b.address}:${b.port}`]);
  const localBackend = h.backend(l4, [`tcp:${own.address}:${own.port}`]);
  const [stats] = statsSocketConfig(h.dir('haproxy'));
  const haproxy = procs.start('haproxy', 'haproxy', ['-db', '-f', compiled.file(l4, 'haproxy'), '-f', stats], { ns: net.ns(l4) });
  const target = `${compiled.model.node(l4).address}:${echo.port}`;
  await h.wait('wait-haproxy', ['wait-tcp', target, l4, '15000'], 15_000).catch((e: unknown) => {
    throw new Error(`${String(e)}\nhaproxy log:\n${procs.tail(haproxy)}`);
  });

  const t0 = Date.now();
  const stream = h.client('stream', ['tcp-stream', target, String(INTERVAL_MS), String(DURATION_MS), '1000'], DURATION_MS + 10_000);
  await sleep(t0 + KILL_AT_MS - Date.now());
  const killAt = now();
  await procs.kill(localBackend);
  await sleep(t0 + RESTORE_AT_MS - Date.now());
  const restoreAt = now();
  h.backend(l4, [`tcp:${own.address}:${own.port}`]);
  const recs = await stream;

  const failed = recs.filter((r) => !r.ok && r.s >= killAt && r.s < restoreAt);
  const failingFor = settledAfter(recs, killAt, restoreAt, (r) => r.ok);
  const backAfter = settledAfter(recs, restoreAt, Infinity, (r) => r.ok && r.body === l4);
  console.log(
    `haproxy-local: sent=${recs.length} failed=${failed.length} new_connections_fail_for=${secs(failingFor)} local_preferred_again_after=${secs(backAfter)}` +
      ` failed_before_kill=${recs.filter((r) => !r.ok && r.s < killAt).length}`,
  );
  expect(recs.filter((r) => r.s < killAt).every((r) => r.ok && r.body === l4), 'before the kill, a1 serves everything').toBe(true);
  expect(failingFor, 'time from the kill until new connections succeed again').toBeLessThan(3000);
  expect(backAfter, 'time from the restart until the local backend is preferred again').toBeLessThan(RESTORE_AT_MS - KILL_AT_MS);
});
