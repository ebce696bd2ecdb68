import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * No two `tcp` entries share a port: every l4 node's HAProxy serves every entry, and
 * `haproxy -c` accepts two frontends binding the same port (the kernel's SO_REUSEPORT then
 * splits connections between them). Reported at the later entry, with the first as related.
 * The one exception: entries that all route by TLS server name (`sni:`) share a port's frontend,
 * as long as no name is listed by two of them.
 */
export const tcpPorts: Rule = {
  name: 'tcp-ports',
  check(ctx) {
    const byPort = new Map<number, string[]>();
    for (const [name, t] of Object.entries(ctx.inv.tcp)) {
      const entries = byPort.get(t.port);
      if (entries === undefined) {
        byPort.set(t.port, [name]);
        continue;
      }
      const first = entries[0]!;
      const bySni = t.sni !== undefined && entries.every((e) => ctx.inv.tcp[e]!.sni !== undefined);
      entries.push(name);
      if (!bySni) {
        ctx.report(m.tcpDuplicatePort(name, t.port, first), ['tcp', name, 'port'], { related: [{ message: m.firstDefinedHere(), at: ['tcp', first, 'port'] }] });
        continue;
      }
      for (const [i, host] of t.sni!.entries()) {
        const other = entries.find((e) => e !== name && ctx.inv.tcp[e]!.sni!.includes(host));
        if (other === undefined) continue;
        const j = ctx.inv.tcp[other]!.sni!.indexOf(host);
        ctx.report(m.tcpSniDuplicate(name, host, t.port, other), ['tcp', name, 'sni', i], { related: [{ message: m.firstDefinedHere(), at: ['tcp', other, 'sni', j] }] });
      }
    }
  },
};
