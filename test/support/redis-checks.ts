// Checks for hacompile's Redis Sentinel output: each file is loaded by the real daemon (a throwaway
// one, inside `unshare -n`), and what the daemon reports must match what the file says.
import { REDIS_SECRET_DIR } from '../../src/5-emit/sentinel.js';
import { redisLoad, sentinelLoad, type CheckResult } from './daemons.js';

interface File {
  path: string;
  content: string;
}

/** A dummy value for every secret include; never a real one. */
export const DUMMY_SECRET = 'dummy-Secret.1';

/** The content the deploy tool would write for each `include` of a secret file; any other include throws. */
function dummyIncludes(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [, path] of text.matchAll(/^include\s+(\S+)\s*$/gm)) {
    const sentinel = new RegExp(`^${REDIS_SECRET_DIR}/[A-Z][A-Z0-9_]*\\.sentinel-([a-z0-9-]+)\\.conf$`).exec(path!);
    if (sentinel) files[path!] = `sentinel auth-pass ${sentinel[1]} ${DUMMY_SECRET}\n`;
    else if (new RegExp(`^${REDIS_SECRET_DIR}/[A-Z][A-Z0-9_]*\\.redis\\.conf$`).test(path!)) files[path!] = `masterauth ${DUMMY_SECRET}\nrequirepass ${DUMMY_SECRET}\n`;
    else throw new Error(`unexpected include ${path}`);
  }
  return files;
}

/** `directive args...` of each line starting with `directive` (not comments). */
function lines(text: string, directive: string): string[][] {
  return [...text.matchAll(new RegExp(`^${directive}[ \\t]+(.+?)[ \\t]*$`, 'gm'))].map((x) => x[1]!.split(/\s+/));
}

function compare(what: string, command: string, pairs: [string, string | undefined, string | undefined][], says = ['the daemon has', 'the file says']): CheckResult {
  const wrong = pairs.filter(([, got, want]) => got !== want).map(([k, got, want]) => `${k}: ${says[0]} ${JSON.stringify(got)}, ${says[1]} ${JSON.stringify(want)}`);
  return { ok: wrong.length === 0, output: wrong.join('\n'), command: `${command}: ${what}` };
}

/** SENTINEL masters of the loaded copy match the file's monitor and timing lines; auth-pass reached Sentinel. */
export async function sentinelCheck(f: File): Promise<CheckResult[]> {
  const includes = dummyIncludes(f.content);
  const r = await sentinelLoad(f.content, { includes });
  if (!r.ok) return [r];
  const monitors = lines(f.content, 'sentinel monitor');
  const results: CheckResult[] = [r, compare('one master per monitor line', r.command, [['masters', String(r.masters.length), String(monitors.length)]])];
  for (const [name, ip, port, quorum] of monitors) {
    const m = r.masters.find((x) => x.name === name) ?? {};
    const option = (o: string): string | undefined => lines(f.content, `sentinel ${o}`).find((a) => a[0] === name)?.[1];
    results.push(
      compare(`SENTINEL masters for ${name}`, r.command, [
        ['ip', m.ip, ip],
        ['port', m.port, port],
        ['quorum', m.quorum, quorum],
        ['down-after-milliseconds', m['down-after-milliseconds'], option('down-after-milliseconds')],
        ['failover-timeout', m['failover-timeout'], option('failover-timeout')],
        ['parallel-syncs', m['parallel-syncs'], option('parallel-syncs')],
      ]),
    );
    const authPass = lines(r.rewritten, 'sentinel auth-pass').find((a) => a[0] === name)?.[1];
    const expected = Object.values(includes).some((c) => c.startsWith(`sentinel auth-pass ${name} `)) ? DUMMY_SECRET : undefined;
    results.push(compare(`auth-pass of ${name} (from the rewritten copy)`, r.command, [['auth-pass', authPass, expected]]));
  }
  return results;
}

/**
 * The fragment loads in redis-server on its own; ROLE and CONFIG GET reflect replicaof, port,
 * announce address and the password; a replica follows the address and port its group's
 * Sentinels monitor (the sentinel.conf beside it).
 */
export async function redisCheck(f: File, all: readonly File[]): Promise<CheckResult[]> {
  const includes = dummyIncludes(f.content);
  const hasSecret = Object.keys(includes).length > 0;
  const r = await redisLoad(f.content, { includes, ...(hasSecret ? { password: DUMMY_SECRET } : {}) });
  if (!r.ok) return [r];
  const one = (d: string): string | undefined => lines(f.content, d).at(-1)?.join(' ');
  const replicaof = one('replicaof');
  const results = [
    r,
    compare('ROLE and CONFIG GET', r.command, [
      ['role', r.role, replicaof !== undefined ? 'slave' : 'master'],
      ['replicaof', r.config.replicaof, replicaof ?? ''],
      ['port', r.config.port, one('port')],
      ['replica-announce-ip', r.config['replica-announce-ip'], one('replica-announce-ip')],
      ['protected-mode', r.config['protected-mode'], one('protected-mode')],
      ['requirepass', r.config.requirepass, hasSecret ? DUMMY_SECRET : ''],
      ['masterauth', r.config.masterauth, hasSecret ? DUMMY_SECRET : ''],
    ]),
  ];
  const sentinel = all.find((s) => s.path === f.path.replace(/redis\.conf$/, 'sentinel.conf'));
  if (sentinel === undefined) return [...results, { ok: false, output: 'no sentinel.conf beside it', command: 'find the sibling sentinel.conf' }];
  const [, ip, port] = lines(sentinel.content, 'sentinel monitor')[0] ?? [];
  const says = ['this file has', `${sentinel.path} monitors`];
  if (replicaof !== undefined) results.push(compare(`replicaof against ${sentinel.path}`, 'compare', [['replicaof', replicaof, `${ip} ${port}`]], says));
  else results.push(compare(`the initial master against ${sentinel.path}`, 'compare', [['address', `${r.config['replica-announce-ip']} ${r.config.port}`, `${ip} ${port}`]], says));
  return results;
}
