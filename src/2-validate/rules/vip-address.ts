import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import type { Rule } from '../context.js';

/** A VIP's address belongs to no node: keepalived would add and remove a node's own address. */
export const vipAddress: Rule = {
  name: 'vip-address',
  check(ctx) {
    const owners = new Map<string, { node: string; kind: 'overlay' | 'public'; at: InventoryPath }>();
    for (const [name, n] of Object.entries(ctx.inv.nodes)) {
      if (n.address !== undefined && !owners.has(n.address)) owners.set(n.address, { node: name, kind: 'overlay', at: ['nodes', name, 'address'] });
      for (const [i, ip] of (n.public ?? []).entries()) {
        if (!owners.has(ip)) owners.set(ip, { node: name, kind: 'public', at: ['nodes', name, 'public', i] });
      }
    }
    for (const [name, v] of Object.entries(ctx.inv.vips)) {
      const ip = v.address.split('/')[0]!;
      const owner = owners.get(ip);
      if (owner === undefined) continue;
      ctx.report(m.vipAddressTaken(name, ip, owner.node, owner.kind), ['vips', name, 'address'], {
        related: [{ message: `node ${JSON.stringify(owner.node)} has it here`, at: owner.at }],
      });
    }
  },
};
