import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * Mongo replica sets and Patroni clusters elect a primary by majority: an even number of members
 * survives no more failures than one member less, and a split into halves leaves no majority.
 */
export const oddMembers: Rule = {
  name: 'odd-members',
  check(ctx) {
    for (const kind of ['mongo', 'postgres'] as const) {
      for (const [name, g] of Object.entries(ctx.inv[kind])) {
        if (g.nodes.length % 2 === 0) ctx.report(m.evenMembers(kind, name, g.nodes.length), [kind, name, 'nodes']);
      }
    }
  },
};
