import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/** Wildcard certificates need the DNS challenge: Traefik must be told which of its resolvers uses it. */
export const wildcardResolver: Rule = {
  name: 'wildcard-resolver',
  check(ctx) {
    const p = ctx.inv.platform;
    if (p.tls !== 'wildcard' || p.acme?.dns_resolver !== undefined) return;
    if (!Object.values(ctx.inv.nodes).some((n) => n.roles?.includes('ingress'))) return;
    ctx.report(m.wildcardWithoutResolver(), p.acme ? ['platform', 'acme'] : ['platform', 'tls'], { key: true });
  },
};
