// Scenario 5: every served name resolves and gets a certificate. BIND named (in the client's
// namespace) serves the generated zone; Pebble, Let's Encrypt's ACME test server, with its
// resolver pointed at named and real HTTP-01/TLS-ALPN-01 validation, is the CA; Caddy on edge1
// runs the generated Caddyfile with `tls: acme` and `platform.acme.ca` pointed at Pebble. A client
// resolving through named and trusting Pebble's root fetches https://<name>/ for every name of the
// plan; then site a is cut and the same client's results per name must equal what-if's verdicts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { nameVerdicts } from '../../src/analysis/verdicts.js';
import { useHarness } from './support/harness.js';
import { CLIENT, CLIENT_ADDRESS } from './support/netns.js';
import { sleep, waitFor } from './support/procs.js';

const NAMES_CLIENT = path.join(import.meta.dirname, 'support', 'names-client.mjs');
const CERTS_WITHIN_MS = 90_000;
const FETCH_TIMEOUT_MS = 8_000;

/** The scenario's inventory, written under the temp root: Caddy trusts the root of Pebble's own HTTPS there. */
function inventory(root: string): string {
  const dir = path.join(root, 'inventory');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'inventory.yaml'),
    `platform:
  domain: e2e.test
  contact: ops@e2e.test
  tls: acme
  acme:
    ca: https://${CLIENT_ADDRESS}:14000/dir
    ca_root: ${path.join(root, 'pki', 'root.pem')}
  defaults:
    health: { path: /health, interval: 1s, timeout: 1s, fall: 2, rise: 2 }
    proxy: { try_duration: 2s, try_interval: 250ms, fail_duration: 4s, dial_timeout: 1s, response_header_timeout: 2s }
sites:
  edge: {}
  a: {}
  b: {}
nodes:
  edge1: { site: edge, address: 198.18.0.10, public: [198.18.0.10], roles: [edge] }
  a1: { site: a, address: 198.18.1.10 }
  a2: { site: a, address: 198.18.1.11 }
  b1: { site: b, address: 198.18.2.10 }
services:
  web:                                   # on both sites; the platform's apex and chat. are its extra hosts
    port: 8080
    balance: first
    backends: [a1, b1]
    hosts: [e2e.test, chat.e2e.test]
  api:                                   # on site a only
    port: 9090
    backends: [a2]
dns:
  zones:
    e2e.test:
      nameservers: [ns1.e2e.test]
      ttl: 60
      records:
        - { name: ns1, type: A, value: ${CLIENT_ADDRESS} }
`,
  );
  return dir;
}

const harness = useHarness('names', inventory);

interface Fetched {
  name: string;
  address: string;
  ok: boolean;
  body: string;
  err?: string;
}

