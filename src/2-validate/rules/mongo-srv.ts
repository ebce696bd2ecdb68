import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * mongodb+srv://<srv>.<domain>/ : the driver reads SRV `_mongodb._tcp.<srv>.<domain>` and requires
 * every target to end in the parent domain `<domain>` (the host has at least three labels, as
 * `platform.domain` has at least two). The targets are `<member>.<domain>.`, so they share it by
 * construction, provided the records exist: the zone named like the platform domain must be defined,
 * and every member needs public addresses, or its target has no A/AAAA record (named-checkzone only
 * warns about that).
 */
export const mongoSrv: Rule = {
  name: 'mongo-srv',
  check(ctx) {
    const { inv } = ctx;
    const domain = inv.platform.domain;
    const hasZone = Object.prototype.hasOwnProperty.call(inv.dns.zones, domain);
    for (const [name, g] of Object.entries(inv.mongo)) {
      if (g.srv === undefined) continue;
      if (!hasZone) {
        ctx.report(m.mongoSrvWithoutZone(name, `${g.srv}.${domain}`, domain), ['mongo', name, 'srv']);
        continue;
      }
      for (const [i, node] of g.nodes.entries()) {
        if ((inv.nodes[node]?.public ?? []).length > 0) continue;
        ctx.report(m.mongoSrvMemberWithoutPublic(name, node, `${node}.${domain}.`), ['mongo', name, 'nodes', i], {
          related: [{ message: `node ${JSON.stringify(node)} is defined here`, at: ['nodes', node], key: true }],
        });
      }
    }
  },
};
