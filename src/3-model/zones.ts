/**
 * What a zone holds, as data: the records the compiler generates from the inventory and the zone's
 * own `records`, each with the inventory place that made it. The DNS emitter lays this out; the DNS
 * checks (src/4-check/rules/zone-*.ts, mongo-srv-txt.ts) judge the very same records, so what is checked
 * is what is written.
 *
 * Every name here is absolute, lowercase, with the trailing dot. A user record's name or target
 * without a trailing dot is relative to its zone, as in a zone file (`@` is the apex), and is
 * written out absolute, so the file never depends on `$ORIGIN`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Model, Node, Origin, Zone, ZoneRecord } from './types.js';

/** The model as the zones are built from it (before its zone data). */
type Base = Omit<Model, 'zoneData'>;

export type RecordType = 'NS' | 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'SRV' | 'CAA';

/** Who made a record. `record` is the zone's own `records:`; everything else is generated. */
export type RecordSource = 'nameserver' | 'nameserver-address' | 'node' | 'service' | 'mongo' | 'record';

export interface Rr {
  /** Absolute owner name with the trailing dot. */
  owner: string;
  /** Absent: the zone's `$TTL`. */
  ttl?: number;
  type: RecordType;
  /** Record data as written in the zone file (targets absolute, TXT quoted). */
  rdata: string;
  source: RecordSource;
  /** `node "n1"`, `service "whoami"`, `record 3 of zone "example.org"`...: for messages. */
  what: string;
  origin: Origin;
  /** For user records: the index in the zone's `records`. */
  index?: number;
}

export interface ZoneSection {
  /** The comment above the section (without `; ` and without the provenance). */
  comment: string;
  /** Where the section comes from, for the provenance comment; absent when each record has its own. */
  origin?: Origin;
  records: Rr[];
}

export interface ZoneData {
  zone: Zone;
  /** `example.org.` */
  origin: string;
  /** The zone that holds `<node>.<domain>`, `<svc>.<domain>` and the Mongo seed lists. */
  isPlatformZone: boolean;
  soa: { mname: string; rname: string };
  sections: ZoneSection[];
  /** Every record of the zone, generated and user, by absolute owner name. */
  owners: Map<string, Rr[]>;
  /** The zone's own records, in `records:` order. */
  user: Rr[];
}

/** TTL of the mongodb+srv SRV and TXT records: short, so a member change reaches clients soon. */
export const MONGO_TTL = 60;
/** The longest character-string a TXT record can hold (RFC 1035 3.3). */
export const TXT_CHUNK = 255;

const q = JSON.stringify;

/** `example.org` → `example.org.` */
export const absolute = (name: string): string => (name.endsWith('.') ? name : `${name}.`);

