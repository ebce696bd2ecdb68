// Scenario 5: what services ask of their routes, through a real Caddy 2.6 on the edge node:
// forward auth (every name, a backup serving, the auth service down), basic auth (also when
// backups serve through handle_errors), an IP allow-list, a redirect, headers, gzip, path routes,
// https upstreams (skip-verify, the right CA, a wrong CA), a health check that needs a header, and
// sticky sessions. Backends are test/e2e/support/echo.mjs (it answers what it saw); every request
// goes from the client namespace to the edge's address with the service's Host.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { SUPPORT_DIR, E2E_DIR } from './support/compile.js';
import { useHarness, type Harness } from './support/harness.js';
import { CLIENT } from './support/netns.js';
import { sleep, type Proc } from './support/procs.js';
import { execFileSync } from 'node:child_process';

const harness = useHarness('routes', path.join(E2E_DIR, 'inventory-routes'));
const ECHO = path.join(SUPPORT_DIR, 'echo.mjs');
const PROBE = path.join(SUPPORT_DIR, 'probe.mjs');
/** Where the inventory's `upstream.ca` files are; the test makes them and removes them. */
const CA_DIR = '/run/hac-e2e-routes';
const REFUSED_CLIENT = '198.18.99.11';
const TOKEN = 'Bearer letmein';
const HEALTH_TOKEN = 'Bearer s3cret';
const PASSWORD = 'wonderland';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  length: number;
  body: string;
  err?: string;
}
interface Req {
  host: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  local?: string;
}

let h: Harness;
let edge = '';
const procs: Record<string, Proc> = {};
let probes = 0;
const figures: string[] = [];

