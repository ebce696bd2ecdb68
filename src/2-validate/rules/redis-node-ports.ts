import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import { DEFAULTS } from '../defaults.js';
import type { Rule } from '../context.js';

interface Listener {
  /** `HAProxy (tcp entry "redis")` or `Redis group "cache"`/`the Sentinel of Redis group "cache"`. */
  what: string;
  group?: string;
  at: InventoryPath;
  /** Where the related note points: `HAProxy (tcp entry "redis") listens on 6379 here`. */
  note: string;
}

/**
 * On one node, every Redis and Sentinel listens on a port of its own, and none takes a port that
 * HAProxy serves there (each `tcp` port on every node with role l4). Each group's Redis and
 * Sentinel are separate processes, so two groups on a node need four ports. One report per group
 * and port, at the later definition, with the first as related.
 */
export const redisNodePorts: Rule = {
  name: 'redis-node-ports',
  check(ctx) {
    const { inv } = ctx;
    const taken = new Map<string, Map<number, Listener>>();
    const on = (node: string): Map<number, Listener> => {
      let ports = taken.get(node);
      if (!ports) taken.set(node, (ports = new Map()));
      return ports;
    };
    for (const [node, n] of Object.entries(inv.nodes)) {
      if (!n.roles?.includes('l4')) continue;
      for (const [name, t] of Object.entries(inv.tcp)) {
        if (!on(node).has(t.port)) on(node).set(t.port, { what: `HAProxy (tcp entry ${JSON.stringify(name)})`, at: ['tcp', name, 'port'], note: `HAProxy listens on ${t.port} here, on every node with role l4` });
      }
    }
    for (const [name, g] of Object.entries(inv.redis)) {
      const q = JSON.stringify(name);
      const own = [
        { key: 'port' as const, port: g.port ?? DEFAULTS.redis.port, what: `Redis group ${q}` },
        { key: 'sentinel_port' as const, port: g.sentinel_port ?? DEFAULTS.redis.sentinel_port, what: `the Sentinel of Redis group ${q}` },
      ];
      for (const { key, port, what } of own) {
        // Written or not, the conflict is reported at this key: with a default, at the group.
        const at: InventoryPath = g[key] !== undefined ? ['redis', name, key] : ['redis', name];
        let reported = false;
        for (const node of g.nodes) {
          const first = on(node).get(port);
          if (first === undefined) {
            on(node).set(port, { what, group: name, at, note: `${what} listens on ${port} here${g[key] === undefined ? ` (the default ${key})` : ''}` });
            continue;
          }
          // The group's own pair is redis-sentinel-port's to report.
          if (first.group === name || reported) continue;
          reported = true;
          ctx.report(m.redisPortTaken(name, key, port, g[key] === undefined, node, first.what), at, {
            key: g[key] === undefined,
            related: [{ message: first.note, at: first.at, key: first.at.length === 2 }],
          });
        }
      }
    }
  },
};
