import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import type { Rule, RuleContext } from '../context.js';
import { suggest } from '../schema.js';

const q = JSON.stringify;

/** Every name that points at a node, site, group, VIP or middleware resolves to a definition. */
export const references: Rule = {
  name: 'references',
  check(ctx) {
    const { inv } = ctx;
    // Name sets: a lookup per reference, not a scan of every node (30,000 backends × 1,000 nodes).
    const nodes = new Set(Object.keys(inv.nodes));
    const sites = new Set(Object.keys(inv.sites));
    for (const [name, n] of Object.entries(inv.nodes)) resolve(ctx, 'site', sites, n.site, ['nodes', name, 'site'], `node ${q(name)}`);
    for (const b of ctx.backends) {
      if (b.node !== undefined) resolve(ctx, 'node', nodes, b.node, b.nodePath, b.owner);
      if (b.site !== undefined) resolve(ctx, 'site', sites, b.site, [...b.path, 'site'], b.owner);
    }
    const groups = { redis: 'Redis group', mongo: 'Mongo replica set', postgres: 'Postgres cluster', vips: 'VIP' } as const;
    for (const section of ['redis', 'mongo', 'postgres', 'vips'] as const) {
      for (const [name, g] of Object.entries(inv[section])) {
        for (const [i, n] of g.nodes.entries()) resolve(ctx, 'node', nodes, n, [section, name, 'nodes', i], `${groups[section]} ${q(name)}`);
      }
    }
    const redis = new Set(Object.keys(inv.redis));
    const postgres = new Set(Object.keys(inv.postgres));
    for (const [name, t] of Object.entries(inv.tcp)) {
      const what = `tcp entry ${q(name)}`;
      if (t.to?.redis !== undefined) resolve(ctx, 'Redis group', redis, t.to.redis, ['tcp', name, 'to', 'redis'], what);
      if (t.to?.postgres !== undefined) resolve(ctx, 'Postgres cluster', postgres, t.to.postgres, ['tcp', name, 'to', 'postgres'], what);
    }
    const middlewares = new Set(Object.keys(inv.middlewares));
    // `name@provider` is defined outside hacompile (Traefik's other providers): nothing to resolve here.
    const mw = (list: string[] | undefined, at: InventoryPath, what: string): void => {
      for (const [i, ref] of (list ?? []).entries()) if (!ref.includes('@')) resolve(ctx, 'middleware', middlewares, ref, [...at, i], what);
    };
    mw(inv.platform?.defaults?.middlewares, ['platform', 'defaults', 'middlewares'], 'platform.defaults.middlewares');
    for (const [name, s] of Object.entries(inv.services)) mw(s.middlewares, ['services', name, 'middlewares'], `service ${q(name)}`);
    const vips = new Set(Object.keys(inv.vips));
    for (const [zone, z] of Object.entries(inv.dns.zones)) {
      const at: InventoryPath = ['dns', 'zones', zone, 'global'];
      const what = `zone ${q(zone)}`;
      if (z.global?.vip !== undefined) resolve(ctx, 'VIP', vips, z.global.vip, [...at, 'vip'], what);
      if (z.global?.edge !== undefined) resolve(ctx, 'node', nodes, z.global.edge, [...at, 'edge'], what);
      const role = z.global?.round_robin;
      if (role !== undefined && !Object.values(inv.nodes).some((n) => n.roles?.includes(role))) {
        ctx.report(m.roleWithoutNodes(what, role), [...at, 'round_robin']);
      }
    }
  },
};

function resolve(ctx: RuleContext, kind: string, names: ReadonlySet<string>, name: string, at: InventoryPath, what: string): void {
  if (!names.has(name)) ctx.report(m.unknownReference(what, kind, name, suggest(name, [...names])), at);
}
