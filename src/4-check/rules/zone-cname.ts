import { m } from '../../diagnostics/messages.js';
import type { Rr } from '../../3-model/zones.js';
import type { Rule } from '../context.js';

/**
 * A CNAME is the only record at its name (RFC 1034 3.6.2; named-checkzone: "CNAME and other data").
 * A record of the zone that is a CNAME must not share its name with a generated record (a node, a
 * service, the apex with its SOA and NS, a Mongo name) or with another record of the zone.
 */
export const zoneCname: Rule = {
  name: 'zone-cname',
  check(ctx) {
    for (const z of ctx.model.zoneData) {
      for (const r of z.user) {
        if (r.type !== 'CNAME') continue;
        const others = (z.owners.get(r.owner) ?? []).filter((o) => o !== r);
        const apex = r.owner === z.origin;
        if (others.length === 0 && !apex) continue;
        const kinds = [...(apex ? ['the SOA record'] : []), ...unique(others.map(describe))];
        const first = others[0];
        ctx.report(m.cnameAndOtherData(r.owner, kinds.join(', ')), [...r.origin.path, 'name'], {
          ...(first ? { related: [{ message: describe(first), at: first.origin.path, key: first.source !== 'record' }] } : {}),
        });
      }
    }
  },
};

/** `the A records from node "n1"`, `a TXT record of the zone's records`. */
function describe(r: Rr): string {
  return r.source === 'record' ? `a ${r.type} record of the zone's records` : `the ${r.type} records from ${r.what}`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
