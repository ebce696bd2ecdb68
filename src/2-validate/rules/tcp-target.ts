import { m } from '../../diagnostics/messages.js';
import type { TcpInput } from '../inventory.js';
import type { Rule } from '../context.js';

/** Keys that only mean something for plain backends, in the order they are reported. */
const PLAIN_ONLY = ['backends', 'backend_port', 'check', 'balance', 'local_first', 'sni'] as const satisfies readonly (keyof TcpInput)[];

/**
 * A `tcp` entry either follows a group's writable member (`to:`) or lists its own backends: with
 * `to:`, the plain-backend keys would be silently ignored, so each is an error at its key;
 * without either, HAProxy would have a backend with no server. The members of a Postgres cluster
 * that HAProxy routes to need addresses (a Redis group's always do: redis-member-address).
 */
export const tcpTarget: Rule = {
  name: 'tcp-target',
  check(ctx) {
    const { inv } = ctx;
    const reported = new Set<string>();
    for (const [name, t] of Object.entries(inv.tcp)) {
      if (t.to === undefined) {
        if (t.backends === undefined) ctx.report(m.tcpNoTarget(name), ['tcp', name], { key: true });
        continue;
      }
      const target = t.to.redis !== undefined ? `the master of Redis group ${JSON.stringify(t.to.redis)}` : `the primary of Postgres cluster ${JSON.stringify(t.to.postgres)}`;
      for (const key of PLAIN_ONLY) {
        if (t[key] !== undefined) ctx.report(m.tcpToConflict(name, key, target), ['tcp', name, key], { key: true, related: [{ message: '`to:` is set here', at: ['tcp', name, 'to'], key: true }] });
      }
      const cluster = t.to.postgres;
      if (cluster === undefined) continue;
      for (const [i, node] of inv.postgres[cluster]!.nodes.entries()) {
        if (inv.nodes[node]!.address !== undefined || reported.has(`${cluster}/${node}`)) continue;
        reported.add(`${cluster}/${node}`);
        ctx.report(m.postgresMemberWithoutAddress(cluster, node, name), ['postgres', cluster, 'nodes', i], {
          related: [
            { message: `node ${JSON.stringify(node)} is defined here`, at: ['nodes', node], key: true },
            { message: `tcp entry ${JSON.stringify(name)} routes to the cluster here`, at: ['tcp', name, 'to', 'postgres'] },
          ],
        });
      }
    }
  },
};
