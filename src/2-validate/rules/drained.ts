import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import type { RelatedRef, Rule } from '../context.js';
import type { BackendInput } from '../inventory.js';

/**
 * A drained node (`drain: true`) takes no new traffic, so the model leaves it out of backends,
 * VIPs and DNS answers; whatever it was the last of would be left with nothing.
 */
export const drained: Rule = {
  name: 'drained',
  check(ctx) {
    const isDrained = (n: string): boolean => ctx.inv.nodes[n]?.drain === true;
    const related = (nodes: string[]): RelatedRef[] => nodes.map((n) => ({ message: `node ${JSON.stringify(n)} is drained here`, at: ['nodes', n, 'drain'] }));
    const nodeOf = (b: BackendInput): string | undefined => (typeof b === 'string' ? b : b.node);
    const emptied = (what: string, members: (string | undefined)[], at: InventoryPath): void => {
      if (members.length === 0 || !members.every((n) => n !== undefined && isDrained(n))) return;
      const nodes = [...new Set(members as string[])];
      ctx.report(m.drainLeavesNothing(what, nodes), at, { related: related(nodes) });
    };
    if (!Object.values(ctx.inv.nodes).some((n) => n.drain === true)) return;
    for (const [name, s] of Object.entries(ctx.inv.services)) emptied(`service ${JSON.stringify(name)}`, s.backends.map(nodeOf), ['services', name, 'backends']);
    for (const [name, t] of Object.entries(ctx.inv.tcp)) if (t.backends) emptied(`tcp entry ${JSON.stringify(name)}`, t.backends.map(nodeOf), ['tcp', name, 'backends']);
    for (const [name, v] of Object.entries(ctx.inv.vips)) emptied(`VIP ${JSON.stringify(name)}`, v.nodes, ['vips', name, 'nodes']);
    for (const [zone, z] of Object.entries(ctx.inv.dns.zones)) {
      const g = z.global;
      if (g?.edge !== undefined) emptied(`the global answer of zone ${JSON.stringify(zone)}`, [g.edge], ['dns', 'zones', zone, 'global', 'edge']);
      if (g?.round_robin !== undefined) {
        const role = g.round_robin;
        const members = Object.entries(ctx.inv.nodes).filter(([, n]) => n.roles?.includes(role) && (n.public?.length ?? 0) > 0).map(([n]) => n);
        emptied(`the global answer of zone ${JSON.stringify(zone)}`, members, ['dns', 'zones', zone, 'global', 'round_robin']);
      }
    }
  },
};
