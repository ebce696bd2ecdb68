// The name client of names.test.ts, run in the client's namespace: resolves each name through one
// DNS server (A records only) and fetches https://<name>/ from the address it got, verifying the
// certificate against one CA root and the name. One JSON line per name, all within TIMEOUT_MS:
//   {"name":"...","address":"...","ok":true|false,"body":"<first line>","err":"..."}
//   node names-client.mjs DNS_IP CA_PEM TIMEOUT_MS NAME...
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import https from 'node:https';

const [dnsIp, caFile, timeout, ...names] = process.argv.slice(2);
const ca = readFileSync(caFile, 'utf8');
const timeoutMs = Number(timeout);
const resolver = new Resolver({ timeout: 2000, tries: 2 });
resolver.setServers([dnsIp]);

function fetchOnce(name, address) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (rec) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(rec);
    };
    const req = https.request({ host: address, port: 443, path: '/', servername: name, ca, agent: false, headers: { Host: name, Connection: 'close' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => finish({ ok: res.statusCode === 200, body: data.split('\n')[0].trim(), ...(res.statusCode === 200 ? {} : { err: `status ${res.statusCode}` }) }));
      res.on('error', (e) => finish({ ok: false, body: '', err: e.message }));
    });
    const timer = setTimeout(() => {
      finish({ ok: false, body: '', err: `timeout ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => finish({ ok: false, body: '', err: e.code ?? e.message }));
    req.end();
  });
}

await Promise.all(
  names.map(async (name) => {
    let address = '';
    try {
      address = (await resolver.resolve4(name))[0] ?? '';
    } catch (e) {
      process.stdout.write(`${JSON.stringify({ name, address, ok: false, body: '', err: `dns: ${e.code ?? e.message}` })}\n`);
      return;
    }
    const r = await fetchOnce(name, address);
    process.stdout.write(`${JSON.stringify({ name, address, ...r })}\n`);
  }),
);
