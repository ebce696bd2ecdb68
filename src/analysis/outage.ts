import type { Backend, Model } from '../3-model/types.js';

/** What is down in a scenario: whole sites and single nodes. */
export interface Outage {
  sites: ReadonlySet<string>;
  nodes: ReadonlySet<string>;
}

export const NO_OUTAGE: Outage = { sites: new Set(), nodes: new Set() };

export function nodeUp(model: Model, name: string, o: Outage): boolean {
  return !o.nodes.has(name) && !o.sites.has(model.node(name).site);
}

export function backendUp(model: Model, b: Backend, o: Outage): boolean {
  return b.node !== undefined ? nodeUp(model, b.node, o) : !o.sites.has(b.site);
}

export const majority = (n: number): number => Math.floor(n / 2) + 1;

type Candidate = { level: 'node' | 'site'; name: string; outage: Outage };

/** One loss of a node or a site per model, shared by every subject that member of (10,000 services, not 60,000 outages). */
const candidates = new WeakMap<Model, Map<string, Candidate>>();

function candidate(model: Model, level: 'node' | 'site', name: string): Candidate {
  let byName = candidates.get(model);
  if (!byName) candidates.set(model, (byName = new Map()));
  const k = `${level}\u0000${name}`;
  let c = byName.get(k);
  if (!c) {
    const none = new Set<string>();
    c = { level, name, outage: level === 'node' ? { sites: none, nodes: new Set([name]) } : { sites: new Set([name]), nodes: none } };
    byName.set(k, c);
  }
  return c;
}

/** The outages that can take one member set down: each member node alone, and each site alone. */
export function candidateOutages(model: Model, members: readonly { node?: string; site: string }[]): Candidate[] {
  const nodes = [...new Set(members.flatMap((m) => (m.node ? [m.node] : [])))].sort();
  const sites = [...new Set(members.map((m) => m.site))].sort();
  return [...nodes.map((n) => candidate(model, 'node', n)), ...sites.map((s) => candidate(model, 'site', s))];
}

export function membersOf(model: Model, nodes: readonly string[]): { node: string; site: string }[] {
  return nodes.map((n) => ({ node: n, site: model.node(n).site }));
}
