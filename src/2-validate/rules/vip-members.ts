import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * Every VIP member can run keepalived: it has an `interface` to hold the VIP and an overlay
 * `address` to send and receive unicast adverts.
 * A VIP with one member is the failure analysis's finding (spof-node), not this rule's.
 * Priorities (list order) and peers (the other members) are right by construction.
 */
export const vipMembers: Rule = {
  name: 'vip-members',
  check(ctx) {
    for (const [name, v] of Object.entries(ctx.inv.vips)) {
      for (const [i, n] of v.nodes.entries()) {
        const node = ctx.inv.nodes[n]!;
        const related = [{ message: `node ${JSON.stringify(n)} is defined here`, at: ['nodes', n], key: true }];
        if (node.interface === undefined) ctx.report(m.vipMemberWithoutInterface(name, n), ['vips', name, 'nodes', i], { related });
        if (node.address === undefined) ctx.report(m.vipMemberWithoutAddress(name, n), ['vips', name, 'nodes', i], { related });
      }
    }
  },
};
