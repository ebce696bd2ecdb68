import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import { repeats, type Rule } from '../context.js';
import { zonesView } from '../zones.js';

/**
 * A mongodb+srv name has at most one TXT record (the driver rejects more; named-checkzone accepts
 * two): no two replica sets share a `srv`, and no record of the zone adds a TXT at that name.
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
    for (const z of zonesView(inv)) {
      for (const r of z.user) {
        if (r.type !== 'TXT') continue;
        const mongo = (z.owners.get(r.owner) ?? []).find((g) => g.source === 'mongo' && g.type === 'TXT');
        if (!mongo) continue;
        const group = mongo.origin.path[1] as string;
        const at: InventoryPath = [...r.origin.path, 'name'];
        ctx.report(m.mongoSrvUserTxt(r.owner, group), at, { related: [{ message: `replica set ${JSON.stringify(group)} names it here`, at: mongo.origin.path }] });
      }
    }
  },
};
