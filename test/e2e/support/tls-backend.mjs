// A stand-in TLS service for the SNI scenario: completes the TLS handshake with its own
// certificate, writes its name and closes. The client reads which certificate it got.
//   node tls-backend.mjs NAME IP:PORT CERT KEY
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

const [name, listen, cert, key] = process.argv.slice(2);
const m = /^(.+):(\d+)$/.exec(listen ?? '');
if (!name || !m || !cert || !key) {
  console.error('usage: tls-backend.mjs NAME IP:PORT CERT KEY');
  process.exit(2);
}
const server = tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (sock) => {
  sock.on('error', () => {});
  sock.end(`${name}\n`);
});
// HAProxy's connect checks open and close plain TCP connections: not an error worth a log line.
server.on('tlsClientError', () => {});
server.on('error', (err) => {
  console.error(`${listen}: ${err.message}`);
  process.exit(1);
});
server.listen(Number(m[2]), m[1], () => console.log(`${name} listening on ${listen}`));
