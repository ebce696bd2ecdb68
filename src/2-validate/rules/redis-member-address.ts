import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * Every member of a Redis group has an overlay address: its Redis and Sentinel bind it, announce
 * it, and the initial master's is the one every Sentinel monitors and every replica follows.
 */
export const redisMemberAddress: Rule = {
  name: 'redis-member-address',
  check(ctx) {
    for (const [name, g] of Object.entries(ctx.inv.redis)) {
      for (const [i, n] of g.nodes.entries()) {
        if (ctx.inv.nodes[n]!.address !== undefined) continue;
        ctx.report(m.redisMemberWithoutAddress(name, n), ['redis', name, 'nodes', i], {
          related: [{ message: `node ${JSON.stringify(n)} is defined here`, at: ['nodes', n], key: true }],
        });
      }
    }
  },
};
