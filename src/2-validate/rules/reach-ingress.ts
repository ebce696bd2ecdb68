import { DEFAULTS } from '../defaults.js';
import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * A service reached through its nodes' ingress (`reach: ingress`, or the platform's default) is
 * reached at `<svc>.<node>.<domain>`, which only a node with role ingress serves: every backend
 * must be on such a node (an address-only backend has no ingress in front of it). With
 * `tls: internal` every node's Traefik signs with its own local authority, which no peer trusts.
 */
export const reachIngress: Rule = {
  name: 'reach-ingress',
  check(ctx) {
    const { inv } = ctx;
    const platformReach = inv.platform.defaults?.reach ?? DEFAULTS.routing.reach;
    for (const [name, s] of Object.entries(inv.services)) {
      if ((s.reach ?? platformReach) !== 'ingress') continue;
      const at = s.reach !== undefined ? ['services', name, 'reach'] : ['platform', 'defaults', 'reach'];
      const related = [{ message: 'reach: ingress is set here', at }];
      if ((inv.platform.tls ?? DEFAULTS.tls) === 'internal') ctx.report(m.reachIngressInternalTls(name), at, { related: [{ message: 'tls: internal is set here', at: ['platform', 'tls'] }] });
      for (const [i, b] of s.backends.entries()) {
        const node = typeof b === 'string' ? b : b.node;
        if (node !== undefined && inv.nodes[node]!.roles?.includes('ingress')) continue;
        ctx.report(m.reachIngressBackend(name, typeof b === 'string' ? b : (b.node ?? `${b.address}:${b.port}`)), ['services', name, 'backends', i], { related });
      }
    }
  },
};
