import { m } from '../../diagnostics/messages.js';
import { absolute, hasAddress, inZone, nameserverNode } from '../../3-model/zones.js';
import type { Rule } from '../context.js';

/**
 * An in-zone nameserver has address records in its zone (named-checkzone -n fail rejects the zone
 * otherwise, and resolvers need the glue). `<node>.<zone>` takes the node's public addresses;
 * any other in-zone nameserver needs A/AAAA records in the zone's `records`. A wildcard does not
 * count here: glue must be explicit.
 */
export const zoneNameservers: Rule = {
  name: 'zone-nameservers',
  check(ctx) {
    for (const z of ctx.model.zoneData) {
      const zone = z.zone;
      const nodes = new Map(ctx.model.nodes.map((n) => [n.name, n]));
      for (const [i, ns] of zone.nameservers.entries()) {
        const name = absolute(ns);
        if (!inZone(name, zone.name) || hasAddress(z.owners, name, false)) continue;
        const node = nameserverNode(ns, zone.name, nodes);
        ctx.report(m.nameserverWithoutAddress(zone.name, ns, node?.name), [...zone.origin.path, 'nameservers', i], {
          ...(node ? { related: [{ message: `node ${JSON.stringify(node.name)} is defined here`, at: node.origin.path, key: true }] } : {}),
        });
      }
    }
  },
};
