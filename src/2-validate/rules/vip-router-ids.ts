import { m } from '../../diagnostics/messages.js';
import { repeats, type Rule } from '../context.js';

/**
 * VRRP router ids are unique across VIPs. keepalived checks nothing here (a duplicate id passes
 * `keepalived -t`), yet two groups with one id on a segment take each other's adverts. The rule
 * is stricter than "per L2 segment", which the inventory cannot see.
 */
export const vipRouterIds: Rule = {
  name: 'vip-router-ids',
  check(ctx) {
    for (const { name, value, first } of repeats(Object.entries(ctx.inv.vips).map(([n, v]) => [n, v.router_id] as const))) {
      ctx.report(m.duplicateRouterId(name, value, first), ['vips', name, 'router_id'], {
        related: [{ message: m.firstDefinedHere(), at: ['vips', first, 'router_id'] }],
      });
    }
  },
};
