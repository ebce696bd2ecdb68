import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * A node with role `l4` gets a haproxy.cfg only when the inventory has `tcp` entries: HAProxy
 * will not start without a listener (`haproxy -c` exits 2 on such a file). Without any entry the
 * role does nothing, which is worth a warning at the role: the shipping tool would find no file
 * for that node, and a VIP tracking haproxy there would track a process that never runs.
 */
export const l4WithoutTcp: Rule = {
  name: 'l4-without-tcp',
  check(ctx) {
    if (Object.keys(ctx.inv.tcp).length > 0) return;
    for (const [name, n] of Object.entries(ctx.inv.nodes)) {
      const i = n.roles?.indexOf('l4') ?? -1;
      if (i >= 0) ctx.report(m.l4WithoutTcp(name), ['nodes', name, 'roles', i]);
    }
  },
};
