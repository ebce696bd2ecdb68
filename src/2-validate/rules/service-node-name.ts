import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * In the platform domain's zone a node owns `<node>.<domain>` (its public addresses) and a service
 * owns `<svc>.<domain>` (the global answer): a service named like a node would give one name two
 * meanings, so it is an error whenever that zone is defined.
 */
export const serviceNodeName: Rule = {
  name: 'service-node-name',
  check(ctx) {
    const { inv } = ctx;
    const domain = inv.platform.domain;
    if (!Object.prototype.hasOwnProperty.call(inv.dns.zones, domain)) return;
    for (const name of Object.keys(inv.services)) {
      if (!Object.prototype.hasOwnProperty.call(inv.nodes, name)) continue;
      ctx.report(m.serviceNamedLikeNode(name, domain), ['services', name], {
        key: true,
        related: [{ message: `node ${JSON.stringify(name)} is defined here`, at: ['nodes', name], key: true }],
      });
    }
  },
};
