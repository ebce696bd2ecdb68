import { m } from '../../diagnostics/messages.js';
import { repeats, type Rule } from '../context.js';

/**
 * No two `tcp` entries share a port: every l4 node's HAProxy serves every entry, and
 * `haproxy -c` accepts two frontends binding the same port (the kernel's SO_REUSEPORT then
 * splits connections between them). Reported at the later entry, with the first as related.
 */
export const tcpPorts: Rule = {
  name: 'tcp-ports',
  check(ctx) {
    for (const { name, value, first } of repeats(Object.entries(ctx.inv.tcp).map(([n, t]) => [n, t.port] as const))) {
      ctx.report(m.tcpDuplicatePort(name, value, first), ['tcp', name, 'port'], {
        related: [{ message: m.firstDefinedHere(), at: ['tcp', first, 'port'] }],
      });
    }
  },
};
