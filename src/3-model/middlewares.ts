import type { HeaderValueInput, Inventory, MiddlewareInput, ServiceInput } from '../2-validate/inventory.js';
import { parseDuration } from './duration.js';
import type { HeaderValue, Origin } from './types.js';

/** What a middleware does, resolved: defaults applied, maps as name-ordered lists. */
export type MiddlewareKind =
  | { kind: 'forward_auth'; url: string; copyHeaders: string[] }
  | { kind: 'basic_auth'; users: { user: string; secret: string }[] }
  | { kind: 'headers'; request: HeaderValue[]; response: HeaderValue[] }
  | { kind: 'redirect'; to: string; permanent: boolean; keepPath: boolean }
  | { kind: 'strip_prefix'; prefix: string }
  | { kind: 'add_prefix'; prefix: string }
  | { kind: 'ip_allow'; ranges: string[] }
  | { kind: 'compress'; minBytes: number }
  | { kind: 'rate_limit'; average: number; burst: number; periodMs: number };

export type Middleware = MiddlewareKind & { name: string; origin: Origin };

/** One entry of a service's list: a middleware of the inventory, or one another Traefik provider defines (`name@file`). */
export type MiddlewareUse = { name: string; middleware: Middleware; provider?: undefined } | { name: string; middleware?: undefined; provider: string };

export interface PathRoute {
  prefix: string;
  strip: boolean;
}

export interface Upstream {
  scheme: 'http' | 'https';
  serverName?: string;
  ca?: string;
  insecureSkipVerify: boolean;
  host?: string;
}

/** Compression threshold both daemons get (Caddy's default is 512, Traefik's 1024). */
export const COMPRESS_MIN_BYTES = 1024;

const byKey = <T>(rec: Record<string, T> | undefined): [string, T][] => Object.entries(rec ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function headerValues(rec: Record<string, HeaderValueInput> | undefined): HeaderValue[] {
  return byKey(rec).map(([name, v]) => (typeof v === 'string' ? { name, value: v } : { name, secret: v.secret }));
}

function kindOf(mw: MiddlewareInput): MiddlewareKind {
  if (mw.forward_auth) return { kind: 'forward_auth', url: mw.forward_auth.url, copyHeaders: [...(mw.forward_auth.copy_headers ?? [])] };
  if (mw.basic_auth) return { kind: 'basic_auth', users: byKey(mw.basic_auth.users).map(([user, s]) => ({ user, secret: s.secret })) };
  if (mw.headers) return { kind: 'headers', request: headerValues(mw.headers.request), response: headerValues(mw.headers.response) };
  if (mw.redirect) return { kind: 'redirect', to: mw.redirect.to, permanent: (mw.redirect.status ?? 301) === 301, keepPath: mw.redirect.keep_path ?? true };
  if (mw.strip_prefix) return { kind: 'strip_prefix', prefix: mw.strip_prefix.prefix };
  if (mw.add_prefix) return { kind: 'add_prefix', prefix: mw.add_prefix.prefix };
  if (mw.ip_allow) return { kind: 'ip_allow', ranges: [...mw.ip_allow.ranges] };
  if (mw.compress) return { kind: 'compress', minBytes: COMPRESS_MIN_BYTES };
  if (mw.rate_limit) return { kind: 'rate_limit', average: mw.rate_limit.average, burst: mw.rate_limit.burst ?? 1, periodMs: parseDuration(mw.rate_limit.period ?? '1s') };
  throw new Error('internal: a middleware with no kind passed the schema');
}

export function buildMiddlewares(inv: Inventory): Middleware[] {
  return byKey(inv.middlewares).map(([name, mw]) => ({ ...kindOf(mw), name, origin: { path: ['middlewares', name] } }));
}

/** A service's middlewares: its own list, else the platform's default list. */
export function serviceMiddlewares(inv: Inventory, s: ServiceInput, all: readonly Middleware[]): MiddlewareUse[] {
  const names = s.middlewares ?? inv.platform.defaults?.middlewares ?? [];
  return names.map((ref) => {
    const at = ref.indexOf('@');
    if (at >= 0) return { name: ref.slice(0, at), provider: ref.slice(at + 1) };
    const middleware = all.find((mw) => mw.name === ref);
    if (!middleware) throw new Error(`internal: middleware ${ref} was not validated`);
    return { name: ref, middleware };
  });
}

export function pathRoute(s: ServiceInput): PathRoute | undefined {
  return s.path ? { prefix: s.path.prefix, strip: s.path.strip ?? false } : undefined;
}

export function upstreamOf(s: ServiceInput): Upstream | undefined {
  const u = s.upstream;
  if (!u) return undefined;
  return { scheme: u.scheme ?? 'http', serverName: u.server_name, ca: u.ca, insecureSkipVerify: u.insecure_skip_verify ?? false, host: u.host };
}
