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
const candidates = new WeakMap<Model, { node: Map<string, Candidate>; site: Map<string, Candidate> }>();
const NONE: ReadonlySet<string> = new Set();

function candidate(model: Model, level: 'node' | 'site', name: string): Candidate {
  let known = candidates.get(model);
  if (!known) candidates.set(model, (known = { node: new Map(), site: new Map() }));
  let c = known[level].get(name);
  if (!c) {
    c = { level, name, outage: level === 'node' ? { sites: NONE, nodes: new Set([name]) } : { sites: new Set([name]), nodes: NONE } };
    known[level].set(name, c);
  }
  return c;
}

/** The outages that can take one member set down: each member node alone, and each site alone. */
export function candidateOutages(model: Model, members: readonly { node?: string; site: string }[]): Candidate[] {
  // Member sets are small (a few backends): a list beats a set.
  const nodes: string[] = [];
  const sites: string[] = [];
  for (const m of members) {
    if (m.node !== undefined && !nodes.includes(m.node)) nodes.push(m.node);
    if (!sites.includes(m.site)) sites.push(m.site);
  }
  nodes.sort();
  sites.sort();
  const out: Candidate[] = [];
  for (const n of nodes) out.push(candidate(model, 'node', n));
  for (const s of sites) out.push(candidate(model, 'site', s));
  return out;
}

export function membersOf(model: Model, nodes: readonly string[]): { node: string; site: string }[] {
  return nodes.map((n) => ({ node: n, site: model.node(n).site }));
}
