import type { Middleware, Model, Service } from '../3-model/types.js';
import { from, goDuration } from './format.js';
import { key, scalar } from './yaml.js';

/** Where the deploy step writes a basic_auth middleware's users (`user:<bcrypt hash>` lines from its secrets). */
export const BASIC_AUTH_DIR = '/etc/hacompile/secrets';
export const basicAuthUsersFile = (mw: string): string => `${BASIC_AUTH_DIR}/${mw}.htpasswd`;

/** The generated middleware that strips a service's path prefix, and the one that sets its upstream Host. */
export const stripPathName = (s: Service): string => `${s.name}_strip-path`;
export const upstreamHostName = (s: Service): string => `${s.name}_upstream-host`;
/** The servers transport of a service with an `upstream:` that says more than http. */
export const transportName = (s: Service): string => `${s.name}_transport`;

export const needsTransport = (s: Service): boolean => s.upstream !== undefined && (s.upstream.scheme === 'https' || s.upstream.serverName !== undefined || s.upstream.ca !== undefined || s.upstream.insecureSkipVerify);

/** The middlewares a router of the service lists, in the order they run. */
export function routerMiddlewares(s: Service): string[] {
  const out: string[] = [];
  if (s.path?.strip) out.push(stripPathName(s));
  for (const u of s.middlewares) out.push(u.provider !== undefined ? `${u.name}@${u.provider}` : u.name);
  if (s.upstream?.host !== undefined) out.push(upstreamHostName(s));
  return out;
}

/** `  middlewares:` with every middleware of the inventory and every service's generated ones, or '' when there are none. */
export function middlewaresSection(model: Model): string {
  const entries: [string, string][] = model.middlewares.map((mw) => [mw.name, `    # middleware ${mw.name}, from ${from(mw.origin)}\n    ${key(mw.name)}:\n${body(mw)}`]);
  for (const s of model.services) {
    const c = `    # service ${s.name}, from ${from(s.origin)}\n`;
    if (s.path?.strip) entries.push([stripPathName(s), `${c}    ${key(stripPathName(s))}:\n      stripPrefix:\n        prefixes:\n          - ${scalar(s.path.prefix)}\n`]);
    if (s.upstream?.host !== undefined) entries.push([upstreamHostName(s), `${c}    ${key(upstreamHostName(s))}:\n      headers:\n        customRequestHeaders:\n          Host: ${scalar(s.upstream.host)}\n`]);
  }
  if (entries.length === 0) return '';
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `  middlewares:\n${entries.map(([, e]) => e).join('')}`;
}

/** The `serversTransports` entries of the services with TLS upstreams, or ''. */
export function transportEntries(model: Model): string {
  let out = '';
  for (const s of model.services) {
    if (!needsTransport(s)) continue;
    const u = s.upstream!;
    out += `    # service ${s.name}, from ${from(s.origin)}\n    ${key(transportName(s))}:\n`;
    let lines = '';
    if (u.serverName !== undefined) lines += `      serverName: ${scalar(u.serverName)}\n`;
    if (u.ca !== undefined) lines += `      rootCAs:\n        - ${scalar(u.ca)}\n`;
    if (u.insecureSkipVerify) lines += `      # insecure_skip_verify: the backends' certificates are not checked\n      insecureSkipVerify: true\n`;
    out += lines === '' ? `      insecureSkipVerify: false\n` : lines;
  }
  return out;
}

function body(mw: Middleware): string {
  switch (mw.kind) {
    case 'forward_auth':
      return `      forwardAuth:\n        address: ${scalar(mw.url)}\n` + list('authResponseHeaders', mw.copyHeaders);
    case 'basic_auth':
      return `      basicAuth:\n        # users: ${mw.users.map((u) => `${u.user} (secret ${u.secret})`).join(', ')}\n        usersFile: ${scalar(basicAuthUsersFile(mw.name))}\n`;
    case 'headers':
      return `      headers:\n` + headerMap('customRequestHeaders', mw.request) + headerMap('customResponseHeaders', mw.response);
    case 'redirect':
      return (
        `      redirectRegex:\n        regex: ${scalar(mw.keepPath ? '^[a-z]+://[^/]+(.*)$' : '^.*$')}\n` +
        `        replacement: ${scalar(mw.keepPath ? `${mw.to}\${1}` : mw.to)}\n        permanent: ${mw.permanent}\n`
      );
    case 'strip_prefix':
      return `      stripPrefix:\n        prefixes:\n          - ${scalar(mw.prefix)}\n`;
    case 'add_prefix':
      return `      addPrefix:\n        prefix: ${scalar(mw.prefix)}\n`;
    case 'ip_allow':
      return `      ipAllowList:\n` + list('sourceRange', mw.ranges);
    case 'compress':
      return `      compress:\n        minResponseBodyBytes: ${mw.minBytes}\n`;
    case 'rate_limit':
      return `      rateLimit:\n        average: ${mw.average}\n        burst: ${mw.burst}\n        period: ${scalar(goDuration(mw.periodMs))}\n`;
  }
}

function list(name: string, xs: readonly string[]): string {
  return xs.length === 0 ? '' : `        ${name}:\n${xs.map((x) => `          - ${scalar(x)}\n`).join('')}`;
}

function headerMap(name: string, hs: readonly { name: string; value?: string }[]): string {
  // Secret values never get here (phase 4 refuses them for Traefik).
  return hs.length === 0 ? '' : `        ${name}:\n${hs.map((h) => `          ${key(h.name)}: ${scalar(h.value!)}\n`).join('')}`;
}

/** The secrets a Traefik file needs on its node: the users of its basic_auth middlewares, sorted. */
export function traefikSecrets(model: Model): string[] {
  const out = new Set<string>();
  for (const mw of model.middlewares) if (mw.kind === 'basic_auth') for (const x of mw.users) out.add(x.secret);
  return [...out].sort();
}
