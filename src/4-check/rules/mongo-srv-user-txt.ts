import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import type { Rule } from '../context.js';

/**
 * A mongodb+srv name has at most one TXT record (the driver rejects more; named-checkzone accepts
 * two): no record of the zone adds a TXT where a replica set's `srv` has its own.
 */
export const mongoSrvUserTxt: Rule = {
  name: 'mongo-srv-user-txt',
  check(ctx) {
    for (const z of ctx.model.zoneData) {
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
