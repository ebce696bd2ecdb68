import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import type { Model, Service } from '../../3-model/types.js';
import type { Rule } from '../context.js';

/**
 * What a service asks for, every daemon that serves it must do: Caddy on every edge node and
 * Traefik on every ingress node serve every service. A feature one of them cannot express fails
 * the build, naming the service, the feature, the daemon and its nodes, never dropped silently.
 */
export const daemonSupport: Rule = {
  name: 'daemon-support',
  check(ctx) {
    const nodesWith = (role: 'edge' | 'ingress'): string[] => ctx.model.nodes.filter((n) => n.roles.includes(role)).map((n) => n.name);
    const edges = nodesWith('edge');
    const ingress = nodesWith('ingress');
    for (const s of ctx.model.services) {
      if (edges.length > 0) for (const p of caddyGaps(s)) ctx.report(m.unsupportedFeature(s.name, p.feature, 'Caddy 2.6', edges, p.instead), p.at);
      if (ingress.length > 0) for (const p of traefikGaps(ctx.model, s)) ctx.report(m.unsupportedFeature(s.name, p.feature, 'Traefik', ingress, p.instead), p.at);
    }
  },
};

interface Gap {
  feature: string;
  instead: string;
  at: InventoryPath;
}

/** Where the service's middleware list was written: its own, or the platform's default list. */
const listAt = (s: Service, i: number): InventoryPath => [...s.origin.path, 'middlewares', i];

function caddyGaps(s: Service): Gap[] {
  const gaps: Gap[] = [];
  s.middlewares.forEach((u, i) => {
    if (u.provider !== undefined) {
      gaps.push({ feature: `middleware ${JSON.stringify(`${u.name}@${u.provider}`)} (defined by Traefik's ${u.provider} provider)`, instead: 'define the middleware under `middlewares:` so that every daemon gets it, or serve this service from ingress nodes only', at: listAt(s, i) });
    } else if (u.middleware.kind === 'rate_limit') {
      gaps.push({ feature: `rate_limit (middleware ${JSON.stringify(u.name)})`, instead: 'Caddy 2.6 has no rate limiter: drop the middleware, or serve this service from ingress nodes only (Traefik), or rate-limit in the backend', at: listAt(s, i) });
    }
  });
  const scheme = s.upstream?.scheme ?? 'http';
  if (s.health.scheme !== undefined && s.health.scheme !== scheme) {
    gaps.push({ feature: `a ${s.health.scheme} health check of ${scheme} backends`, instead: `Caddy 2.6 checks health over the backends' own transport: drop health.scheme or set it to ${scheme}`, at: [...s.origin.path, 'health', 'scheme'] });
  }
  return gaps;
}

function traefikGaps(model: Model, s: Service): Gap[] {
  const gaps: Gap[] = [];
  s.middlewares.forEach((u, i) => {
    const mw = u.middleware;
    if (mw?.kind !== 'headers') return;
    for (const h of [...mw.request, ...mw.response]) {
      if (h.secret !== undefined) {
        gaps.push({ feature: `header ${h.name} from secret ${h.secret} (middleware ${JSON.stringify(u.name)})`, instead: `Traefik's file provider reads no secret at run time: define the middleware in Traefik's own configuration and list it as ${JSON.stringify(`${u.name}@file`)}`, at: listAt(s, i) });
      }
    }
  });
  for (const h of s.health.headers) {
    if (h.secret !== undefined) {
      gaps.push({ feature: `health check header ${h.name} from secret ${h.secret}`, instead: 'Traefik reads no secret for a health check at run time: let the backend answer the health path without it, or use a literal value', at: [...(s.health === model.platform.upstream.health ? ['platform', 'defaults'] : s.origin.path), 'health', 'headers', h.name] });
    }
  }
  return gaps;
}
