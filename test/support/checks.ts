// One real-daemon check per output daemon. A daemon without an entry here fails the outputs test,
// so no generated file goes unjudged.
import { caddyEveryProxyChecked, caddyFmtUnchanged, caddyValidate, traefikCheck, type CheckResult } from './daemons.js';
import { namedCheckzone } from './daemons.js';
import { keepalivedCheck } from './daemons.js';
import { haproxyCheck } from './daemons.js';
import { redisCheck, sentinelCheck } from './redis-checks.js';
import { KEEPALIVED_SECRET_DIR } from '../../src/5-emit/keepalived.js';

export interface GeneratedFile {
  path: string;
  daemon: string;
  node: string | null;
  content: string;
}

export type DaemonCheck = (file: GeneratedFile, all: readonly GeneratedFile[]) => Promise<CheckResult[]>;

export const CHECKS: Record<string, DaemonCheck> = {
  manifest: async (f) => {
    JSON.parse(f.content);
    return [];
  },
  caddy: async (f) => [await caddyValidate(f.content), await caddyFmtUnchanged(f.content), await caddyEveryProxyChecked(f.content)],
  traefik: async (f) => [await traefikCheck(f.content)],
  // ---- haproxy, keepalived, sentinel, redis and dns checks are added here ----
  haproxy: async (f) => [await haproxyCheck(f.content)],
  sentinel: (f) => sentinelCheck(f),
  redis: (f, all) => redisCheck(f, all),
  dns: async (f) => [await namedCheckzone(zoneOrigin(f.content), f.content)],
  keepalived: async (f) => [await keepalivedCheck(f.content, keepalivedInterfaces(f.content), keepalivedDummySecrets(f.content))],
};

/** The interfaces a keepalived.conf names on its `interface X` lines: the check creates them as bridges. */
function keepalivedInterfaces(text: string): string[] {
  return [...text.matchAll(/^\s*interface\s+(\S+)\s*$/gm)].map((x) => x[1]!);
}

/** A dummy password file for every secret include (never a real value); any other include fails. */
function keepalivedDummySecrets(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [, path] of text.matchAll(/^\s*include\s+(\S+)\s*$/gm)) {
    if (!path!.startsWith(`${KEEPALIVED_SECRET_DIR}/`) || !path!.endsWith('.keepalived')) throw new Error(`keepalived: unexpected include ${path}`);
    files[path!] = 'auth_pass testonly\n';
  }
  return files;
}

/** The zone a zone file is for, from its `$ORIGIN` line (without the trailing dot). */
function zoneOrigin(text: string): string {
  const origin = /^\$ORIGIN\s+(\S+)\.$/m.exec(text)?.[1];
  if (origin === undefined) throw new Error('dns: a zone file without an absolute $ORIGIN line');
  return origin;
}
