import type { Model } from '../3-model/types.js';

/**
 * What the output serves, in inventory terms: the manifest records it so that the next build can
 * tell how much a change removes (a truncated inventory file would silently drop services; the
 * CLI's build refuses that unless told, see src/cli/removal.ts). Keys sorted, so the manifest's
 * bytes depend on the model only.
 */
export interface Summary {
  /** HTTP services: name → number of backends. */
  services: Record<string, number>;
  /** TCP entries (HAProxy): name → number of backends. */
  tcp: Record<string, number>;
  /** Zones: name → number of records (generated and the zone's own). */
  zones: Record<string, number>;
  /** VIPs: name → the nodes that may hold it. */
  vips: Record<string, string[]>;
}

export function summarize(model: Model): Summary {
  const count = (entries: [string, number][]): Record<string, number> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    services: count(model.services.map((s) => [s.name, s.backends.length])),
    tcp: count(model.tcp.map((t) => [t.name, t.backends.length])),
    zones: count(model.zoneData.map((z) => [z.zone.name, [...z.owners.values()].reduce((n, rrs) => n + rrs.length, 0)])),
    vips: Object.fromEntries(
      model.vips
        .map((v): [string, string[]] => [v.name, [...v.nodes].sort()])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  };
}
