// One real-daemon check per output daemon. A daemon without an entry here fails the outputs test,
// so no generated file goes unjudged.
import { caddyFmtUnchanged, caddyValidate, traefikCheck, type CheckResult } from './daemons.js';

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
  caddy: async (f) => [await caddyValidate(f.content), await caddyFmtUnchanged(f.content)],
  traefik: async (f) => [await traefikCheck(f.content)],
  // ---- haproxy, keepalived, sentinel, redis and dns checks are added here ----
};
