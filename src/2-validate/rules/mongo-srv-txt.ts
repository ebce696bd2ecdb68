import { m } from '../../diagnostics/messages.js';
import { repeats, type Rule } from '../context.js';

/**
 * A mongodb+srv name has at most one TXT record (the driver rejects more; named-checkzone accepts
 * two): no two replica sets share a `srv` (4-check's mongo-srv-user-txt: nor does a record of the zone
 * add a TXT at that name).
 */
export const mongoSrvTxt: Rule = {
  name: 'mongo-srv-txt',
  check(ctx) {
    const { inv } = ctx;
    const domain = inv.platform.domain;
    const groups = Object.entries(inv.mongo).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const { name, value, first } of repeats(groups.map(([n, g]) => [n, g.srv] as const))) {
      ctx.report(m.mongoSrvShared(name, `${value}.${domain}`, first), ['mongo', name, 'srv'], {
        related: [{ message: `replica set ${JSON.stringify(first)} uses it here`, at: ['mongo', first, 'srv'] }],
      });
    }
  },
};
