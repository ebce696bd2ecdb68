import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import type { Rule } from '../context.js';

/**
 * No hostname and path prefix is served twice. Every service owns `<svc>.<domain>`,
 * `<svc>.<node>.<domain>` for every node, and its extra hosts, all under its `path:` prefix (none:
 * the whole host). Services may share a hostname with distinct prefixes (the longest one wins);
 * only extra hosts can collide, so only they are checked, in time linear in their number (not
 * services × nodes).
 */
export const hostnames: Rule = {
  name: 'hostnames',
  check(ctx) {
    const { inv } = ctx;
    const suffix = `.${inv.platform.domain}`;
    const prefixOf = (svc: string): string => inv.services[svc]?.path?.prefix ?? '';
    const claimed = new Map<string, { owner: string; at: InventoryPath }>();
    for (const [name, s] of Object.entries(inv.services)) {
      const owner = `service ${JSON.stringify(name)}`;
      const prefix = prefixOf(name);
      const report = (host: string, at: InventoryPath, related: { message: string; at: InventoryPath; key?: boolean }): void =>
        ctx.report(prefix === '' ? m.duplicateHostname(host, owner) : m.duplicateRoute(host, prefix, owner), at, { related: [related] });
      for (const [i, host] of (s.hosts ?? []).entries()) {
        const at: InventoryPath = ['services', name, 'hosts', i];
        const generated = generatedOwner(host, suffix, inv.services, inv.nodes);
        const key = `${host} ${prefix}`;
        const first = claimed.get(key);
        if (generated !== undefined && (generated.scoped || prefixOf(generated.svc) === prefix)) {
          // A node's name of a service (<svc>.<node>.<domain>) is never shared.
          report(host, at, { message: `generated for service ${JSON.stringify(generated.svc)}`, at: ['services', generated.svc], key: true });
        } else if (first) {
          report(host, at, { message: `also served by ${first.owner}`, at: first.at });
        } else claimed.set(key, { owner, at });
      }
    }
  },
};

/** The service whose generated name `host` is, if any. */
function generatedOwner(host: string, suffix: string, services: Record<string, unknown>, nodes: Record<string, unknown>): { svc: string; scoped: boolean } | undefined {
  if (!host.endsWith(suffix)) return undefined;
  const labels = host.slice(0, -suffix.length).split('.');
  const svc = labels[0]!;
  if (!Object.prototype.hasOwnProperty.call(services, svc)) return undefined;
  if (labels.length === 1) return { svc, scoped: false };
  if (labels.length === 2 && Object.prototype.hasOwnProperty.call(nodes, labels[1]!)) return { svc, scoped: true };
  return undefined;
}
