import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * VRRP router ids are unique across VIPs. keepalived checks nothing here (a duplicate id passes
 * `keepalived -t`), yet two groups with one id on a segment take each other's adverts. The rule
 * is stricter than "per L2 segment", which the inventory cannot see.
 */
export const vipRouterIds: Rule = {
  name: 'vip-router-ids',
  check(ctx) {
    const seen = new Map<number, string>();
    for (const [name, v] of Object.entries(ctx.inv.vips)) {
      const first = seen.get(v.router_id);
      if (first === undefined) {
        seen.set(v.router_id, name);
        continue;
      }
      ctx.report(m.duplicateRouterId(name, v.router_id, first), ['vips', name, 'router_id'], {
        related: [{ message: m.firstDefinedHere(), at: ['vips', first, 'router_id'] }],
      });
    }
  },
};
