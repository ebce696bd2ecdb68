// Scenario 4: a VIP held by keepalived on a1 and a2 (one segment, site a) with the generated
// configs. First the holder's tracked process dies, then (once the VIP is back) the holder's
// keepalived itself; each time we time how long until the VIP answers from the other node.
//
// keepalived counts tracked processes in the whole PID namespace it runs in, and it only hears
// of process exits (the kernel's proc connector) in the initial PID namespace. On one test host
// both members would count each other's process, so: the holder runs in the initial PID
// namespace (it must notice its process die), the other member in a PID namespace of its own,
// where keepalived counts its own tracked process at start and hears nothing afterwards. Its
// process is then stopped, so that the holder counts only its own. That is what two hosts see.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { now, secs, settledAfter } from './support/figures.js';
import { useHarness } from './support/harness.js';
import { descendants } from './support/pids.js';
import { sleep, waitFor, type Proc } from './support/procs.js';

const PORT = 7100;
const POLL_MS = 50;
const KILL_AT_MS = 1_000;
const STREAM_MS = 9_000;

const harness = useHarness('vip');

test('VIP: the other member answers when the holder loses its tracked process, then its keepalived', async () => {
  const h = harness();
  const { net, procs, compiled } = h;
  const vip = compiled.model.vips.find((v) => v.name === 'front')!;
  const [holder, other] = vip.nodes as [string, string];
  const tracked = vip.track[0]!;
  const bin = h.dir('bin');
  const dummy = path.join(bin, tracked);
  copyFileSync('/bin/sleep', dummy);

  for (const n of [holder, other]) h.backend(n, [`tcp:0.0.0.0:${PORT}`]);
  const keepalived = (node: string, pidns: boolean): Proc => {
    const run = h.dir(`keepalived-${node}`);
    const args = ['-n', '-l', '-D', '-G', '--vrrp', '-s', net.ns(node), '-f', compiled.file(node, 'keepalived'), '-p', `${run}/keepalived.pid`, '-r', `${run}/vrrp.pid`];
    // -s: keepalived opens its process monitor in the initial network namespace, then enters the node's.
    if (!pidns) return procs.start(`keepalived-${node}`, 'keepalived', args);
    return procs.start(`keepalived-${node}`, 'unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', `"$0" 600 & exec keepalived "$@"`, dummy, ...args]);
  };
  const logHas = (p: Proc, text: string): true | undefined => (readFileSync(p.log, 'utf8').includes(text) ? true : undefined);

  // The other member first, in its own PID namespace, counting its own tracked process.
  const kaOther = keepalived(other, true);
  await waitFor(`keepalived on ${other} to start`, () => logHas(kaOther, 'Entering BACKUP STATE'), 10_000);
  expect(readFileSync(kaOther.log, 'utf8')).not.toContain('Quorum lost');
  const otherDummy = await waitFor(`the tracked process of ${other}`, () => descendants(kaOther.pid).find((p) => p.comm === tracked), 5_000);
  process.kill(otherDummy.pid, 'SIGKILL');

  // The holder: its tracked process, then keepalived in the initial PID namespace.
  let holderDummy = procs.start(`${tracked}-${holder}`, dummy, ['600'], { ns: net.ns(holder) });
  const kaHolder = keepalived(holder, false);
  const target = `${vip.ip}:${PORT}`;
  await h.wait('wait-vip-holder', ['wait-tcp', target, holder, '15000'], 15_000);

  // 1. The holder's tracked process dies.
  let t0 = Date.now();
  let stream = h.client('vip-stream-1', ['tcp-stream', target, String(POLL_MS), String(STREAM_MS), '1000'], STREAM_MS + 10_000);
  await sleep(t0 + KILL_AT_MS - Date.now());
  const killProcessAt = now();
  await procs.kill(holderDummy);
  const afterProcess = settledAfter(await stream, killProcessAt, Infinity, (r) => r.ok && r.body === other);

  // The process comes back: the holder takes the VIP back (preemption).
  holderDummy = procs.start(`${tracked}-${holder}-again`, dummy, ['600'], { ns: net.ns(holder) });
  await h.wait('wait-vip-back', ['wait-tcp', target, holder, '15000'], 15_000);

  // 2. The holder's keepalived dies (SIGKILL to its process group: no priority-0 advert).
  t0 = Date.now();
  stream = h.client('vip-stream-2', ['tcp-stream', target, String(POLL_MS), String(STREAM_MS), '1000'], STREAM_MS + 10_000);
  await sleep(t0 + KILL_AT_MS - Date.now());
  const killKeepalivedAt = now();
  await procs.kill(kaHolder);
  const afterKeepalived = settledAfter(await stream, killKeepalivedAt, Infinity, (r) => r.ok && r.body === other);

  console.log(`vip: tracked_process_killed_to_other=${secs(afterProcess)} keepalived_killed_to_other=${secs(afterKeepalived)}`);
  // The handover came from the tracking, and the other member never saw its own process go.
  expect(readFileSync(kaHolder.log, 'utf8')).toContain(`Quorum lost for tracked process track_${tracked}`);
  expect(readFileSync(kaOther.log, 'utf8')).not.toContain('Quorum lost');
  expect(afterProcess, `VIP answers from ${other} after the holder's tracked process died`).toBeLessThanOrEqual(5000);
  expect(afterKeepalived, `VIP answers from ${other} after the holder's keepalived died`).toBeLessThanOrEqual(5000);
});
