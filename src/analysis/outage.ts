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

/** The outages that can take one member set down: each member node alone, and each site alone. */
export function candidateOutages(model: Model, members: readonly { node?: string; site: string }[]): { level: 'node' | 'site'; name: string; outage: Outage }[] {
  const nodes = [...new Set(members.flatMap((m) => (m.node ? [m.node] : [])))].sort();
  const sites = [...new Set(members.map((m) => m.site))].sort();
  return [
    ...nodes.map((n) => ({ level: 'node' as const, name: n, outage: { sites: new Set<string>(), nodes: new Set([n]) } })),
    ...sites.map((s) => ({ level: 'site' as const, name: s, outage: { sites: new Set([s]), nodes: new Set<string>() } })),
  ];
}

export function membersOf(model: Model, nodes: readonly string[]): { node: string; site: string }[] {
  return nodes.map((n) => ({ node: n, site: model.node(n).site }));
}
