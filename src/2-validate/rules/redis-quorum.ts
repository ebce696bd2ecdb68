import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * A Sentinel runs on every member, so a group has as many Sentinels as members. Its quorum (how
 * many must see the master down) is at most that, or no failover ever starts; Sentinel itself
 * loads such a file happily. Below a majority it is a warning: a failover still needs a majority
 * to elect a leader, but voters do not check the master themselves, so a minority's view decides.
 * Left out, the quorum is a majority (phase 3).
 */
export const redisQuorum: Rule = {
  name: 'redis-quorum',
  check(ctx) {
    for (const [name, g] of Object.entries(ctx.inv.redis)) {
      if (g.quorum === undefined) continue;
      const sentinels = g.nodes.length;
      const at = ['redis', name, 'quorum'];
      if (g.quorum > sentinels) ctx.report(m.redisQuorumTooHigh(name, g.quorum, sentinels), at);
      else if (g.quorum < Math.floor(sentinels / 2) + 1) ctx.report(m.redisQuorumMinority(name, g.quorum, sentinels), at);
    }
  },
};