/** A name as written in the zone's records (`@`, relative, or absolute) made absolute. */
export function ownerName(name: string, zone: string): string {
  if (name === '@') return absolute(zone);
  return name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.${zone}.`;
}

/** Is `name` (absolute) the zone's apex or below it? */
export function inZone(name: string, zone: string): boolean {
  const z = absolute(zone);
  return name === z || name.endsWith(`.${z}`);
}

/** The SOA RNAME of a mailbox: `first.last@example.org` → `first\.last.example.org.` */
export function mailboxName(contact: string): string {
  const at = contact.lastIndexOf('@');
  return `${contact.slice(0, at).replace(/\./g, '\\.')}.${absolute(contact.slice(at + 1))}`;
}

/** A quoted TXT value, split into strings of at most 255 bytes (the schema allows ASCII only). */
export function txtRdata(value: string): string {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += TXT_CHUNK) chunks.push(value.slice(i, i + TXT_CHUNK));
  return chunks.map((c) => `"${c}"`).join(' ');
}

/** IPv4 before IPv6; IPv4 by value; IPv6 as written. */
export function compareAddresses(a: string, b: string): number {
  const v4a = isIPv4(a);
  const v4b = isIPv4(b);
  if (v4a !== v4b) return v4a ? -1 : 1;
  if (v4a) {
    const na = a.split('.').map(Number);
    const nb = b.split('.').map(Number);
    for (let i = 0; i < 4; i++) if (na[i] !== nb[i]) return na[i]! - nb[i]!;
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const sortedAddresses = (addresses: readonly string[]): string[] => [...new Set(addresses)].sort(compareAddresses);
const addressType = (ip: string): RecordType => (isIPv6(ip) ? 'AAAA' : 'A');

/** DNS canonical order (RFC 4034 6.1, without the case folding the names here never need). */
export function compareNames(a: string, b: string): number {
  const la = a.replace(/\.$/, '').split('.').reverse();
  const lb = b.replace(/\.$/, '').split('.').reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return la[i]! < lb[i]! ? -1 : 1;
  }
  return la.length - lb.length;
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ANY_LABEL = /^_?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A host name (letters, digits, hyphens; check-names), or `@`, relative or absolute. */
function isHostName(name: string, anyLabel = false): boolean {
  if (name === '@') return true;
  const bare = name.replace(/\.$/, '');
  return bare.length > 0 && bare.length <= 253 && bare.split('.').every((l) => (anyLabel ? ANY_LABEL : HOST_LABEL).test(l));
}

/** Is an owner name a host name as BIND's check-names wants for A, AAAA and MX owners? (A leading `*` is fine.) */
export function isHostOwner(name: string): boolean {
  if (name === '@' || name === '*') return true;
  return isHostName(name.replace(/^\*\./, ''));
}

const u16 = (s: string | undefined): boolean => s !== undefined && /^[0-9]{1,5}$/.test(s) && Number(s) <= 65535;
const u8 = (s: string | undefined): boolean => s !== undefined && /^[0-9]{1,3}$/.test(s) && Number(s) <= 255;

/** What each type's `value` looks like, for the hint of a bad one. */
export const VALUE_FORMATS: Record<RecordType, string> = {
  A: 'an IPv4 address, e.g. 198.51.100.7',
  AAAA: 'an IPv6 address, e.g. 2001:db8::7',
  CNAME: 'a name, e.g. `bolabaden.org.` (absolute) or `www` (relative to the zone)',
  NS: 'a host name, e.g. `ns1.example.net.`',
  MX: '`PREFERENCE HOST`, e.g. `10 mail.example.net.`, or `0 .` (null MX)',
  TXT: 'any text; the compiler quotes it and splits it into strings of 255 bytes',
  SRV: '`PRIORITY WEIGHT PORT TARGET`, e.g. `0 5 5060 sip.example.net.`, or `0 0 0 .`',
  CAA: '`FLAGS TAG VALUE`, e.g. `0 issue letsencrypt.org`',
};

/**
 * A record's data as the zone file holds it, or why the value is not one of its type. Relative
 * targets become absolute in `zone`; `.` (the root) stays as is (null MX, "no service" SRV).
 */
export function recordRdata(type: RecordType, value: string, zone: string): { rdata: string; target?: string } | { error: string } {
  const target = (name: string, anyLabel: boolean): string | undefined =>
    name === '.' ? '.' : isHostName(name, anyLabel) ? ownerName(name, zone) : undefined;
  const parts = value.trim().split(/\s+/);
  switch (type) {
    case 'A':
      return isIPv4(value) ? { rdata: value } : { error: 'is not an IPv4 address' };
    case 'AAAA':
      // (Node's isIPv6 accepts a zone id, `fe80::1%eth0`, which no zone file may hold.)
      return isIPv6(value) && !value.includes('%') ? { rdata: value } : { error: 'is not an IPv6 address' };
    case 'TXT':
      return { rdata: txtRdata(value) };
    case 'CNAME':
    case 'NS': {
      const t = parts.length === 1 && parts[0] !== '.' ? target(parts[0]!, type === 'CNAME') : undefined;
      if (t === undefined) return { error: type === 'NS' ? 'is not a host name' : 'is not a domain name' };
      return { rdata: t, target: t };
    }
    case 'MX': {
      const t = parts.length === 2 && u16(parts[0]) ? target(parts[1]!, false) : undefined;
      if (t === undefined) return { error: 'is not `PREFERENCE HOST`' };
      return { rdata: `${Number(parts[0])} ${t}`, target: t };
    }
    case 'SRV': {
      const t = parts.length === 4 && u16(parts[0]) && u16(parts[1]) && u16(parts[2]) ? target(parts[3]!, false) : undefined;
      if (t === undefined) return { error: 'is not `PRIORITY WEIGHT PORT TARGET`' };
      return { rdata: `${Number(parts[0])} ${Number(parts[1])} ${Number(parts[2])} ${t}`, target: t };
    }
    case 'CAA': {
      const m = /^([0-9]{1,3})\s+([a-z0-9]{1,15})\s+(\S.*)$/i.exec(value.trim());
      if (!m || !u8(m[1])) return { error: 'is not `FLAGS TAG VALUE`' };
      return { rdata: `${Number(m[1])} ${m[2]!.toLowerCase()} "${m[3]!}"` };
    }
  }
}

/** The addresses `<svc>.<domain>` resolves to under the zone's `global`, and how to say it. */
export function globalAnswer(model: Base, zone: Zone): { addresses: string[]; describe: string } | undefined {
  const g = zone.global;
  if (!g) return undefined;
  switch (g.kind) {
    case 'vip': {
      const vip = model.vips.find((v) => v.name === g.vip);
      return { addresses: vip ? [vip.ip] : [], describe: `VIP ${g.vip}` };
    }
    case 'edge':
      return { addresses: sortedAddresses(model.node(g.node).public), describe: `edge node ${g.node}` };
    case 'round_robin': {
      const nodes = model.nodes.filter((n) => n.roles.includes(g.role) && n.public.length > 0 && !n.drained);
      return {
        addresses: sortedAddresses(nodes.flatMap((n) => n.public)),
        describe: `round robin over role ${g.role}${nodes.length > 0 ? `: ${nodes.map((n) => n.name).join(', ')}` : ''}`,
      };
    }
  }
}

function addressRecords(owner: string, addresses: readonly string[], base: Omit<Rr, 'owner' | 'type' | 'rdata'>): Rr[] {
  return addressRows(addresses).map((row) => {
    const r: Rr = { owner, type: row.type, rdata: row.rdata, source: base.source, what: base.what, origin: base.origin };
    if (base.ttl !== undefined) r.ttl = base.ttl;
    if (base.index !== undefined) r.index = base.index;
    return r;
  });
}

/** Addresses in record order with their types. */
function addressRows(addresses: readonly string[]): { type: RecordType; rdata: string }[] {
  return sortedAddresses(addresses).map((ip) => ({ type: addressType(ip), rdata: ip }));
}

/** Everything zone `zone` holds, in sections, in the order the file lists them. */
export function zoneData(model: Base, zone: Zone): ZoneData {
  const origin = absolute(zone.name);
  const isPlatformZone = zone.name === model.platform.domain;
  const zoneWhat = `zone ${q(zone.name)}`;
  const nodes = new Map(model.nodes.map((n) => [n.name, n]));
  const sections: ZoneSection[] = [];

  sections.push({
    comment: 'nameservers',
    origin: { path: [...zone.origin.path, 'nameservers'] },
    records: zone.nameservers.map((ns, i) => ({
      owner: origin,
      type: 'NS',
      rdata: absolute(ns),
      source: 'nameserver',
      what: `the nameservers of ${zoneWhat}`,
      origin: { path: [...zone.origin.path, 'nameservers', i] },
    })),
  });

  // An in-zone nameserver `<node>.<zone>` takes that node's public addresses. In the platform zone
  // the node's own records already give them.
  if (!isPlatformZone) {
    for (const ns of zone.nameservers) {
      const node = nameserverNode(ns, zone.name, nodes);
      if (!node || node.public.length === 0) continue;
      const what = `node ${q(node.name)}`;
      sections.push({
        comment: `nameserver ${ns}: node ${node.name}`,
        origin: node.origin,
        records: addressRecords(absolute(ns), node.public, { source: 'nameserver-address', what, origin: node.origin }),
      });
    }
  }

  if (isPlatformZone) {
    for (const node of model.nodes) {
      if (node.public.length === 0) continue;
      const base = { source: 'node' as const, what: `node ${q(node.name)}`, origin: node.origin };
      sections.push({
        comment: `node ${node.name}: ${node.name}.${zone.name} and every name below it`,
        origin: node.origin,
        records: [...addressRecords(`${node.name}.${origin}`, node.public, base), ...addressRecords(`*.${node.name}.${origin}`, node.public, base)],
      });
    }

    sections.push(...plannedSections(model, zone.name));

    for (const g of model.mongo) {
      if (g.srv === undefined) continue;
      const host = `${g.srv}.${origin}`;
      const base = { ttl: MONGO_TTL, source: 'mongo' as const, what: `Mongo replica set ${q(g.name)}`, origin: { path: [...g.origin.path, 'srv'] } };
      const txt = `replicaSet=${g.name}${g.authSource !== undefined ? `&authSource=${g.authSource}` : ''}`;
      sections.push({
        comment: `mongodb+srv://${host.slice(0, -1)}/ : replica set ${g.name}`,
        origin: g.origin,
        records: [
          { ...base, owner: host, type: 'TXT', rdata: txtRdata(txt) },
          ...[...g.nodes].sort().map((n): Rr => ({ ...base, owner: `_mongodb._tcp.${host}`, type: 'SRV', rdata: `0 5 ${g.port} ${n}.${origin}` })),
        ],
      });
    }
  }

  if (!isPlatformZone) sections.push(...plannedSections(model, zone.name));

  const records = zone.records
    .map((r, index) => userRecord(r, index, zone))
    .sort((a, b) => compareNames(a.owner, b.owner) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) || (a.rdata < b.rdata ? -1 : a.rdata > b.rdata ? 1 : 0) || a.index! - b.index!);
  if (records.length > 0) sections.push({ comment: 'records', origin: { path: [...zone.origin.path, 'records'] }, records });

  const all = sections.flatMap((s) => s.records);
  return {
    zone,
    origin,
    isPlatformZone,
    soa: { mname: absolute(zone.nameservers[0]!), rname: mailboxName(model.platform.contact) },
    sections,
    owners: byOwner(all),
    user: all.filter((r) => r.source === 'record').sort((a, b) => a.index! - b.index!),
  };
}

