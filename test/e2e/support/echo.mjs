// A stand-in HTTP(S) server for the routes e2e: answers what it saw as JSON.
//   node echo.mjs '{"name":"a1","listen":["http:IP:PORT","https:IP:PORT"],"cert":"…","key":"…",
//                   "healthAuth":"Bearer …","authorize":"Bearer …"}'
// Every request is logged as one line `REQ <port> <method> <url>` so that a test can tell which
// requests reached it. /health answers 401 without `healthAuth` when that is set. With
// `authorize`, it is an auth service: 200 (and Remote-User) for that Authorization, else 401.
// `?size=N` pads the answer to N bytes (compression needs a body of 1024 bytes or more).
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';

const cfg = JSON.parse(process.argv[2] ?? '{}');
if (!cfg.name || !Array.isArray(cfg.listen)) {
  console.error('usage: echo.mjs JSON');
  process.exit(2);
}

function handler(port) {
  return (req, res) => {
    req.resume();
    console.log(`REQ ${port} ${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    const url = new URL(req.url, 'http://x');
    if (cfg.authorize !== undefined) {
      const ok = req.headers.authorization === cfg.authorize;
      const body = ok ? 'ok\n' : 'denied by the auth service\n';
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...(ok ? { 'Remote-User': 'alice' } : {}) });
      res.end(body);
      return;
    }
    if (url.pathname === '/health' && cfg.healthAuth !== undefined && req.headers.authorization !== cfg.healthAuth) {
      res.writeHead(401, { 'Content-Length': 0 });
      res.end();
      return;
    }
    const seen = { node: cfg.name, port, method: req.method, url: req.url, host: req.headers.host, headers: req.headers };
    let body = JSON.stringify(seen);
    const size = Number(url.searchParams.get('size') ?? 0);
    if (size > body.length) body += ' '.repeat(size - body.length);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Backend': cfg.name });
    res.end(body);
  };
}

for (const spec of cfg.listen) {
  const m = /^(http|https):(.+):(\d+)$/.exec(spec);
  if (!m) {
    console.error(`bad listen spec ${spec}`);
    process.exit(2);
  }
  const [, kind, host, port] = m;
  const server = kind === 'https' ? https.createServer({ cert: readFileSync(cfg.cert), key: readFileSync(cfg.key) }, handler(port)) : http.createServer(handler(port));
  server.on('tlsClientError', (err) => console.log(`TLSERR ${port} ${err.code ?? err.message}`));
  server.on('error', (err) => {
    console.error(`${spec}: ${err.message}`);
    process.exit(1);
  });
  server.listen(Number(port), host, () => console.log(`${cfg.name} listening on ${spec}`));
}
process.on('SIGTERM', () => process.exit(0));
