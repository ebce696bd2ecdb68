import { m } from '../../diagnostics/messages.js';
import type { Rr } from '../../3-model/zones.js';
import type { Rule } from '../context.js';

const isAddress = (r: Rr): boolean => r.type === 'A' || r.type === 'AAAA';
const sameSet = (a: Rr, b: Rr): boolean => a.type === b.type || (isAddress(a) && isAddress(b));

/**
 * The zone's own records against the generated ones and each other:
 * - a record at a generated name with the generated type (A and AAAA count as one: the name's
 *   addresses) is an error: it would silently join what the inventory generates (a node's
 *   addresses, a service's answer, the apex NS set, a Mongo seed list). Other types beside
 *   generated records are fine (a TXT or MX at the apex, a TXT at a node). CNAMEs and the Mongo
 *   TXT have their own rules (zone-cname, mongo-srv-txt).
 * - the same record twice, or one record set (name and type) with two TTLs: errors
 *   (named-checkzone warns "TTL set to prior TTL").
 * - a record below a node's wildcard `*.<node>` that is not an address or CNAME: a warning, as
 *   the name then exists and the wildcard no longer answers its A queries (RFC 4592).
 */
export const zoneCollisions: Rule = {
  name: 'zone-collisions',
  check(ctx) {
    for (const z of ctx.model.zoneData) {
      const seen: Rr[] = [];
      for (const r of z.user) {
        const at = z.owners.get(r.owner) ?? [];
        const generated = r.type === 'CNAME' ? undefined : at.find((g) => g.source !== 'record' && sameSet(g, r) && !(g.source === 'mongo' && g.type === 'TXT'));
        if (generated) {
          const kind = isAddress(generated) ? 'addresses' : `${generated.type} records`;
          ctx.report(m.recordJoinsGenerated(r.owner, r.type, kind, generated.what), [...r.origin.path, 'name'], {
            related: [{ message: `generated for ${generated.what}`, at: generated.origin.path, key: true }],
          });
        }
        const twin = seen.find((s) => s.owner === r.owner && s.type === r.type && s.rdata === r.rdata);
        const other = seen.find((s) => s.owner === r.owner && s.type === r.type && s.ttl !== r.ttl);
        if (twin) {
          ctx.report(m.duplicateRecord(r.owner, r.type), r.origin.path, { related: [{ message: 'first listed here', at: twin.origin.path }] });
        } else if (other) {
          const ttl = (x: Rr): string => (x.ttl !== undefined ? String(x.ttl) : `the zone TTL ${z.zone.ttl}`);
          ctx.report(m.recordTtlMismatch(r.owner, r.type, ttl(r), ttl(other)), [...r.origin.path, r.ttl !== undefined ? 'ttl' : 'name'], {
            related: [{ message: `the ${r.type} record at the same name with ${ttl(other)}`, at: other.origin.path }],
          });
        }
        seen.push(r);
        if (at.some((g) => g.source !== 'record') || r.type === 'CNAME' || isAddress(r) || r.owner.startsWith('*.') || r.owner.split('.').some((l) => l.startsWith('_'))) continue;
        const wildcard = wildcardAbove(z.owners, r.owner, z.origin);
        if (wildcard && !at.some(isAddress)) ctx.report(m.recordHidesWildcard(r.owner, r.type, wildcard.owner, wildcard.what), [...r.origin.path, 'name']);
      }
    }
  },
};

/** The generated wildcard that would answer for `name` if it did not exist (its closest encloser's). */
function wildcardAbove(owners: ReadonlyMap<string, Rr[]>, name: string, apex: string): Rr | undefined {
  const exists = (n: string): boolean => [...owners.keys()].some((o) => o !== name && (o === n || o.endsWith(`.${n}`)));
  for (let n = name.slice(name.indexOf('.') + 1); n.length >= apex.length; n = n.slice(n.indexOf('.') + 1)) {
    if (exists(n)) return (owners.get(`*.${n}`) ?? []).find((g) => g.source !== 'record' && isAddress(g));
  }
  return undefined;
}
