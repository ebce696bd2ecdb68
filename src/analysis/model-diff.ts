import type { Model, Service } from '../3-model/types.js';

/** One line of the semantic summary, in the inventory's terms. */
export interface Change {
  subject: string;
  text: string;
  /** Set when the change removes a large share of something (called out at the top). */
  alarm?: string;
}

const list = (xs: readonly string[]) => xs.join(', ');

function setDiff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: after.filter((x) => !b.has(x)), removed: before.filter((x) => !a.has(x)) };
}

/** Compares member lists: additions, removals, order changes, and a removal alarm above `share`. */
function members(subject: string, noun: string, before: string[], after: string[], share: number, ordered: boolean): Change[] {
  const { added, removed } = setDiff(before, after);
  const out: Change[] = [];
  for (const x of added) out.push({ subject, text: `${noun} ${x} added` });
  for (const x of removed) out.push({ subject, text: `${noun} ${x} removed` });
  if (removed.length > 0 && before.length > 0 && removed.length / before.length > share) {
    out[out.length - 1]!.alarm = `${subject} loses ${removed.length} of ${before.length} ${noun}s`;
  }
  if (ordered && added.length === 0 && removed.length === 0 && before.join() !== after.join()) {
    out.push({ subject, text: `${noun} order ${list(before)} → ${list(after)}` });
  }
  return out;
}

function byName<T extends { name: string }>(xs: readonly T[]): Map<string, T> {
  return new Map(xs.map((x) => [x.name, x]));
}

/** Walks two named collections: added, removed, and `each` for the ones in both. */
function collection<T extends { name: string }>(kind: string, before: readonly T[], after: readonly T[], each: (subject: string, b: T, a: T) => Change[]): Change[] {
  const b = byName(before);
  const a = byName(after);
  const out: Change[] = [];
  for (const [name, x] of a) {
    const subject = `${kind} ${name}`;
    const old = b.get(name);
    out.push(...(old ? each(subject, old, x) : [{ subject, text: 'added' }]));
  }
  for (const name of b.keys()) if (!a.has(name)) out.push({ subject: `${kind} ${name}`, text: 'removed', alarm: `${kind} ${name} is removed` });
  return out;
}

function field(subject: string, what: string, before: unknown, after: unknown): Change[] {
  const b = JSON.stringify(before);
  const a = JSON.stringify(after);
  return b === a ? [] : [{ subject, text: `${what} ${b ?? 'unset'} → ${a ?? 'unset'}` }];
}

/** The paths a service's traffic takes between nodes (3-model/routing.ts), in words. */
function routing(subject: string, b: Service, a: Service): Change[] {
  const out: Change[] = [];
  if (b.localFirst !== a.localFirst) out.push({ subject, text: a.localFirst ? 'local first: ingress nodes that run an instance serve its global names from it first' : 'no longer local first: every ingress node goes through its tiers' });
  if (b.reach !== a.reach) out.push({ subject, text: a.reach === 'ingress' ? `peers and the edge reach its instances through their node's ingress (${a.name}.<node>.<domain>), no longer at their addresses` : "peers and the edge reach its instances at their addresses, no longer through their node's ingress" });
  out.push(...field(subject, 'router_priority', b.routerPriority, a.routerPriority));
  return out;
}

