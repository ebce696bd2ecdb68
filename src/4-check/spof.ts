import type { Model } from '../3-model/types.js';
import type { InventoryPath } from '../diagnostics/types.js';
import { backendUp, candidateOutages, membersOf, NO_OUTAGE } from '../analysis/outage.js';
import type { Outage } from '../analysis/outage.js';
import { edgeVerdict, frontVerdict, globalAnswerNodes, quorumVerdict, redisVerdict, serviceVerdict, tcpVerdict, vipVerdict, zoneVerdict, type Verdict } from '../analysis/verdicts.js';

/** A single point of failure: one node or one site whose loss takes `what` down. */
export interface Spof {
  level: 'node' | 'site';
  /** The nodes or sites, any one of which takes it down. */
  culprits: string[];
  what: string;
  detail: string;
  path: InventoryPath;
}

interface Subject {
  what: string;
  /** A VIP lives on one L2 segment, so its members share a site by nature: only node losses count. */
  nodeOnly?: boolean;
  members: { node?: string; site: string }[];
  verdict: (o: Outage) => Verdict | undefined;
  /** Whether the verdict is served, without writing it (services: most outages leave them served). */
  served?: (o: Outage) => boolean;
  /** Known to survive the loss of any one node or site, without trying them. */
  survivesAny?: boolean;
}

/**
 * A service is served while any of its backends is up (whatever tier). Backends on two sites or
 * more survive the loss of any one site, and so of any one node: most services, found here in a
 * pass over their few backends rather than by trying each loss.
 */
function spansSites(backends: readonly { site: string }[]): boolean {
  for (const b of backends) if (b.site !== backends[0]!.site) return true;
  return false;
}

/**
 * Every service, TCP entry, quorum group, VIP, zone answer and the edge, tried against the loss of
 * each node and each site it touches (linear in the members, never nodes × services).
 */
export function findSpofs(model: Model): Spof[] {
  const l4 = membersOf(model, model.nodes.filter((n) => n.roles.includes('l4')).map((n) => n.name));
  const subjects: Subject[] = [
    ...model.services.map((s) => ({
      what: `service ${q(s.name)}`,
      members: s.backends,
      verdict: (o: Outage) => serviceVerdict(model, s, o),
      // As serviceVerdict decides: served while some tier has a backend up.
      served: (o: Outage) => s.tiers.some((t) => t.backends.some((b) => backendUp(model, b, o))),
      survivesAny: spansSites(s.backends),
    })),
    // An entry that follows a group fails with it, and the group has its own finding: here only its
    // HAProxy front counts.
    ...model.tcp.map((t) => ({
      what: `tcp entry ${q(t.name)}`,
      members: [...(t.target.kind === 'plain' ? t.backends : []), ...l4],
      verdict: (o: Outage) => (t.target.kind === 'plain' ? tcpVerdict(model, t, o) : frontVerdict(model, t.name, o)),
    })),
    ...model.redis.map((g) => ({ what: `Redis group ${q(g.name)}`, members: membersOf(model, g.nodes), verdict: (o: Outage) => redisVerdict(model, g, o) })),
    ...model.mongo.map((g) => ({ what: `Mongo replica set ${q(g.name)}`, members: membersOf(model, g.nodes), verdict: (o: Outage) => quorumVerdict('mongo', model, g, o) })),
    ...model.postgres.map((g) => ({ what: `Postgres cluster ${q(g.name)}`, members: membersOf(model, g.nodes), verdict: (o: Outage) => quorumVerdict('postgres', model, g, o) })),
    ...model.vips.map((v) => ({ what: `VIP ${q(v.name)}`, nodeOnly: true, members: membersOf(model, v.nodes), verdict: (o: Outage) => vipVerdict(model, v, o) })),
    ...model.zones.map((z) => ({ what: `the global answer of zone ${q(z.name)}`, members: membersOf(model, globalAnswerNodes(model, z)), verdict: (o: Outage) => zoneVerdict(model, z, o) })),
    { what: 'the edge (Caddy)', members: membersOf(model, model.nodes.filter((n) => n.roles.includes('edge')).map((n) => n.name)), verdict: (o: Outage) => edgeVerdict(model, o) },
  ];
  const out: Spof[] = [];
  for (const s of subjects) {
    // (A subject with a served check always has a verdict.)
    if (s.survivesAny || s.members.length === 0 || (!s.served && s.verdict(NO_OUTAGE) === undefined)) continue;
    const fatal = candidateOutages(model, s.members)
      .filter((c) => (!s.nodeOnly || c.level === 'node') && !s.served?.(c.outage))
      .map((c) => ({ ...c, v: s.verdict(c.outage)! }))
      .filter((c) => !c.v.served);
    const level = fatal.some((c) => c.level === 'node') ? 'node' : 'site';
    const worst = fatal.filter((c) => c.level === level);
    if (worst.length === 0) continue;
    out.push({ level, culprits: worst.map((c) => c.name), what: s.what, detail: worst[0]!.v.detail, path: worst[0]!.v.path });
  }
  return out;
}

const q = JSON.stringify;