test('BIND serves every planned name, Pebble issues a certificate for each, the client reaches the right service; a site cut matches what-if', async () => {
  const h = harness();
  const { net, procs, compiled } = h;
  const model = compiled.model;
  const plan = model.names.names;
  const names = [...new Set(plan.map((p) => p.name))].sort();
  const served = new Set(plan.filter((p) => p.daemon === 'caddy').map((p) => p.name));
  expect(names.length).toBeGreaterThanOrEqual(6);
  expect([...served].sort()).toEqual(names); // one edge, no ingress: Caddy serves every planned name

  // PKI for Pebble's own HTTPS listener (its ACME directory), signed by a root Caddy is told to trust.
  const pki = h.dir('pki');
  const ssl = (args: string[]): void => void execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '2', '-subj', '/CN=hacompile e2e root']);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'pebble.key', '-out', 'pebble.csr', '-subj', '/CN=pebble']);
  writeFileSync(path.join(pki, 'san.ext'), `subjectAltName=IP:${CLIENT_ADDRESS}\n`);
  ssl(['x509', '-req', '-in', 'pebble.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'pebble.pem', '-days', '2', '-extfile', 'san.ext']);

  // named: the generated zone, authoritative only.
  const dns = h.dir('named');
  const zoneFile = path.join(compiled.outDir, 'dns', 'e2e.test.zone');
  writeFileSync(
    path.join(dns, 'named.conf'),
    `options {
  directory "${dns}";
  pid-file "${dns}/named.pid";
  session-keyfile "${dns}/session.key";
  listen-on port 53 { ${CLIENT_ADDRESS}; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
};
zone "e2e.test" { type primary; file "${zoneFile}"; };
`,
  );
  const named = procs.start('named', 'named', ['-g', '-c', path.join(dns, 'named.conf')], { ns: CLIENT });
  await waitFor('named to load the zone', () => (/zone e2e\.test\/IN: loaded serial/.test(readFileSync(named.log, 'utf8')) ? true : !named.running ? (() => { throw new Error(`named exited:\n${procs.tail(named)}`); })() : undefined), 15_000);

  // Pebble: real validation (no PEBBLE_VA_ALWAYS_VALID), on ports 80 and 443 of the address named gives.
  const pebbleDir = h.dir('pebble');
  writeFileSync(
    path.join(pebbleDir, 'pebble.json'),
    JSON.stringify({ pebble: { listenAddress: `${CLIENT_ADDRESS}:14000`, managementListenAddress: `${CLIENT_ADDRESS}:15000`, certificate: path.join(pki, 'pebble.pem'), privateKey: path.join(pki, 'pebble.key'), httpPort: 80, tlsPort: 443, ocspResponderURL: '', externalAccountBindingRequired: false } }),
  );
  const pebbleEnv: NodeJS.ProcessEnv = { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' };
  delete pebbleEnv.PEBBLE_VA_ALWAYS_VALID;
  const pebble = procs.start('pebble', 'pebble', ['-config', path.join(pebbleDir, 'pebble.json'), '-dnsserver', `${CLIENT_ADDRESS}:53`], { ns: CLIENT, env: pebbleEnv });
  await waitFor('pebble to listen', () => (/Listening on/.test(readFileSync(pebble.log, 'utf8')) ? true : undefined), 15_000);

  // Backends: web on a1 and b1, api on a2; each answers with its node's name.
  const listen = new Map<string, string[]>();
  for (const s of model.services) for (const b of s.backends) listen.set(b.node!, [...(listen.get(b.node!) ?? []), `http:${b.address}:${b.port}`]);
  for (const [node, specs] of listen) h.backend(node, specs);
  const serviceOf = (body: string): string | undefined => model.services.find((s) => s.backends.some((b) => b.node === body))?.name;

  // Caddy on the edge. Caddy 2.6 creating its ACME account while it obtains several certificates
  // at once can read the account key half-written and retry 60 s later, so a first run with the
  // generated global options and one of the names creates the account, as a first deploy would.
  const home = h.dir('caddy-home');
  const caddyEnv = { ...process.env, HOME: home, XDG_DATA_HOME: `${home}/data`, XDG_CONFIG_HOME: `${home}/config` };
  const caddyfile = compiled.file('edge1', 'caddy', 'Caddyfile');
  const globals = /^\{\n[\s\S]*?\n\}\n/m.exec(readFileSync(caddyfile, 'utf8'))![0];
  const first = [...served].sort()[0]!;
  const warmFile = path.join(h.dir('caddy-warm'), 'Caddyfile');
  writeFileSync(warmFile, `${globals}\n${first} {\n\trespond "account"\n}\n`);
  const certDir = `${home}/data/caddy/certificates`;
  const t0 = Date.now();
  const warm = procs.start('caddy-warm', 'caddy', ['run', '--adapter', 'caddyfile', '--config', warmFile], { ns: net.ns('edge1'), env: caddyEnv });
  await waitFor('the ACME account and a first certificate', () => (existsSync(certDir) && readdirSync(certDir).length > 0 ? true : undefined), 30_000, 100).catch((e: unknown) => {
    throw new Error(`${String(e)}\ncaddy log:\n${procs.tail(warm)}\npebble log:\n${procs.tail(pebble)}`);
  });
  await procs.kill(warm, 'SIGTERM');
  const caddy = procs.start('caddy', 'caddy', ['run', '--adapter', 'caddyfile', '--config', caddyfile], { ns: net.ns('edge1'), env: caddyEnv });
  const issued = (): string[] => {
    if (!existsSync(certDir)) return [];
    return readdirSync(certDir).flatMap((issuer) => readdirSync(path.join(certDir, issuer)).filter((n) => existsSync(path.join(certDir, issuer, n, `${n}.crt`))));
  };
  await waitFor('a certificate for every served name', () => (issued().length >= served.size ? true : !caddy.running ? (() => { throw new Error(`caddy exited:\n${procs.tail(caddy)}`); })() : undefined), CERTS_WITHIN_MS, 250).catch((e: unknown) => {
    throw new Error(`${String(e)}: ${issued().length} of ${served.size} issued\ncaddy log:\n${procs.tail(caddy)}\npebble log:\n${procs.tail(pebble)}`);
  });
  const certMs = Date.now() - t0;
  const caddyLog = readFileSync(warm.log, 'utf8') + readFileSync(caddy.log, 'utf8');
  const failures = caddyLog.split('\n').filter((l) => /"level":"error"/.test(l) && /obtain|challenge|certificate/i.test(l)).length;
  expect(issued().sort()).toEqual([...served].sort());
  expect(failures).toBe(0);
  // Real validation: Pebble connected back to the address named gave for each name (authorizations it reuses aside).
  const validated = (readFileSync(pebble.log, 'utf8').match(/set VALID by completed challenge/g) ?? []).length;
  expect(validated).toBeGreaterThan(0);

  // Pebble's issuing root, from its management API.
  const rootPem = await procs.run('pebble-root', process.execPath, ['-e', `const https=require('node:https');https.get({host:'${CLIENT_ADDRESS}',port:15000,path:'/roots/0',ca:require('node:fs').readFileSync('${path.join(pki, 'root.pem')}')},r=>{let d='';r.on('data',c=>d+=c);r.on('end',()=>process.stdout.write(d))}).on('error',e=>{console.error(e.message);process.exit(1)})`], { ns: CLIENT, timeoutMs: 10_000 });
  expect(rootPem.code).toBe(0);
  const issuingRoot = path.join(pki, 'pebble-issuing-root.pem');
  writeFileSync(issuingRoot, rootPem.stdout);

  const fetchAll = async (label: string): Promise<Map<string, Fetched>> => {
    const r = await procs.run(label, process.execPath, [NAMES_CLIENT, CLIENT_ADDRESS, issuingRoot, String(FETCH_TIMEOUT_MS), ...names], { ns: CLIENT, timeoutMs: FETCH_TIMEOUT_MS + 10_000 });
    expect(r.code).toBe(0);
    const recs = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Fetched);
    return new Map(recs.map((x) => [x.name, x]));
  };

  // Every name: the answer named gives reaches Caddy, its certificate verifies, a backend of the right service answers.
  await waitFor('health checks to see every backend', async () => ((await fetchAll('warm')).size === names.length ? true : undefined), 10_000, 500);
  const before = await fetchAll('fetch-all');
  const right = names.filter((n) => {
    const f = before.get(n);
    const p = plan.find((x) => x.name === n)!;
    return f?.ok === true && serviceOf(f.body) === p.service && f.address === '198.18.0.10';
  });
  expect(right, JSON.stringify([...before.values()].filter((f) => !right.includes(f.name)))).toEqual(names);

  // Site a cut: per name, the client's result equals what-if --down site:a.
  net.cutSite('a');
  await sleep(5_000); // two failed health checks at 1 s, plus slack
  const after = await fetchAll('fetch-cut');
  const verdicts = nameVerdicts(model, { sites: new Set(['a']), nodes: new Set() });
  const expected = Object.fromEntries(verdicts.map((v) => [v.name, v.served]));
  const observed = Object.fromEntries(names.map((n) => [n, after.get(n)?.ok === true && serviceOf(after.get(n)!.body) === plan.find((x) => x.name === n)!.service]));
  expect(observed).toEqual(expected);
  expect(Object.values(expected)).toContain(false); // api lives on site a only
  expect(Object.values(expected)).toContain(true);
  net.restoreSite('a');

  console.log(
    `names: ${names.length} names served by Caddy, ${issued().length} certificates issued by Pebble in ${(certMs / 1000).toFixed(1)} s (${validated} challenges validated), ${failures} failures; ` +
      `${right.length}/${names.length} fetched over HTTPS from the right service; site a cut: ${Object.values(observed).filter(Boolean).length} served, ` +
      `${Object.values(observed).filter((x) => !x).length} lost, equal to what-if per name`,
  );
}, 180_000);
