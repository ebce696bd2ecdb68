import type { OutputFile } from '../index.js';
import { MANIFEST, type Summary } from '../6-assemble/index.js';

/**
 * The removal guard (as octoDNS's for DNS): a build that would remove more than `share` of what the
 * previous out/ served fails, naming what goes, unless `--allow-removal` is given. A truncated or
 * emptied inventory file would otherwise drop services, backends, records or VIP holders without a word.
 *
 * Counted against the previous manifest's summary, each past the share on its own:
 * - services: HTTP services and TCP entries together, by name;
 * - backends: summed over every service and TCP entry (those of a service that is gone count as removed);
 * - zone records: per zone (a zone that is gone loses all its records);
 * - VIP members: summed over every VIP (those of a VIP that is gone count as removed).
 */
export function removals(before: Summary, after: Summary, share: number): string[] {
  const found: string[] = [];
  const over = (gone: number, total: number): boolean => total > 0 && gone / total > share;
  const pct = (gone: number, total: number): string => `${Math.round((gone / total) * 100)}%`;
  const names = (list: string[]): string => (list.length > 10 ? `${list.slice(0, 10).join(', ')}, … (${list.length - 10} more)` : list.join(', '));

  const services = new Map([...prefixed(before.services, ''), ...prefixed(before.tcp, 'tcp ')]);
  const now = new Map([...prefixed(after.services, ''), ...prefixed(after.tcp, 'tcp ')]);
  const goneServices = [...services.keys()].filter((s) => !now.has(s));
  const total = services.size;
  if (over(goneServices.length, total)) found.push(`${goneServices.length} of ${total} services (${pct(goneServices.length, total)}): ${names(goneServices)}`);

  let backends = 0;
  let goneBackends = 0;
  const lost: string[] = [];
  for (const [s, n] of services) {
    backends += n;
    const g = Math.max(0, n - (now.get(s) ?? 0));
    goneBackends += g;
    if (g > 0) lost.push(`${s} -${g}`);
  }
  if (over(goneBackends, backends)) found.push(`${goneBackends} of ${backends} backends (${pct(goneBackends, backends)}): ${names(lost)}`);

  for (const [zone, n] of Object.entries(before.zones)) {
    const kept = Object.hasOwn(after.zones, zone) ? after.zones[zone]! : undefined;
    const g = Math.max(0, n - (kept ?? 0));
    if (over(g, n)) found.push(`${g} of ${n} records of zone ${zone} (${pct(g, n)})${kept === undefined ? ': the whole zone' : ''}`);
  }

  let members = 0;
  const goneMembers: string[] = [];
  for (const [vip, nodes] of Object.entries(before.vips)) {
    members += nodes.length;
    const kept = new Set(Object.hasOwn(after.vips, vip) ? after.vips[vip] : []);
    for (const n of nodes) if (!kept.has(n)) goneMembers.push(`${vip}:${n}`);
  }
  if (over(goneMembers.length, members)) found.push(`${goneMembers.length} of ${members} VIP members (${pct(goneMembers.length, members)}): ${names(goneMembers)}`);
  return found;
}

/** The summary in the manifest of a tree about to be written. */
export function summaryIn(files: readonly OutputFile[]): Summary | undefined {
  const manifest = files.find((f) => f.path === MANIFEST);
  return manifest ? summaryOf(JSON.parse(Buffer.from(manifest.bytes).toString('utf8'))) : undefined;
}

/** The previous manifest's summary, when it has one of the right shape (older manifests have none). */
export function summaryOf(manifest: unknown): Summary | undefined {
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const s = (manifest as { summary?: unknown }).summary;
  if (typeof s !== 'object' || s === null) return undefined;
  const { services, tcp, zones, vips } = s as Record<string, unknown>;
  const counts = (v: unknown): boolean => isRecord(v) && Object.values(v).every((n) => Number.isInteger(n) && (n as number) >= 0);
  const lists = (v: unknown): boolean => isRecord(v) && Object.values(v).every((l) => Array.isArray(l) && l.every((x) => typeof x === 'string'));
  if (!counts(services) || !counts(tcp) || !counts(zones) || !lists(vips)) return undefined;
  return s as Summary;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entries under a prefix (a TCP entry may share a service's name). */
const prefixed = (counts: Record<string, number>, prefix: string): [string, number][] => Object.entries(counts).map(([k, v]) => [prefix + k, v]);
