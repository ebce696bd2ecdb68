// A stand-in backend for the e2e tests: answers with its node's name.
//   node backend.mjs NAME [http:IP:PORT]... [tcp:IP:PORT]...
// HTTP: every path answers 200 with "NAME\n"; headers and body leave in ONE send (res.end with a
// Content-Length), so a cut link cannot catch a response half-written by the backend itself
// (see daemons.md 2.2b). TCP: writes "NAME\n" and closes.
import http from 'node:http';
import net from 'node:net';

const [name, ...listens] = process.argv.slice(2);
if (!name || listens.length === 0) {
  console.error('usage: backend.mjs NAME http:IP:PORT|tcp:IP:PORT...');
  process.exit(2);
}
const body = Buffer.from(`${name}\n`);

for (const spec of listens) {
  const m = /^(http|tcp):(.+):(\d+)$/.exec(spec);
  if (!m) {
    console.error(`bad listen spec ${spec}`);
    process.exit(2);
  }
  const [, kind, host, port] = m;
  const server =
    kind === 'http'
      ? http.createServer((req, res) => {
          req.resume();
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length, 'X-Backend': name });
          res.end(body);
        })
      : net.createServer((sock) => {
          sock.on('error', () => {});
          sock.end(body);
        });
  if (kind === 'http') server.keepAliveTimeout = 30_000;
  server.on('error', (err) => {
    console.error(`${spec}: ${err.message}`);
    process.exit(1);
  });
  server.listen(Number(port), host, () => console.log(`${name} listening on ${spec}`));
}
process.on('SIGTERM', () => process.exit(0));
