import { m } from '../../diagnostics/messages.js';
import { hasAddress, inZone, isHostOwner, recordRdata, VALUE_FORMATS } from '../../3-model/zones.js';
import type { Rule } from '../context.js';

/**
 * Each record of a zone's `records` is one named-checkzone loads cleanly with its strict flags:
 * its name is inside the zone (out-of-zone data is only a warning there), A, AAAA and MX owners
 * are host names (-k fail), the value parses as its type, and an MX, SRV or NS target inside the
 * zone has an address record (-m/-n fail; a missing SRV target is only a warning), not a CNAME
 * (-M/-S fail: the zone-cname rule forbids a CNAME beside the address). MX and SRV targets may be
 * answered by a wildcard, as named does; NS targets need their own address records (glue).
 * A relative name that ends in the zone's name (`www.example.org` without the dot) means
 * `www.example.org.example.org.`, which named accepts silently: an error here.
 */
export const zoneRecords: Rule = {
  name: 'zone-records',
  check(ctx) {
    for (const z of ctx.model.zoneData) {
      const zone = z.zone;
      for (const r of z.user) {
        const input = zone.records[r.index!]!;
        if (!inZone(r.owner, zone.name)) {
          ctx.report(m.recordOutOfZone(input.name, zone.name), [...r.origin.path, 'name']);
          continue;
        }
        if ((r.type === 'A' || r.type === 'AAAA' || r.type === 'MX') && !isHostOwner(input.name)) {
          ctx.report(m.recordOwnerNotHostname(input.name, r.type), [...r.origin.path, 'name']);
        }
        if (repeatsZone(input.name, zone.name)) ctx.report(m.relativeNameWithZone(input.name, zone.name), [...r.origin.path, 'name']);
        const parsed = recordRdata(r.type, input.value, zone.name);
        if ('error' in parsed) {
          ctx.report(m.recordBadValue(r.type, input.value, parsed.error, VALUE_FORMATS[r.type]), [...r.origin.path, 'value']);
          continue;
        }
        const written = input.value.trim().split(/\s+/).at(-1)!;
        if (parsed.target !== undefined && repeatsZone(written, zone.name)) {
          ctx.report(m.relativeNameWithZone(written, zone.name), [...r.origin.path, 'value']);
          continue;
        }
        const target = parsed.target;
        if (target === undefined || target === '.' || r.type === 'CNAME' || !inZone(target, zone.name)) continue;
        if (!hasAddress(z.owners, target, r.type !== 'NS')) ctx.report(m.targetWithoutAddress(r.type, target, zone.name), [...r.origin.path, 'value']);
      }
    }
  },
};

/** `www.example.org` in zone example.org: relative, so it means www.example.org.example.org. (a classic slip). */
function repeatsZone(name: string, zone: string): boolean {
  return !name.endsWith('.') && (name === zone || name.endsWith(`.${zone}`));
}
