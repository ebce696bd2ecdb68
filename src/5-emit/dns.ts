import type { Origin } from '../3-model/types.js';
import type { Rr } from '../3-model/zones.js';
import { MAX_SERIAL } from './dns-serial.js';
import { from, header } from './format.js';
import { render } from './templates.js';
import { TextBytes } from './text-bytes.js';
import { outputFile, type Emitter, type OutputFile } from './types.js';

/** SOA timers in seconds (reference/daemons.md 6.2); the negative-caching minimum is the zone's TTL. */
export const SOA_TIMERS = { refresh: 3600, retry: 600, expire: 1209600 } as const;

/** Record data longer than this does not push the provenance comments of the other records to the right. */
const LONG_RDATA = 48;

/** named-checkzone at its strictest; a clean run prints only `loaded serial N` and `OK`. */
export const checkZoneCommand = (zone: string, file: string): string =>
  `named-checkzone -i local -k fail -n fail -m fail -M fail -S fail -r fail -l 86400 ${zone} ${file}`;

/**
 * One BIND zone file per zone in `dns.zones`: SOA and NS, addresses for in-zone nameservers named
 * after nodes, and, in the zone named like the platform domain, `<node>` and `*.<node>` for every
 * node with public addresses, `<svc>` with the zone's global answer, the mongodb+srv SRV and TXT
 * records; then the zone's own records. What the file holds is the model's zone data (3-model/zones.ts),
 * which the DNS checks judge; this module only lays it out: absolute names, aligned columns, every block with
 * the inventory place it comes from.
 */
export const dns: Emitter = {
  daemon: 'dns',
  emit(model, ctx) {
    if (!Number.isInteger(ctx.serial) || ctx.serial < 0 || ctx.serial > MAX_SERIAL) {
      throw new RangeError(`internal: SOA serial ${ctx.serial} is not a whole number from 0 to ${MAX_SERIAL}`);
    }
    return model.zoneData.map((data): OutputFile => {
      const zone = data.zone;
      const where = (o: Origin | undefined): string => (o ? `, from ${from(o)}` : '');
      const all = data.sections.flatMap((s) => s.records);
      const soaRow = { owner: data.origin, ttl: '', type: 'SOA' };
      // Column widths.
      const w = { owner: soaRow.owner.length, ttl: 0, type: soaRow.type.length };
      let dataWidth = 0;
      for (const r of all) {
        w.owner = Math.max(w.owner, r.owner.length);
        if (r.ttl !== undefined) w.ttl = Math.max(w.ttl, String(r.ttl).length);
        w.type = Math.max(w.type, r.type.length);
        // A zone's own records each name their place in a trailing comment, aligned unless the data is long.
        if (r.source === 'record' && r.rdata.length <= LONG_RDATA) dataWidth = Math.max(dataWidth, r.rdata.length);
      }
      const row = (owner: string, ttl: string, type: string, rdata: string): string =>
        [owner.padEnd(w.owner), ...(w.ttl > 0 ? [ttl.padEnd(w.ttl)] : []), 'IN', type.padEnd(w.type), rdata].join(' ');
      const line = (r: Rr): string => {
        const ttl = r.ttl !== undefined ? String(r.ttl) : '';
        return r.source === 'record' ? `${row(r.owner, ttl, r.type, r.rdata.padEnd(dataWidth))} ; from ${from(r.origin)}` : row(r.owner, ttl, r.type, r.rdata);
      };
      const indent = ' '.repeat(row(soaRow.owner, '', soaRow.type, '').length);
      const timer = (value: number | string, comment: string): string => `${indent}${String(value).padEnd(10)} ; ${comment}`;
      const [nameservers, ...rest] = data.sections;
      const path = `dns/${zone.name}.zone`;
      const text = new TextBytes(all.length * 64);
      text.put(render('dns/zone.hbs', {
        header: header(';', `Zone ${zone.name} (BIND master file format).`).trimEnd(),
        origin: data.origin,
        ttl: zone.ttl,
        soaComment: `zone ${zone.name}: SOA and nameservers${where(zone.origin)}`,
        soa: [
          `${row(soaRow.owner, '', soaRow.type, `${data.soa.mname} ${data.soa.rname}`)} (`,
          timer(ctx.serial, 'serial'),
          timer(SOA_TIMERS.refresh, 'refresh'),
          timer(SOA_TIMERS.retry, 'retry'),
          timer(SOA_TIMERS.expire, 'expire'),
          timer(`${zone.ttl} )`, 'minimum (negative-caching TTL)'),
          ...nameservers!.records.map(line),
        ],
      }));
      // The other sections.
      for (const s of rest) {
        text.put(`\n; ${s.comment}${where(s.origin)}\n`);
        for (const r of s.records) text.put(`${line(r)}\n`);
      }
      return outputFile({ path, daemon: 'dns', check: checkZoneCommand(zone.name, path), secrets: [] }, text.bytes());
    });
  },
};