async function probe(reqs: Req[]): Promise<Answer[]> {
  const list = reqs.map((r) => ({ url: `http://${edge}${r.path ?? '/'}`, host: r.host, method: r.method, headers: r.headers, local: r.local }));
  const out = await h.procs.run(`probe-${++probes}`, process.execPath, [PROBE, JSON.stringify(list)], { ns: CLIENT, timeoutMs: 60_000 });
  if (out.code !== 0) throw new Error(`probe ended with ${out.code}`);
  return out.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Answer);
}
const one = async (r: Req): Promise<Answer> => (await probe([r]))[0]!;
const seen = (a: Answer): { node: string; port: string; url: string; headers: Record<string, string> } => JSON.parse(a.body) as never;
/** The request lines a stand-in logged (`REQ <port> <method> <url> <authorization>`). */
const requestsSeen = (p: Proc): string[] => readFileSync(p.log, 'utf8').split('\n').filter((l) => l.startsWith('REQ '));
const basic = (user: string, pw: string): string => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function makeCerts(): void {
  rmSync(CA_DIR, { recursive: true, force: true });
  mkdirSync(CA_DIR, { recursive: true });
  const f = (n: string): string => path.join(CA_DIR, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  for (const ca of ['right', 'wrong']) openssl(['req', '-x509', ...ec, '-subj', `/CN=hacompile e2e ${ca} CA`, '-days', '1', '-keyout', f(`${ca}-ca.key`), '-out', f(`${ca}-ca.pem`)]);
  openssl(['req', ...ec, '-subj', '/CN=pve.lan', '-keyout', f('pve.key'), '-out', f('pve.csr')]);
  writeFileSync(f('pve.ext'), 'subjectAltName=DNS:pve.lan\n');
  openssl(['x509', '-req', '-in', f('pve.csr'), '-CA', f('right-ca.pem'), '-CAkey', f('right-ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('pve.ext'), '-out', f('pve.pem')]);
  openssl(['req', '-x509', ...ec, '-subj', '/CN=self-signed.lan', '-days', '1', '-keyout', f('self.key'), '-out', f('self.pem')]);
}

/** The harness for this test (its failure keeps the logs), and the platform started once. */
let started: Promise<void> | undefined;
async function ready(): Promise<void> {
  h = harness();
  started ??= start();
  await started;
}

async function start(): Promise<void> {
  const { net, compiled } = h;
  edge = compiled.model.node('edge1').address!;
  makeCerts();
  execFileSync('ip', ['-n', CLIENT, 'addr', 'add', `${REFUSED_CLIENT}/24`, 'dev', 'eth0']);
  const addr = (n: string): string => compiled.model.node(n).address!;
  const echo = (id: string, node: string, cfg: Record<string, unknown>): void => {
    procs[id] = h.procs.start(id, process.execPath, [ECHO, JSON.stringify({ name: node, ...cfg })], { ns: net.ns(node) });
  };
  const http = (node: string, ports: number[]): string[] => ports.map((p) => `http:${addr(node)}:${p}`);
  echo('a1', 'a1', { listen: http('a1', [8080, 8082, 8083, 8084, 8085, 8087, 8089]) });
  echo('a1-admin', 'a1', { listen: http('a1', [8081]) });
  echo('a1-guarded', 'a1', { listen: http('a1', [8088]), healthAuth: HEALTH_TOKEN });
  echo('a1-self', 'a1', { listen: [`https:${addr('a1')}:8443`], cert: `${CA_DIR}/self.pem`, key: `${CA_DIR}/self.key` });
  echo('a1-pve', 'a1', { listen: [`https:${addr('a1')}:8444`, `https:${addr('a1')}:8445`], cert: `${CA_DIR}/pve.pem`, key: `${CA_DIR}/pve.key` });
  echo('b1', 'b1', { listen: http('b1', [8080, 8086, 8089]) });
  echo('b1-admin', 'b1', { listen: http('b1', [8081]) });
  echo('x1-auth', 'x1', { listen: http('x1', [9091]), authorize: TOKEN });
  echo('x1-admin', 'x1', { listen: http('x1', [8081]) });

  const hash = execFileSync('caddy', ['hash-password', '--plaintext', PASSWORD], { encoding: 'utf8' }).trim();
  const home = h.dir('caddy-home');
  procs.caddy = h.procs.start('caddy', 'caddy', ['run', '--adapter', 'caddyfile', '--config', compiled.file('edge1', 'caddy', 'Caddyfile')], {
    ns: net.ns('edge1'),
    env: { ...process.env, HOME: home, XDG_DATA_HOME: `${home}/data`, XDG_CONFIG_HOME: `${home}/config`, ADMINS_ALICE_HASH: hash, HEALTH_TOKEN },
  });
  // Ready when the plain service answers from its backend and health checks have run (bounded).
  const t0 = Date.now();
  for (let i = 0; i < 60; i++) {
    const a = await one({ host: 'lan.routes.test' }).catch(() => undefined);
    if (a?.status === 200) break;
    if (i === 59) throw new Error(`Caddy did not serve within ${Date.now() - t0} ms:\n${h.procs.tail(procs.caddy)}`);
    await sleep(250);
  }
  await sleep(1500);
  figures.push(`ready=${Date.now() - t0}ms`);
}

afterAll(() => {
  rmSync(CA_DIR, { recursive: true, force: true });
  if (figures.length > 0) console.log(`routes: ${figures.join(' ')}`);
});

const SECURE_NAMES = ['secure.routes.test', 'secure.a1.routes.test', 'secure.b1.routes.test', 'secure.example.test'];

test('forward auth: no credentials is 401 on every name and reaches no backend; with them, 200', async () => {
  await ready();
  const before = requestsSeen(procs.a1!).length + requestsSeen(procs.b1!).length;
  const denied = await probe(SECURE_NAMES.map((host) => ({ host, path: '/fa-without' })));
  const allowed = await probe(SECURE_NAMES.map((host) => ({ host, path: '/fa-with', headers: { Authorization: TOKEN } })));
  const backendSaw = [...requestsSeen(procs.a1!), ...requestsSeen(procs.b1!)].filter((l) => l.includes('/fa-without'));
  figures.push(`forward_auth: denied=${denied.map((a) => a.status).join(',')} allowed=${allowed.map((a) => a.status).join(',')}`);
  expect(denied.map((a) => a.status)).toEqual(SECURE_NAMES.map(() => 401));
  for (const a of denied) expect(a.body).toContain('denied by the auth service');
  expect(backendSaw).toEqual([]);
  expect(allowed.map((a) => a.status)).toEqual(SECURE_NAMES.map(() => 200));
  for (const a of allowed) expect(seen(a).headers['remote-user']).toBe('alice');
  expect(requestsSeen(procs.a1!).length + requestsSeen(procs.b1!).length).toBeGreaterThan(before);
});

test('basic auth: none and wrong are 401, right is 200', async () => {
  await ready();
  const [none, wrong, right] = await probe([
    { host: 'admin.routes.test', path: '/ba-none' },
    { host: 'admin.routes.test', path: '/ba-wrong', headers: { Authorization: basic('alice', 'nope') } },
    { host: 'admin.routes.test', path: '/ba-right', headers: { Authorization: basic('alice', PASSWORD) } },
  ]);
  figures.push(`basic_auth: none=${none!.status} wrong=${wrong!.status} right=${right!.status}`);
  expect(none!.status).toBe(401);
  expect(wrong!.status).toBe(401);
  expect(right!.status).toBe(200);
  expect(['a1', 'b1']).toContain(seen(right!).node);
});

test('ip_allow: the allowed client gets 200, another address 403', async () => {
  await ready();
  const [ok, refused] = await probe([{ host: 'lan.routes.test' }, { host: 'lan.routes.test', path: '/ip-refused', local: REFUSED_CLIENT }]);
  figures.push(`ip_allow: allowed=${ok!.status} refused=${refused!.status}`);
  expect(ok!.status).toBe(200);
  expect(refused!.status).toBe(403);
  expect(requestsSeen(procs.a1!).filter((l) => l.includes('/ip-refused'))).toEqual([]);
});

test('redirect: 301 for GET, 308 otherwise, to the exact Location', async () => {
  await ready();
  const [get, post] = await probe([
    { host: 'old.routes.test', path: '/some/path?q=1' },
    { host: 'old.routes.test', path: '/form', method: 'POST' },
  ]);
  figures.push(`redirect: GET=${get!.status} POST=${post!.status}`);
  expect(get!.status).toBe(301);
  expect(get!.headers.location).toBe('http://www.routes.test/some/path?q=1');
  expect(post!.status).toBe(308);
  expect(post!.headers.location).toBe('http://www.routes.test/form');
});

test('headers and compression: response header present, request header seen, gzip only when asked', async () => {
  await ready();
  const [plain, gz] = await probe([
    { host: 'stamp.routes.test', path: '/big?size=4000' },
    { host: 'stamp.routes.test', path: '/big?size=4000', headers: { 'Accept-Encoding': 'gzip' } },
  ]);
  figures.push(`headers+gzip: plain=${plain!.length}B gzip=${gz!.length}B`);
  expect(plain!.headers['x-hac-served']).toBe('by-hacompile');
  expect(seen(plain!).headers['x-hac-stamp']).toBe('from-the-edge');
  expect(plain!.headers['content-encoding']).toBeUndefined();
  expect(plain!.length).toBe(4000);
  expect(gz!.headers['content-encoding']).toBe('gzip');
  expect(gz!.length).toBeLessThan(1000);
});

test('path routes: the longest prefix wins, stripped exactly when declared', async () => {
  await ready();
  const cases: [string, string, string, string, string][] = [
    // host, path, node, port, url the backend sees
    ['media.routes.test', '/web/x?y=1', 'b1', '8086', '/x?y=1'],
    ['media.routes.test', '/web', 'b1', '8086', '/'],
    ['media.routes.test', '/web/api/v1', 'a1', '8087', '/web/api/v1'],
    ['media.routes.test', '/webby', 'a1', '8085', '/webby'],
    ['media.routes.test', '/other', 'a1', '8085', '/other'],
    ['media-ui.routes.test', '/web/x', 'b1', '8086', '/x'],
  ];
  const answers = await probe(cases.map(([host, p]) => ({ host, path: p })));
  figures.push(`path routes: ${answers.map((a) => a.status).join(',')}`);
  answers.forEach((a, i) => {
    const [host, p, node, port, url] = cases[i]!;
    expect(a.status, `${host}${p}`).toBe(200);
    expect({ node: seen(a).node, port: seen(a).port, url: seen(a).url }, `${host}${p}`).toEqual({ node, port, url });
  });
  expect((await one({ host: 'media-ui.routes.test', path: '/other' })).status).toBe(404);
});

test('https upstreams: skip-verify and the right CA are served, a wrong CA is not and is marked down', async () => {
  await ready();
  const [skip, right, wrong] = await probe([{ host: 'pve-skip.routes.test' }, { host: 'pve-ca.routes.test' }, { host: 'pve-wrong-ca.routes.test', path: '/wrong-ca' }]);
  const tlsErrors = readFileSync(procs['a1-pve']!.log, 'utf8').split('\n').filter((l) => l.startsWith('TLSERR 8445')).length;
  figures.push(`https: skip=${skip!.status} right_ca=${right!.status} wrong_ca=${wrong!.status} wrong_ca_handshakes_refused=${tlsErrors}`);
  expect(skip!.status).toBe(200);
  expect(seen(skip!).port).toBe('8443');
  expect(right!.status).toBe(200);
  expect(seen(right!).port).toBe('8444');
  // Marked down by the health check: no upstream is available, so Caddy answers 503 (a TLS
  // failure on a request to an upstream it still believed healthy would be a 502).
  expect(wrong!.status).toBe(503);
  expect(tlsErrors).toBeGreaterThan(0);
  expect(requestsSeen(procs['a1-pve']!).filter((l) => l.startsWith('REQ 8445'))).toEqual([]);
});

test('a health check that sends its header keeps up a backend that answers 401 without it', async () => {
  await ready();
  const answers = await probe(Array.from({ length: 5 }, () => ({ host: 'guarded.routes.test', path: '/page' })));
  const checks = requestsSeen(procs['a1-guarded']!).filter((l) => l.includes('/health'));
  figures.push(`health header: statuses=${answers.map((a) => a.status).join(',')} checks=${checks.length}`);
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  expect(checks.length).toBeGreaterThan(0);
  for (const c of checks) expect(c.endsWith(HEALTH_TOKEN)).toBe(true);
});

test('sticky: 20 requests with the cookie land on one backend; without it they spread', async () => {
  await ready();
  const first = await one({ host: 'login.routes.test' });
  const cookie = [first.headers['set-cookie']].flat().find((c) => c?.startsWith('hac_login='));
  expect(cookie, 'Set-Cookie hac_login').toBeDefined();
  const pair = cookie!.split(';')[0]!;
  const withCookie = await probe(Array.from({ length: 20 }, () => ({ host: 'login.routes.test', headers: { Cookie: pair } })));
  const without = await probe(Array.from({ length: 20 }, () => ({ host: 'login.routes.test' })));
  const nodes = (as: Answer[]): string[] => [...new Set(as.map((a) => seen(a).node))].sort();
  figures.push(`sticky: with_cookie=${nodes(withCookie).join('+')} without=${nodes(without).join('+')}`);
  expect(withCookie.every((a) => a.status === 200)).toBe(true);
  expect(nodes(withCookie)).toEqual([seen(first).node]);
  expect(nodes(without)).toEqual(['a1', 'b1']);
});

test('auth stays closed when backups serve: basic auth through handle_errors, forward auth on the backup', async () => {
  await ready();
  await h.procs.kill(procs['a1-admin']!, 'SIGTERM');
  await h.procs.kill(procs['b1-admin']!, 'SIGTERM');
  await h.procs.kill(procs.a1!, 'SIGTERM');
  await sleep(1500);
  const [wrong, right, faNone, faWith] = await probe([
    { host: 'admin.routes.test', path: '/backup-wrong', headers: { Authorization: basic('alice', 'nope') } },
    { host: 'admin.routes.test', path: '/backup-right', headers: { Authorization: basic('alice', PASSWORD) } },
    { host: 'secure.routes.test', path: '/backup-fa-none' },
    { host: 'secure.routes.test', path: '/backup-fa-with', headers: { Authorization: TOKEN } },
  ]);
  figures.push(`backups: basic wrong=${wrong!.status} right=${right!.status} forward_auth none=${faNone!.status} with=${faWith!.status}`);
  expect(wrong!.status).toBe(401);
  expect(requestsSeen(procs['x1-admin']!).filter((l) => l.includes('/backup-wrong'))).toEqual([]);
  expect(right!.status).toBe(200);
  expect(seen(right!).node).toBe('x1');
  expect(faNone!.status).toBe(401);
  expect(requestsSeen(procs.b1!).filter((l) => l.includes('/backup-fa-none'))).toEqual([]);
  expect(faWith!.status).toBe(200);
  expect(seen(faWith!).node).toBe('b1');
});

test('forward auth with the auth service down: an error, never the page', async () => {
  await ready();
  await h.procs.kill(procs['x1-auth']!, 'SIGTERM');
  const answers = await probe(SECURE_NAMES.map((host) => ({ host, path: '/auth-down', headers: { Authorization: TOKEN } })));
  figures.push(`auth down: ${answers.map((a) => a.status).join(',')}`);
  for (const a of answers) {
    expect(a.status).toBeGreaterThanOrEqual(500);
    expect(a.body).not.toContain('"node"');
  }
  expect(requestsSeen(procs.b1!).filter((l) => l.includes('/auth-down'))).toEqual([]);
});
