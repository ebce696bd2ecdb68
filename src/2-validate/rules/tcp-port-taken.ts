import { DEFAULTS } from '../defaults.js';
import { m } from '../../diagnostics/messages.js';
import type { InventoryPath } from '../../diagnostics/types.js';
import { backendRef, type Rule } from '../context.js';
import type { Inventory } from '../inventory.js';

/** Another daemon listening on a port of a node. */
interface Listener {
  node: string;
  port: number;
  what: string;
  at: InventoryPath;
  key: boolean;
  /** What the related place shows. */
  note: string;
  /** How to move one of the two, for the hint. */
  fix?: string;
}

const q = JSON.stringify;

/**
 * HAProxy binds every `tcp` port on all addresses of every l4 node (`bind :<port>`), so on such a
 * node no other daemon may listen on that port: a Mongo, Postgres or Patroni member, a backend
 * of an HTTP service or of a plain tcp entry (HAProxy would even proxy to itself), Caddy on an
 * edge node. A warning per tcp entry and listener, naming the nodes. Redis and Sentinel ports
 * are redis-node-ports' to report (an error at the group), so they are not repeated here.
 */
export const tcpPortTaken: Rule = {
  name: 'tcp-port-taken',
  check(ctx) {
    const { inv } = ctx;
    const l4 = new Set(Object.entries(inv.nodes).flatMap(([name, n]) => (n.roles?.includes('l4') ? [name] : [])));
    if (l4.size === 0) return;
    const byPort = new Map<number, Listener[]>();
    for (const l of listeners(inv, l4)) {
      const list = byPort.get(l.port) ?? [];
      list.push(l);
      byPort.set(l.port, list);
    }
    for (const [name, t] of Object.entries(inv.tcp)) {
      const groups = new Map<string, Listener[]>();
      // One report per place that sets the other port, naming every l4 node it applies to.
      for (const l of byPort.get(t.port) ?? []) {
        const id = l.at.join('\u0000');
        groups.set(id, [...(groups.get(id) ?? []), l]);
      }
      for (const group of groups.values()) {
        const first = group[0]!;
        const nodes = [...new Set(group.map((l) => l.node))].sort();
        const fix = first.fix ?? `change this \`port:\`, or move ${first.what} to another port`;
        ctx.report(m.tcpPortTaken(name, t.port, nodes, first.what, fix), ['tcp', name, 'port'], {
          related: [{ message: first.note, at: first.at, key: first.key }],
        });
      }
    }
  },
};

/** Every (l4 node, port) some daemon other than HAProxy, Redis or Sentinel listens on. */
function* listeners(inv: Inventory, l4: ReadonlySet<string>): Generator<Listener> {
  const groupPort = (section: 'mongo' | 'postgres', group: string, key: 'port' | 'patroni_port', written: number | undefined, fallback: number, what: string) => {
    const at: InventoryPath = written !== undefined ? [section, group, key] : [section, group];
    const note = written !== undefined ? `${what} has ${key} ${written} here` : `${what} is defined here (${key} ${fallback} by default)`;
    return (node: string): Listener => ({ node, port: written ?? fallback, what, at, key: written === undefined, note });
  };
  for (const [name, g] of Object.entries(inv.mongo)) {
    const member = groupPort('mongo', name, 'port', g.port, DEFAULTS.mongo.port, `Mongo replica set ${q(name)}`);
    for (const n of g.nodes) if (l4.has(n)) yield member(n);
  }
  for (const [name, g] of Object.entries(inv.postgres)) {
    const pg = groupPort('postgres', name, 'port', g.port, DEFAULTS.postgres.port, `Postgres cluster ${q(name)}`);
    const patroni = groupPort('postgres', name, 'patroni_port', g.patroni_port, DEFAULTS.postgres.patroni_port, `the Patroni REST API of Postgres cluster ${q(name)}`);
    for (const n of g.nodes) if (l4.has(n)) yield* [pg(n), patroni(n)];
  }
  for (const [name, s] of Object.entries(inv.services)) {
    for (let i = 0; i < s.backends.length; i++) {
      const b = s.backends[i]!;
      if (!l4.has(typeof b === 'string' ? b : (b.node ?? ''))) continue;
      const ref = backendRef('', name, ['services', name, 'backends', i], b);
      if (ref.node === undefined) continue;
      const what = `a backend of service ${q(name)}`;
      if (ref.port !== undefined) yield { node: ref.node, port: ref.port, what, at: [...ref.path, 'port'], key: false, note: `${what} has port ${ref.port} here` };
      else yield { node: ref.node, port: s.port, what, at: ['services', name, 'port'], key: false, note: `service ${q(name)} has port ${s.port} here` };
    }
  }
  for (const [name, t] of Object.entries(inv.tcp)) {
    if (t.to !== undefined) continue;
    for (const [i, b] of (t.backends ?? []).entries()) {
      if (!l4.has(typeof b === 'string' ? b : (b.node ?? ''))) continue;
      const ref = backendRef('', name, ['tcp', name, 'backends', i], b);
      if (ref.node === undefined) continue;
      const what = `a backend of tcp entry ${q(name)}`;
      const fix = `give tcp entry ${q(name)} a \`backend_port:\` (the port its backends listen on), or change this \`port:\``;
      if (ref.port !== undefined) yield { node: ref.node, port: ref.port, what, at: [...ref.path, 'port'], key: false, note: `${what} has port ${ref.port} here`, fix: `change that backend's \`port:\`, or this \`port:\`` };
      else if (t.backend_port !== undefined) yield { node: ref.node, port: t.backend_port, what, at: ['tcp', name, 'backend_port'], key: false, note: `tcp entry ${q(name)} has backend_port ${t.backend_port} here`, fix: `change the \`backend_port:\` of tcp entry ${q(name)}, or this \`port:\`` };
      else yield { node: ref.node, port: t.port, what, at: ref.path, key: false, note: `${what} is listed here, on the entry's own port ${t.port}`, fix };
    }
  }
  for (const [name, n] of Object.entries(inv.nodes)) {
    if (!n.roles?.includes('edge') || !l4.has(name)) continue;
    const ports = inv.platform.tls === 'off' ? [80] : [80, 443];
    for (const port of ports) yield { node: name, port, what: 'Caddy (role edge)', at: ['nodes', name, 'roles'], key: false, note: `node ${q(name)} has role edge here: Caddy listens on ${ports.join(' and ')}`, fix: "change this `port:` (Caddy needs its ports on an edge node)" };
  }
}
