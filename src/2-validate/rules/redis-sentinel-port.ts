import { m } from '../../diagnostics/messages.js';
import { DEFAULTS } from '../defaults.js';
import type { Rule } from '../context.js';

/** A group's Redis and its Sentinel run side by side on every member: they cannot share a port. */
export const redisSentinelPort: Rule = {
  name: 'redis-sentinel-port',
  check(ctx) {
    for (const [name, g] of Object.entries(ctx.inv.redis)) {
      const port = g.port ?? DEFAULTS.redis.port;
      const sentinelPort = g.sentinel_port ?? DEFAULTS.redis.sentinel_port;
      if (port !== sentinelPort) continue;
      // Point at the value written; with both written, at sentinel_port, and show port too.
      const at = g.sentinel_port !== undefined ? ['redis', name, 'sentinel_port'] : ['redis', name, 'port'];
      const related = g.sentinel_port !== undefined && g.port !== undefined ? [{ message: 'the Redis port is set here', at: ['redis', name, 'port'] }] : [];
      ctx.report(m.redisSentinelPortIsPort(name, port), at, { related });
    }
  },
};
