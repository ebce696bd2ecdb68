import { findCycle, localNamesRoutedHost, routingGraph } from '../../3-model/routing.js';
import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * The routing graph of every edge and ingress (who may forward what to whom, 3-model/routing.ts)
 * has no cycle: a request forwarded between proxies ends at an instance. Only a `local:` naming
 * a routed host can close one (localNamesRoutedHost), so the graph is built only then; the tests
 * build it for every golden case and the example. A cycle is reported at
 * the `local:` of the first service on it (the way one comes about: a local way in that names a
 * host the platform routes), with every other service on it as related.
 */
export const routingCycle: Rule = {
  name: 'routing-cycle',
  check(ctx) {
    if (!localNamesRoutedHost(ctx.model)) return;
    const graph = routingGraph(ctx.model);
    const cycle = findCycle(graph);
    if (cycle === undefined) return;
    const services = [...new Set(cycle.map((id) => graph.vertices.get(id)!.service))];
    const place = (service: string) => {
      const s = ctx.model.services.find((x) => x.name === service)!;
      return s.local !== undefined ? [...s.origin.path, 'local'] : s.origin.path;
    };
    ctx.report(m.routingCycle(cycle), place(services[0]!), {
      related: services.slice(1).map((s) => ({ message: `service ${JSON.stringify(s)} is on the loop`, at: place(s) })),
    });
  },
};
