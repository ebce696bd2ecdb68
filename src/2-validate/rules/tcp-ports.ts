import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * No two `tcp` entries share a port: every l4 node's HAProxy serves every entry, and
 * `haproxy -c` accepts two frontends binding the same port (the kernel's SO_REUSEPORT then
 * splits connections between them). Reported at the later entry, with the first as related.
 */
export const tcpPorts: Rule = {
  name: 'tcp-ports',
  check(ctx) {
    const first = new Map<number, string>();
    for (const [name, t] of Object.entries(ctx.inv.tcp)) {
      const owner = first.get(t.port);
      if (owner === undefined) {
        first.set(t.port, name);
        continue;
      }
      ctx.report(m.tcpDuplicatePort(name, t.port, owner), ['tcp', name, 'port'], {
        related: [{ message: m.firstDefinedHere(), at: ['tcp', owner, 'port'] }],
      });
    }
  },
};