/**
 * The records of the name plan inside this zone: every name a daemon serves gets the addresses of
 * the entry that answers it, one section per service. A node-scoped name answered by the node
 * itself needs none: `*.<node>` gives it the node's addresses.
 */
function plannedSections(model: Base, zone: string): ZoneSection[] {
  const byService = new Map<string, Rr[]>();
  const describe = new Map<string, string>();
  const seen = new Set<string>();
  const services = new Map(model.services.map((s) => [s.name, s]));
  for (const p of model.names.names) {
    if (p.zone !== zone || p.entry.kind === 'node') continue;
    const owner = `${p.name}.`;
    if (seen.has(owner)) continue;
    seen.add(owner);
    const s = services.get(p.service)!;
    const rrs = addressRecords(owner, p.entry.addresses, { source: 'service', what: `service ${q(p.service)}`, origin: s.origin });
    const list = byService.get(p.service);
    if (list) list.push(...rrs);
    else byService.set(p.service, rrs);
    const d = `${p.daemon === 'caddy' ? 'Caddy' : 'Traefik'} on ${p.entry.describe}`;
    const prev = describe.get(p.service);
    if (prev === undefined) describe.set(p.service, d);
    else if (!prev.split('; ').includes(d)) describe.set(p.service, `${prev}; ${d}`);
  }
  const out: ZoneSection[] = [];
  for (const s of model.services) {
    const records = byService.get(s.name);
    if (!records || records.length === 0) continue;
    out.push({ comment: `service ${s.name}: ${describe.get(s.name)!}`, origin: s.origin, records });
  }
  return out;
}

