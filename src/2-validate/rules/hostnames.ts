import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import type { Rule } from '../context.js';

/**
 * No hostname is served twice. Every service owns `<svc>.<domain>`, `<svc>.<node>.<domain>` for
 * every node, and its extra hosts. Only extra hosts can collide, so only they are checked, in
 * time linear in their number (not services × nodes).
 */
export const hostnames: Rule = {
  name: 'hostnames',
  check(ctx) {
    const { inv } = ctx;
    const suffix = `.${inv.platform.domain}`;
    const claimed = new Map<string, { owner: string; at: InventoryPath }>();
    for (const [name, s] of Object.entries(inv.services)) {
      const owner = `service ${JSON.stringify(name)}`;
      for (const [i, host] of (s.hosts ?? []).entries()) {
        const at: InventoryPath = ['services', name, 'hosts', i];
        const generated = generatedOwner(host, suffix, inv.services, inv.nodes);
        const first = claimed.get(host);
        if (generated !== undefined) {
          ctx.report(m.duplicateHostname(host, owner), at, { related: [{ message: `generated for service ${JSON.stringify(generated)}`, at: ['services', generated], key: true }] });
        } else if (first) {
          ctx.report(m.duplicateHostname(host, owner), at, { related: [{ message: `also served by ${first.owner}`, at: first.at }] });
        } else claimed.set(host, { owner, at });
      }
    }
  },
};

/** The service whose generated name `host` is, if any. */
function generatedOwner(host: string, suffix: string, services: Record<string, unknown>, nodes: Record<string, unknown>): string | undefined {
  if (!host.endsWith(suffix)) return undefined;
  const labels = host.slice(0, -suffix.length).split('.');
  const svc = labels[0]!;
  if (!Object.prototype.hasOwnProperty.call(services, svc)) return undefined;
  if (labels.length === 1) return svc;
  if (labels.length === 2 && Object.prototype.hasOwnProperty.call(nodes, labels[1]!)) return svc;
  return undefined;
}