/** The semantic summary of what changed between two models, in inventory terms. */
export function diffModels(before: Model, after: Model, share = 0.5): Change[] {
  return [
    ...collection('node', before.nodes, after.nodes, (s, b, a) => [
      ...field(s, 'site', b.site, a.site),
      ...field(s, 'address', b.address, a.address),
      ...field(s, 'public', b.public, a.public),
      ...field(s, 'roles', b.roles, a.roles),
      ...field(s, 'priority', b.priority, a.priority),
      ...(b.drained !== a.drained ? [{ subject: s, text: a.drained ? 'drained (takes no new traffic)' : 'undrained (back in rotation)' }] : []),
    ]),
    ...collection('service', before.services, after.services, (s, b, a) => [
      ...members(s, 'backend', b.backends.map((x) => x.key), a.backends.map((x) => x.key), share, true),
      ...field(s, 'active', b.active, a.active),
      ...field(s, 'balance', b.balance, a.balance),
      ...field(s, 'port', b.port, a.port),
      ...members(s, 'host', b.hosts, a.hosts, 1, false),
      ...field(s, 'health', b.health, a.health),
      ...field(s, 'proxy', b.proxy, a.proxy),
      ...middlewareChain(s, b.middlewares, a.middlewares),
      ...field(s, 'path', b.path, a.path),
      ...field(s, 'upstream', b.upstream, a.upstream),
      ...field(s, 'sticky', b.sticky, a.sticky),
      ...routing(s, b, a),
    ]),
    ...collection('middleware', before.middlewares, after.middlewares, (s, b, a) => {
      const { name: _b, origin: _bo, ...bw } = b;
      const { name: _a, origin: _ao, ...aw } = a;
      // Removing auth from a service is the change a reviewer must not miss.
      return field(s, 'settings', bw, aw);
    }),
    ...collection('tcp entry', before.tcp, after.tcp, (s, b, a) => [
      ...field(s, 'port', b.port, a.port),
      ...field(s, 'target', b.target, a.target),
      ...members(s, 'SNI name', b.sni, a.sni, 1, false),
      ...members(s, 'backend', b.backends.map((x) => x.key), a.backends.map((x) => x.key), share, true),
    ]),
    ...collection('Redis group', before.redis, after.redis, (s, b, a) => [
      ...members(s, 'member', b.nodes, a.nodes, share, true),
      ...field(s, 'quorum', b.quorum, a.quorum),
      ...field(s, 'down_after (ms)', b.downAfterMs, a.downAfterMs),
    ]),
    ...collection('Mongo replica set', before.mongo, after.mongo, (s, b, a) => [...members(s, 'member', b.nodes, a.nodes, share, false), ...field(s, 'srv', b.srv, a.srv)]),
    ...collection('Postgres cluster', before.postgres, after.postgres, (s, b, a) => members(s, 'member', b.nodes, a.nodes, share, false)),
    ...collection('VIP', before.vips, after.vips, (s, b, a) => [
      ...field(s, 'address', b.cidr, a.cidr),
      ...field(s, 'router_id', b.routerId, a.routerId),
      ...members(s, 'holder', b.nodes, a.nodes, share, true),
    ]),
    ...collection('zone', before.zones, after.zones, (s, b, a) => [...field(s, 'global answer', b.global, a.global), ...field(s, 'nameservers', b.nameservers, a.nameservers)]),
  ];
}

const AUTH = new Set(['forward_auth', 'basic_auth', 'ip_allow']);

/** A service's middleware list: added, removed, reordered; losing an auth middleware is an alarm. */
function middlewareChain(subject: string, before: Model['services'][number]['middlewares'], after: Model['services'][number]['middlewares']): Change[] {
  const ref = (u: (typeof before)[number]): string => (u.provider !== undefined ? `${u.name}@${u.provider}` : u.name);
  const out = members(subject, 'middleware', before.map(ref), after.map(ref), 1, true);
  const kept = new Set(after.map(ref));
  for (const c of out) {
    const lost = before.find((u) => `middleware ${ref(u)} removed` === c.text && !kept.has(ref(u)));
    if (lost?.middleware !== undefined && AUTH.has(lost.middleware.kind)) c.alarm = `${subject} loses ${lost.middleware.kind} ${lost.name}: it is served without it`;
  }
  return out;
}

/** Record lines of a zone file, for counting what a zone gained or lost. */
export function zoneRecords(text: string): string[] {
  return text
    .split('\n')
    .map((l) => stripComment(l).trim())
    .filter((l) => l !== '' && !l.startsWith('$') && !/\bSOA\b/.test(l) && !/^[0-9]+\s*\)?$/.test(l) && l !== ')')
    .map((l) => l.replace(/\s+/g, ' '));
}

/** A zone-file line without its `;` comment; a `;` inside a quoted string is data (DMARC, DKIM). */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) return line.slice(0, i);
  }
  return line;
}

export function diffZoneFile(zone: string, before: string, after: string, share = 0.5): Change[] {
  const { added, removed } = setDiff(zoneRecords(before), zoneRecords(after));
  const serial = (t: string) => /([0-9]+)\s*;\s*serial/.exec(t)?.[1];
  const out: Change[] = [];
  const subject = `zone ${zone}`;
  if (added.length || removed.length) {
    const parts = [added.length ? `${added.length} record${added.length > 1 ? 's' : ''} added` : '', removed.length ? `${removed.length} record${removed.length > 1 ? 's' : ''} removed` : ''].filter(Boolean);
    const c: Change = { subject, text: parts.join(', ') };
    const total = zoneRecords(before).length;
    if (total > 0 && removed.length / total > share) c.alarm = `zone ${zone} loses ${removed.length} of ${total} records`;
    out.push(c);
  }
  if (serial(before) !== serial(after)) out.push({ subject, text: `serial ${serial(before) ?? '?'} → ${serial(after) ?? '?'}` });
  return out;
}

export const describeChange = (c: Change): string => `${c.subject}: ${c.text}`;
