// Sends a list of HTTP requests one after the other and prints one JSON line per answer.
//   node probe.mjs '[{"url":"http://IP/path","host":"h","method":"GET","headers":{},"local":"IP"}]'
// Redirects are not followed and bodies are not decompressed: the test judges them as sent.
// Each request has a 10 s timeout; an error is an answer with status 0 and the error's code.
import http from 'node:http';

const reqs = JSON.parse(process.argv[2] ?? '[]');

function one(r) {
  return new Promise((resolve) => {
    const u = new URL(r.url);
    const req = http.request(
      { host: u.hostname, port: u.port || 80, path: u.pathname + u.search, method: r.method ?? 'GET', headers: { Host: r.host, ...(r.headers ?? {}) }, localAddress: r.local, agent: false, timeout: 10_000 },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode, headers: res.headers, length: buf.length, body: buf.toString('latin1').slice(0, 4000) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, headers: {}, length: 0, body: '', err: e.code ?? e.message }));
    req.end();
  });
}

for (const r of reqs) console.log(JSON.stringify(await one(r)));
