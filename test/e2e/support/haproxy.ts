// HAProxy as the e2e tests run it: the generated haproxy.cfg plus a second file of our own that
// only adds a stats socket (a unix socket in the temp dir, reachable from the test process
// whatever namespace HAProxy runs in). `show stat` then tells which servers HAProxy sees UP.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface ServerStat {
  backend: string;
  server: string;
  /** UP, DOWN, NOLB, MAINT, "UP 1/2", ... */
  status: string;
  /** Whether the server is a backup. */
  backup: boolean;
}

/** Writes the extra config file and returns [its path, the socket's path]. */
export function statsSocketConfig(dir: string): [string, string] {
  const sock = path.join(dir, 'haproxy.sock');
  const cfg = path.join(dir, 'stats.cfg');
  writeFileSync(cfg, `global\n    stats socket ${sock} mode 600 level admin\n`);
  return [cfg, sock];
}

function ask(sock: string, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const c = net.connect({ path: sock });
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`no answer from ${sock} within ${timeoutMs} ms`));
    }, timeoutMs);
    c.setEncoding('utf8');
    c.on('connect', () => c.write(`${command}\n`));
    c.on('data', (d: string) => (data += d));
    c.on('end', () => {
      clearTimeout(timer);
      resolve(data);
    });
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The servers of every backend (not the FRONTEND/BACKEND summary rows). */
export async function serverStats(sock: string): Promise<ServerStat[]> {
  const csv = await ask(sock, 'show stat');
  const [head, ...rows] = csv.split('\n').filter(Boolean);
  const cols = (head ?? '').replace(/^# /, '').split(',');
  const col = (name: string): number => cols.indexOf(name);
  return rows
    .map((r) => r.split(','))
    .filter((f) => f[col('svname')] !== 'FRONTEND' && f[col('svname')] !== 'BACKEND')
    .map((f) => ({
      backend: f[col('pxname')] ?? '',
      server: f[col('svname')] ?? '',
      status: f[col('status')] ?? '',
      backup: f[col('bck')] === '1',
    }));
}

export const isUp = (s: ServerStat): boolean => s.status.startsWith('UP');
