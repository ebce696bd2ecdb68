import { m } from '../../diagnostics/messages.js';
import type { Rr } from '../../3-model/zones.js';
import type { Rule } from '../context.js';

/**
 * An NS record below the apex delegates that name and everything under it to other nameservers:
 * the zone stops answering for them, except the glue (the addresses of the delegation's own
 * in-zone nameservers). named-checkzone loads such occluded records without a word; this rule
 * rejects them, whether the zone lists them or the compiler generates them (a node, a service).
 */
export const zoneDelegation: Rule = {
  name: 'zone-delegation',
  check(ctx) {
    for (const z of ctx.model.zoneData) {
      const all = [...z.owners.values()].flat();
      const cuts = [...new Set(z.user.filter((r) => r.type === 'NS' && r.owner !== z.origin).map((r) => r.owner))];
      const reported = new Set<Rr>();
      const hidden = new Set<string>();
      for (const cut of cuts) {
        const ns = z.user.filter((r) => r.type === 'NS' && r.owner === cut);
        const glue = new Set(ns.map((r) => r.rdata));
        for (const r of all) {
          if (reported.has(r) || (r.owner !== cut && !r.owner.endsWith(`.${cut}`))) continue;
          if ((r.type === 'NS' && r.owner === cut) || ((r.type === 'A' || r.type === 'AAAA') && glue.has(r.owner))) continue;
          reported.add(r);
          const first = ns[0]!;
          if (r.source === 'record') {
            ctx.report(m.recordBelowDelegation(r.owner, cut), [...r.origin.path, 'name'], { related: [{ message: 'the NS record that delegates it', at: first.origin.path }] });
          } else if (!hidden.has(`${cut} ${r.what}`)) {
            hidden.add(`${cut} ${r.what}`);
            ctx.report(m.generatedBelowDelegation(cut, r.what), [...first.origin.path, 'name'], { related: [{ message: `${r.owner} is generated for ${r.what}`, at: r.origin.path, key: true }] });
          }
        }
      }
    }
  },
};
