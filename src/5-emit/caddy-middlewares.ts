import type { HeaderValue, MiddlewareUse, Model, Service } from '../3-model/types.js';
import { from } from './format.js';

/**
 * A service's middlewares as Caddy 2.6 directives, in the inventory's order (the caller puts them
 * in a `route`, which keeps that order). Secrets are placeholders Caddy fills from its environment:
 * `{env.NAME}` at request time in header values, `{$NAME}` when the Caddyfile is loaded where a
 * directive takes no placeholder (basicauth hashes, health check headers). Rate limits and other
 * providers' middlewares never get here (phase 4 refuses them for Caddy).
 */
export function caddyMiddlewares(s: Service, i: string): string {
  let out = '';
  for (const u of s.middlewares) out += caddyMiddleware(u, i);
  return out;
}

/** Whether a service's middlewares or path route rewrite the URI (an error route must start again from the original). */
export function rewritesUri(s: Service): boolean {
  return s.path?.strip === true || s.middlewares.some((u) => u.middleware?.kind === 'strip_prefix' || u.middleware?.kind === 'add_prefix');
}

export const caddyHeaderValue = (h: HeaderValue, loadTime = false): string => (h.secret !== undefined ? (loadTime ? `"{$${h.secret}}"` : `{env.${h.secret}}`) : `"${h.value!}"`);

function caddyMiddleware(u: MiddlewareUse, i: string): string {
  const mw = u.middleware;
  if (mw === undefined) throw new Error(`internal: ${u.name}@${u.provider} reached the Caddy emitter`);
  const c = `${i}# middleware ${mw.name}, from ${from(mw.origin)}\n`;
  switch (mw.kind) {
    case 'forward_auth': {
      const url = new URL(mw.url);
      const upstream = `${url.protocol}//${url.host}`;
      return (
        c +
        `${i}forward_auth ${upstream} {\n${i}\turi ${url.pathname}\n` +
        (mw.copyHeaders.length > 0 ? `${i}\tcopy_headers ${mw.copyHeaders.join(' ')}\n` : '') +
        `${i}}\n`
      );
    }
    case 'basic_auth':
      return c + `${i}basicauth {\n${mw.users.map((x) => `${i}\t${x.user} {$${x.secret}}\n`).join('')}${i}}\n`;
    case 'headers':
      return c + mw.request.map((h) => `${i}request_header ${h.name} ${caddyHeaderValue(h)}\n`).join('') + mw.response.map((h) => `${i}header ${h.name} ${caddyHeaderValue(h)}\n`).join('');
    case 'redirect': {
      // Traefik's codes: 301/302 for GET, 308/307 for every other method.
      const to = mw.keepPath ? `${mw.to}{uri}` : mw.to;
      const [get, other] = mw.permanent ? [301, 308] : [302, 307];
      return c + `${i}@${mw.name}_not_get not method GET\n${i}redir @${mw.name}_not_get ${to} ${other}\n${i}redir ${to} ${get}\n`;
    }
    case 'strip_prefix':
      return c + `${i}uri strip_prefix ${mw.prefix}\n`;
    case 'add_prefix':
      return c + `${i}uri path_regexp ^ ${mw.prefix}\n`;
    case 'ip_allow':
      return c + `${i}@${mw.name}_refused not remote_ip ${mw.ranges.join(' ')}\n${i}respond @${mw.name}_refused 403\n`;
    case 'compress':
      return c + `${i}encode gzip {\n${i}\tminimum_length ${mw.minBytes}\n${i}}\n`;
    case 'rate_limit':
      throw new Error(`internal: rate_limit ${mw.name} reached the Caddy emitter`);
  }
}

/** The secrets a Caddyfile reads (middlewares the services use, health check headers), sorted. */
export function caddySecrets(model: Model): string[] {
  const out = new Set<string>();
  for (const s of model.services) {
    for (const h of s.health.headers) if (h.secret !== undefined) out.add(h.secret);
    for (const u of s.middlewares) {
      const mw = u.middleware;
      if (mw?.kind === 'basic_auth') for (const x of mw.users) out.add(x.secret);
      if (mw?.kind === 'headers') for (const h of [...mw.request, ...mw.response]) if (h.secret !== undefined) out.add(h.secret);
    }
  }
  return [...out].sort();
}
