// Clients for the e2e tests, run inside the client's network namespace by the test process.
// Every mode is bounded in time and prints one JSON line per attempt:
//   {"s":<start ms>,"e":<end ms>,"ok":true|false,"body":"<first line>","err":"..."}
// Times are wall-clock milliseconds (performance.timeOrigin + now()), comparable with the
// test process's clock. With E2E_STOP_FILE set, a *-stream mode also stops starting attempts once
// that file exists (for a run whose length the test does not know in advance).
//
//   http-stream URL HOST RATE DURATION_MS TIMEOUT_MS   RATE requests/s, each on its own connection
//   tcp-stream IP:PORT INTERVAL_MS DURATION_MS TIMEOUT_MS   a new connection every INTERVAL_MS, reads one line
//   redis-writer IP:PORT KEY INTERVAL_MS DURATION_MS TIMEOUT_MS   RPUSH KEY n (n = 1, 2, ...), one at a time,
//                                                          each on a new connection
//   wait-tcp IP:PORT EXPECT TIMEOUT_MS   until a connection reads a line containing EXPECT ('' = any)
//   wait-http URL HOST EXPECT TIMEOUT_MS   until a request answers 200 with a body containing EXPECT
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const now = () => performance.timeOrigin + performance.now();
const out = (rec) => process.stdout.write(`${JSON.stringify(rec)}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hostPort = (s) => {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
};
const firstLine = (s) => s.split('\n')[0].trim();

function httpOnce(url, host, timeoutMs) {
  return new Promise((resolve) => {
    const s = now();
    let done = false;
    const finish = (ok, body, err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ s, e: now(), ok, body, ...(err ? { err } : {}) });
    };
    const req = http.request(url, { agent: false, headers: { Host: host, Connection: 'close' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => finish(res.statusCode === 200, firstLine(data), res.statusCode === 200 ? undefined : `status ${res.statusCode}`));
      res.on('error', (e) => finish(false, firstLine(data), e.message));
      res.on('aborted', () => finish(false, firstLine(data), 'aborted'));
    });
    const timer = setTimeout(() => {
      finish(false, '', `client timeout ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => finish(false, '', e.code ?? e.message));
    req.end();
  });
}

function tcpOnce(target, timeoutMs, payload) {
  const { host, port } = hostPort(target);
  return new Promise((resolve) => {
    const s = now();
    let data = '';
    let done = false;
    const sock = net.connect({ host, port });
    const finish = (ok, err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ s, e: now(), ok, body: firstLine(data), ...(err ? { err } : {}) });
    };
    const timer = setTimeout(() => finish(false, `client timeout ${timeoutMs} ms`), timeoutMs);
    sock.setEncoding('utf8');
    if (payload) sock.on('connect', () => sock.write(payload));
    sock.on('data', (d) => {
      data += d;
      if (data.includes('\n')) finish(true);
    });
    sock.on('end', () => finish(data.length > 0, data.length > 0 ? undefined : 'closed without data'));
    sock.on('error', (e) => finish(false, e.code ?? e.message));
  });
}

async function paced(intervalMs, durationMs, attempt) {
  const start = now();
  const pending = [];
  for (let i = 0; ; i++) {
    const at = start + i * intervalMs;
    if (at - start >= durationMs) break;
    if (process.env.E2E_STOP_FILE && i % 5 === 0 && existsSync(process.env.E2E_STOP_FILE)) break;
    const wait = at - now();
    if (wait > 0) await sleep(wait);
    pending.push(attempt().then(out));
  }
  await Promise.all(pending);
}

const [mode, ...a] = process.argv.slice(2);
switch (mode) {
  case 'http-stream': {
    const [url, host, rate, duration, timeout] = a;
    await paced(1000 / Number(rate), Number(duration), () => httpOnce(url, host, Number(timeout)));
    break;
  }
  case 'tcp-stream': {
    const [target, interval, duration, timeout] = a;
    await paced(Number(interval), Number(duration), () => tcpOnce(target, Number(timeout)));
    break;
  }
  case 'redis-writer': {
    const [target, key, interval, duration, timeout] = a;
    const end = now() + Number(duration);
    for (let n = 1; now() < end; n++) {
      const v = String(n);
      const cmd = `*3\r\n$5\r\nRPUSH\r\n$${key.length}\r\n${key}\r\n$${v.length}\r\n${v}\r\n`;
      const r = await tcpOnce(target, Number(timeout), cmd);
      // RPUSH answers ":<length>"; a replica answers "-READONLY ...".
      out({ ...r, n, ok: r.ok && r.body.startsWith(':') });
      await sleep(Number(interval));
    }
    break;
  }
  case 'wait-tcp': {
    const [target, expect, timeout] = a;
    const end = now() + Number(timeout);
    for (;;) {
      const r = await tcpOnce(target, 1000);
      if (r.ok && r.body.includes(expect)) process.exit(0);
      if (now() > end) {
        console.error(`wait-tcp ${target}: ${r.err ?? r.body}`);
        process.exit(1);
      }
      await sleep(100);
    }
  }
  case 'wait-http': {
    const [url, host, expect, timeout] = a;
    const end = now() + Number(timeout);
    for (;;) {
      const r = await httpOnce(url, host, 1000);
      if (r.ok && r.body.includes(expect)) process.exit(0);
      if (now() > end) {
        console.error(`wait-http ${url}: ${r.err ?? r.body}`);
        process.exit(1);
      }
      await sleep(100);
    }
  }
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}
