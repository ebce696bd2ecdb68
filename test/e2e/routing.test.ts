// Scenario 5: traffic between nodes.
// (a) TCP by SNI: HAProxy on a1 runs the generated haproxy.cfg; tcp entries tls-a and tls-b share
//     port 7443, each with its own server name, TLS passed through to a stand-in TLS service with
//     its own certificate (on a2 and b2). `openssl s_client -servername` must get A's certificate
//     for a.sni…, B's for b.sni…, and nothing for another name.
// (b) Via the nodes' ingress: service `peer` listens on 127.0.0.1 of a1 and b1 only; a Caddy on
//     each node plays its ingress (serving peer.<node>.e2e.test from the local instance), and the
//     edge Caddy runs the generated Caddyfile, which reaches the instances only by those names.
//     A client sends 20 requests/s for 16 s; site a is cut at 4 s and restored at 10 s.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { verdicts } from '../../src/analysis/verdicts.js';
import { now, secs, settledAfter } from './support/figures.js';
import { SUPPORT_DIR } from './support/compile.js';
import { useHarness } from './support/harness.js';
import { CLIENT } from './support/netns.js';
import { sleep } from './support/procs.js';

const harness = useHarness('routing');

test('HAProxy routes TLS by SNI to each entry and refuses an unknown name', async () => {
  const h = harness();
  const { net, procs, compiled } = h;
  const dir = h.dir('sni');
  const entries = ['tls-a', 'tls-b'].map((name) => compiled.model.tcp.find((t) => t.name === name)!);
  for (const t of entries) {
    const host = t.sni[0]!;
    const b = t.backends[0]!;
    const cert = path.join(dir, `${t.name}.pem`);
    const key = path.join(dir, `${t.name}.key`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
    procs.start(`tls-${t.name}`, process.execPath, [path.join(SUPPORT_DIR, 'tls-backend.mjs'), t.name, `${b.address}:${b.port}`, cert, key], { ns: net.ns(b.node!) });
  }
  const l4 = 'a1';
  const haproxy = procs.start('haproxy', 'haproxy', ['-db', '-f', compiled.file(l4, 'haproxy')], { ns: net.ns(l4) });
  const front = `${compiled.model.node(l4).address}:${entries[0]!.port}`;

  /** One TLS handshake through HAProxy: the certificate subject the client got, and what the service wrote. */
  const handshake = async (name: string): Promise<{ code: number | string; subject: string | undefined; body: string }> => {
    const r = await procs.run(`s_client-${name}`, 'openssl', ['s_client', '-connect', front, '-servername', name, '-brief', '-ign_eof'], { ns: CLIENT, timeoutMs: 10_000 });
    const log = execFileSync('cat', [path.join(h.root, 'logs', `s_client-${name}.log`)], { encoding: 'utf8' });
    return { code: r.code, subject: /Peer certificate: CN ?= ?(\S+)/.exec(log)?.[1], body: r.stdout.trim() };
  };
  // HAProxy's connect checks mark both services up within a few seconds.
  let a = await handshake('a.sni.e2e.test');
  for (let i = 0; i < 20 && a.subject === undefined; i++) {
    await sleep(500);
    a = await handshake('a.sni.e2e.test');
  }
  if (a.subject === undefined) throw new Error(`no TLS through HAProxy; haproxy log:\n${procs.tail(haproxy)}`);
  const b = await handshake('b.sni.e2e.test');
  const unknown = await handshake('c.sni.e2e.test');
  console.log(`sni: a.sni.e2e.test → ${a.subject} (${a.body}); b.sni.e2e.test → ${b.subject} (${b.body}); c.sni.e2e.test → ${unknown.subject ?? 'refused'} (exit ${unknown.code})`);
  // (s_client's exit code says nothing here: it ends 1 on the service's close after its line.)
  expect(a).toMatchObject({ subject: 'a.sni.e2e.test', body: 'tls-a' });
  expect(b).toMatchObject({ subject: 'b.sni.e2e.test', body: 'tls-b' });
  expect(unknown.subject).toBeUndefined();
  expect(unknown.body).toBe('');
  expect(unknown.code).not.toBe(0);
});

test('a Caddy edge reaching its service through the nodes ingress keeps serving through a site cut', async () => {
  const h = harness();
  const { net, procs, compiled } = h;
  const peer = compiled.model.services.find((s) => s.name === 'peer')!;
  const domain = compiled.model.platform.domain;
  const [a, b] = peer.backends;
  expect([a?.site, b?.site]).toEqual(['a', 'b']);
  const caddyEnv = (name: string) => {
    const home = h.dir(`caddy-${name}`);
    return { ...process.env, HOME: home, XDG_DATA_HOME: `${home}/data`, XDG_CONFIG_HOME: `${home}/config` };
  };
  // Each node: the instance on its loopback only, and its "ingress" serving peer.<node>.<domain> from it.
  for (const x of [a!, b!]) {
    h.backend(x.node!, [`http:127.0.0.1:${x.port}`]);
    const conf = path.join(h.dir(`ingress-${x.node}`), 'Caddyfile');
    writeFileSync(conf, `{\n\tadmin off\n\tauto_https off\n}\n\nhttp://${peer.name}.${x.node}.${domain} {\n\treverse_proxy 127.0.0.1:${x.port}\n}\n`);
    procs.start(`ingress-${x.node}`, 'caddy', ['run', '--adapter', 'caddyfile', '--config', conf], { ns: net.ns(x.node!), env: caddyEnv(`ingress-${x.node}`) });
  }
  // The edge resolves the nodes' names from its namespace's own hosts file (`ip netns exec` mounts /etc/netns/<ns>/).
  const etc = path.join('/etc/netns', net.ns('edge1'));
  mkdirSync(etc, { recursive: true });
  try {
    writeFileSync(path.join(etc, 'hosts'), `127.0.0.1 localhost\n${[a!, b!].map((x) => `${x.address} ${peer.name}.${x.node}.${domain}`).join('\n')}\n`);
    const caddy = procs.start('caddy-edge', 'caddy', ['run', '--adapter', 'caddyfile', '--config', compiled.file('edge1', 'caddy', 'Caddyfile')], { ns: net.ns('edge1'), env: caddyEnv('edge') });
    const url = `http://${compiled.model.node('edge1').address}/`;
    const host = peer.hosts[0]!;
    await h.wait('wait-edge', ['wait-http', url, host, a!.node!, '15000'], 15_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\ncaddy log:\n${procs.tail(caddy)}`);
    });

    const t0 = Date.now();
    const stream = h.client('stream', ['http-stream', url, host, '20', '16000', '10000'], 30_000);
    await sleep(t0 + 4000 - Date.now());
    const cutAt = now();
    net.cutSite('a');
    await sleep(t0 + 10_000 - Date.now());
    const restoreAt = now();
    net.restoreSite('a');
    const recs = (await stream).sort((x, y) => x.s - y.s);

    const failedAfter = recs.filter((r) => !r.ok && r.s >= cutAt);
    const inflight = recs.filter((r) => !r.ok && r.s < cutAt && r.e > cutAt);
    const toB = settledAfter(recs, cutAt, restoreAt, (r) => r.ok && r.body === b!.node && r.e - r.s < 500);
    const backOnA = settledAfter(recs, restoreAt, Infinity, (r) => r.ok && r.body === a!.node);
    const slowest = Math.max(...recs.map((r) => r.e - r.s));
    console.log(`via-ingress site-cut: sent=${recs.length} failed_inflight=${inflight.length} failed_after=${failedAfter.length} slowest=${secs(slowest)} to_b=${secs(toB)} back_on_a=${secs(backOnA)}`);
    const predicted = verdicts(compiled.model, { sites: new Set(['a']), nodes: new Set() }).find((v) => v.kind === 'service' && v.name === 'peer')!;
    expect(predicted.servedBy).toEqual([b!.node]);
    expect(predicted.detail).toContain(`through each node's ingress`);

    expect(recs.length).toBeGreaterThan(300);
    expect(recs.filter((r) => r.s < cutAt).every((r) => r.ok && r.body === a!.node), 'before the cut, a1 serves everything').toBe(true);
    expect(failedAfter.map((r) => `${secs(r.s - cutAt)} after the cut: ${r.err ?? r.body}`), 'requests started after the cut that failed').toEqual([]);
    expect(toB, 'time until requests go straight to b1 through its ingress').toBeLessThan(6000);
    expect(backOnA, 'time from the restore until a1 serves again').toBeLessThan(5000);
  } finally {
    rmSync(etc, { recursive: true, force: true });
  }
});