function userRecord(r: ZoneRecord, index: number, zone: Zone): Rr {
  const parsed = recordRdata(r.type, r.value, zone.name);
  return {
    owner: ownerName(r.name, zone.name),
    ...(r.ttl !== undefined ? { ttl: r.ttl } : {}),
    type: r.type,
    // A bad value never reaches a file (the zone-records rule rejects it); rules still see the record.
    rdata: 'rdata' in parsed ? parsed.rdata : r.value,
    source: 'record',
    what: "the zone's records",
    origin: r.origin,
    index,
  };
}

/** The node an in-zone nameserver is named after: `<node>.<zone>`. */
export function nameserverNode(ns: string, zone: string, nodes: ReadonlyMap<string, Node>): Node | undefined {
  const suffix = `.${zone}`;
  if (!ns.endsWith(suffix)) return undefined;
  const label = ns.slice(0, -suffix.length);
  return label.includes('.') ? undefined : nodes.get(label);
}

/** Records grouped by owner. */
function byOwner(records: readonly Rr[]): Map<string, Rr[]> {
  const out = new Map<string, Rr[]>();
  for (const r of records) {
    const list = out.get(r.owner);
    if (list) list.push(r);
    else out.set(r.owner, [r]);
  }
  return out;
}

/**
 * Does `name` resolve to an address inside the zone: A or AAAA records at the name itself or,
 * when `wildcards` and the name does not exist, at the wildcard of its closest encloser
 * (RFC 4592), as named-checkzone accepts for MX and SRV targets.
 */
export function hasAddress(owners: ReadonlyMap<string, Rr[]>, name: string, wildcards: boolean): boolean {
  const isAddress = (r: Rr): boolean => r.type === 'A' || r.type === 'AAAA';
  const at = owners.get(name);
  if (at) return at.some(isAddress);
  if (!wildcards) return false;
  const exists = (n: string): boolean => [...owners.keys()].some((o) => o === n || o.endsWith(`.${n}`));
  if (exists(name)) return false; // an empty non-terminal: it exists, so no wildcard answers for it
  for (let n = name.slice(name.indexOf('.') + 1); n.length > 0; n = n.slice(n.indexOf('.') + 1)) {
    if (exists(n)) return (owners.get(`*.${n}`) ?? []).some(isAddress);
  }
  return false;
}
