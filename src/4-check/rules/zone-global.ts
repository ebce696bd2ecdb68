import { m } from '../../diagnostics/messages.js';
import { globalAnswer } from '../../3-model/zones.js';
import type { Rule } from '../context.js';

/**
 * A zone's `global` says where `<svc>.<domain>` resolves, so it belongs to the zone named like the
 * platform domain, and its answer must hold at least one address: a round robin over a role whose
 * nodes have no public address, or an edge node without one, would leave every service name empty.
 * A VIP always answers with its own address, the one keepalived holds.
 */
export const zoneGlobal: Rule = {
  name: 'zone-global',
  check(ctx) {
    const domain = ctx.model.platform.domain;
    for (const z of ctx.model.zoneData) {
      const zone = z.zone;
      const g = zone.global;
      if (!g) continue;
      const at = [...zone.origin.path, 'global'];
      if (zone.name !== domain) {
        ctx.report(m.globalOutsidePlatformZone(zone.name, domain), at, { key: true });
        continue;
      }
      const answer = globalAnswer(ctx.model, zone);
      if (!answer || answer.addresses.length > 0) continue;
      if (g.kind === 'edge') {
        ctx.report(m.globalEmpty(zone.name, answer.describe, `give node ${JSON.stringify(g.node)} \`public:\` addresses, or answer with another edge node or a VIP`), [...at, 'edge'], {
          related: [{ message: `node ${JSON.stringify(g.node)} is defined here`, at: ['nodes', g.node], key: true }],
        });
      } else if (g.kind === 'round_robin') {
        ctx.report(m.globalEmpty(zone.name, answer.describe, `give the nodes with role ${JSON.stringify(g.role)} \`public:\` addresses, or answer with another role, an edge node or a VIP`), [...at, 'round_robin']);
      }
    }
  },
};
