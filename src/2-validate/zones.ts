import { buildModel } from '../3-model/build.js';
import type { Model } from '../3-model/types.js';
import { byOwner, zoneData, type Rr, type ZoneData } from '../4-emit/dns-records.js';
import type { Inventory } from './inventory.js';

export interface ZoneView {
  model: Model;
  data: ZoneData;
  /** Every record of the zone, generated and user, by absolute owner name. */
  owners: Map<string, Rr[]>;
  /** The zone's own records, in `records:` order. */
  user: Rr[];
}


const cache = new WeakMap<Inventory, ZoneView[]>();

/**
 * The DNS rules judge the records the emitter writes, so they build the same zone data from the
 * model. Rules run after references resolve, which is all buildModel needs. Built once per
 * inventory, and only when it has zones.
 */
export function zonesView(inv: Inventory): ZoneView[] {
  let view = cache.get(inv);
  if (!view) {
    if (Object.keys(inv.dns.zones).length === 0) view = [];
    else {
      const model = buildModel(inv);
      view = model.zones.map((z) => {
        const data = zoneData(model, z);
        const user = data.sections.flatMap((s) => s.records).filter((r) => r.source === 'record').sort((a, b) => a.index! - b.index!);
        return { model, data, owners: byOwner(data), user };
      });
    }
    cache.set(inv, view);
  }
  return view;
}
