import { m } from '../../diagnostics/messages.js';
import type { PlannedName } from '../../3-model/names.js';
import type { Model } from '../../3-model/types.js';
import type { Rr, ZoneData } from '../../3-model/zones.js';
import type { Rule } from '../context.js';

const DAEMON = { caddy: 'Caddy', traefik: 'Traefik' } as const;

/** Every name that exists in a zone: each owner and every name above it (empty non-terminals too). */
export function existingNames(owners: ReadonlyMap<string, Rr[]>): Set<string> {
  const out = new Set<string>();
  for (const o of owners.keys()) {
    for (let n = o; n.includes('.') && !out.has(n); n = n.slice(n.indexOf('.') + 1)) out.add(n);
  }
  return out;
}

/** The records that give a name its addresses in a zone: its own, else its closest encloser's wildcard's (RFC 4592). */
function answering(owners: ReadonlyMap<string, Rr[]>, existing: ReadonlySet<string>, name: string): readonly Rr[] {
  if (existing.has(name)) return owners.get(name) ?? [];
  for (let n = name.slice(name.indexOf('.') + 1); n.includes('.'); n = n.slice(n.indexOf('.') + 1)) {
    if (existing.has(n)) return owners.get(`*.${n}`) ?? [];
  }
  return [];
}

const isAddress = (r: Rr): boolean => r.type === 'A' || r.type === 'AAAA';

/** The nodes that receive what is sent to an address: the node with that public address, a VIP's members. */
export function nodesAt(model: Model, address: string): string[] {
  const out = model.nodes.filter((n) => n.public.includes(address)).map((n) => n.name);
  for (const v of model.vips) if (v.ip === address) out.push(...v.nodes);
  return out;
}

/**
 * Every served name inside a managed zone resolves, through that zone as written, to a node running
 * the daemon that serves it: the zone's records are the plan's, but a user record, a delegation or
 * a global answer over nodes without that daemon can still send a name elsewhere.
 */
export const nameResolves: Rule = {
  name: 'name-resolves',
  check(ctx) {
    const zones = new Map<string, ZoneData>(ctx.model.zoneData.map((z) => [z.zone.name, z]));
    const existing = new Map<string, Set<string>>();
    const byAddress = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const p of ctx.model.names.names) {
      // Outside every zone (the registrar's), or internal: a node without public addresses, or a
      // fallback entry with none (no edge or ingress node has public addresses) publishes nothing.
      if (p.zone === undefined || (p.entry.addresses.length === 0 && (p.kind === 'node' || ctx.model.names.global?.entry.kind !== 'vip'))) continue;
      const key = `${p.name} ${p.daemon}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const z = zones.get(p.zone)!;
      let names = existing.get(p.zone);
      if (!names) existing.set(p.zone, (names = existingNames(z.owners)));
      const records = answering(z.owners, names, `${p.name}.`);
      const at = (r: Rr): string[] => {
        let nodes = byAddress.get(r.rdata);
        if (!nodes) byAddress.set(r.rdata, (nodes = nodesAt(ctx.model, r.rdata)));
        return nodes;
      };
      if (records.some((r) => isAddress(r) && at(r).some((n) => p.servers.includes(n)))) continue;
      const addresses = records.filter(isAddress);
      const reached = new Set(addresses.flatMap(at));
      ctx.report(m.nameUnresolved(p.name, DAEMON[p.daemon], p.servers.join(', '), p.zone, answer(addresses.map((r) => r.rdata), reached), fix(p)), p.origin.path, { key: true });
    }
  },
};

function answer(addresses: readonly string[], reached: ReadonlySet<string>): string {
  if (addresses.length === 0) return 'gives it no address';
  return `answers ${addresses.join(', ')}${reached.size > 0 ? ` (${[...reached].sort().join(', ')})` : ''}, which runs no such daemon`;
}

function fix(p: PlannedName): string {
  if (p.kind === 'node') return `give node ${JSON.stringify(p.node)} \`public:\` addresses, or remove the record that takes ${p.name} elsewhere`;
  return 'point the zone\'s `global:` at nodes running the daemon that serves the names (a VIP of ingress nodes, an edge node), or remove the record that takes the name elsewhere';
}
