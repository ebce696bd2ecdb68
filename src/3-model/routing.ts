import { tier } from './build.js';
import type { Backend, Model, Node, Service, Tier } from './types.js';

/**
 * Who forwards what to whom: the routing decisions every proxy's file follows (the Traefik and
 * Caddy emitters read them from here), and the routing graph the `routing-cycle` check walks.
 *
 * - `local_first`: on an ingress node that runs a primary instance, `<svc>.<domain>` tries that
 *   instance first and the service's other tiers after it.
 * - `reach: ingress`: other nodes and the edge reach an instance at `<svc>.<node>.<domain>`
 *   through its node's ingress, whose router for that name sends only to its own instance: a
 *   request forwarded to a peer is served there or fails, and is never forwarded again.
 */

/** `address:port`, an IPv6 address in brackets (as 5-emit/format.ts writes it). */
const hostPort = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

/** The name a peer's ingress serves for its own instance of a service. */
export function nodeHost(model: Model, s: Service, node: string): string {
  return `${s.name}.${node}.${model.platform.domain}`;
}

/** Whether a proxy on node `here` (undefined: the edge) reaches backend `b` through its node's ingress. */
export function throughIngress(s: Service, b: Backend, here: string | undefined): boolean {
  return s.reach === 'ingress' && b.node !== undefined && b.node !== here;
}

/** The scheme and port of a peer's ingress: HTTPS unless the platform serves plain HTTP. */
function ingressScheme(model: Model): { scheme: string; port: number } {
  return model.platform.tls === 'off' ? { scheme: 'http', port: 80 } : { scheme: 'https', port: 443 };
}

/**
 * The URL an ingress on `here` (or the edge, undefined) sends backend `b`'s share to: the local way
 * in for its own instance, the peer's ingress name for `reach: ingress`, else the overlay address.
 * `withPort` writes the port always (Caddy's upstream form).
 */
export function upstreamUrl(model: Model, s: Service, b: Backend, here: string | undefined, withPort = false): string {
  if (here !== undefined && b.node === here && s.local !== undefined) return s.local;
  if (throughIngress(s, b, here)) {
    const { scheme, port } = ingressScheme(model);
    return `${scheme}://${nodeHost(model, s, b.node!)}${withPort ? `:${port}` : ''}`;
  }
  return `${s.upstream?.scheme ?? 'http'}://${hostPort(b.address, b.port)}`;
}

/** The routers a Traefik ingress node has for one service, as tiers tried in order. */
export interface IngressPlan {
  /** `<svc>.<domain>` and the extra hosts. */
  global: Tier[];
  /** `<svc>.<node>.<domain>`. */
  own: Tier[];
  /** The global router's first choice is this node's own instance (local_first). */
  localFirst: boolean;
  /** The `<svc>.<node>.<domain>` router sends only to this node's instance (reach: ingress). */
  ownOnly: boolean;
}

/**
 * On a node that runs an instance, `<svc>.<node>.<domain>` tries it first (`at-<node>`), then the
 * others' tiers without it; with `reach: ingress` it has nothing but the instance. The global names
 * take the same order where `local_first` holds and the instance is a primary one.
 */
export function ingressPlan(s: Service, node: Node): IngressPlan {
  const local = s.backends.filter((b) => b.node === node.name);
  if (local.length === 0) return { global: s.tiers, own: s.tiers, localFirst: false, ownOnly: false };
  const first = tier(`at-${node.name}`, local);
  const rest = s.tiers.map((t) => tier(`${t.id}_without-${node.name}`, t.backends.filter((b) => b.node !== node.name))).filter((t) => t.backends.length > 0);
  const preferred = [first, ...rest];
  const localFirst = s.localFirst && local.some((b) => !b.backup);
  const ownOnly = s.reach === 'ingress';
  return { global: localFirst ? preferred : s.tiers, own: ownOnly ? [first] : preferred, localFirst, ownOnly };
}

/** A place that forwards requests: a router of an ingress node or a site block of an edge. */
export interface RoutingVertex {
  id: string;
  /** For the cycle's message: `ingress cloudserver1: whoami.bolabaden.org`. */
  label: string;
  /** The service whose router or block this is. */
  service: string;
}

/** Where one vertex may forward to: another vertex, or an end (an instance, an outside URL). */
export interface RoutingEdge {
  from: string;
  to: string;
  /** `local`, `via ingress`, `address`: how the hop is made. */
  how: 'local' | 'via ingress' | 'address';
}

export interface RoutingGraph {
  vertices: Map<string, RoutingVertex>;
  /** By source vertex, in order. */
  edges: Map<string, RoutingEdge[]>;
}

const vertexId = (kind: 'ingress' | 'edge', node: string, host: string): string => `${kind} ${node}: ${host}`;

/**
 * The routing graph of every edge and ingress: a vertex per router (ingress) or site block (edge)
 * and host it serves, an edge per place it may forward to. Hops to an instance end there, unless
 * the instance's way in (`local:`) names a host the platform itself routes: then the hop goes to
 * every place that serves that host (DNS may hand out any of them).
 */
export function routingGraph(model: Model): RoutingGraph {
  const vertices = new Map<string, RoutingVertex>();
  const edges = new Map<string, RoutingEdge[]>();
  const domain = model.platform.domain;
  const ingress = model.nodes.filter((n) => n.roles.includes('ingress'));
  const edgeNodes = model.nodes.filter((n) => n.roles.includes('edge'));
  // Which places serve a host: the global names on every ingress and edge, <svc>.<node>.<domain> on that node's ingress.
  const servedBy = new Map<string, string[]>();
  const serve = (host: string, id: string): void => {
    const list = servedBy.get(host);
    if (list === undefined) servedBy.set(host, [id]);
    else list.push(id);
  };
  const add = (kind: 'ingress' | 'edge', node: string, host: string, service: string, hosts: readonly string[]): string => {
    const id = vertexId(kind, node, host);
    vertices.set(id, { id, label: id, service });
    for (const h of hosts) serve(h, id);
    return id;
  };
  const hopsFrom = new Map<string, { s: Service; tiers: readonly Tier[]; here: string | undefined }>();
  for (const s of model.services) {
    for (const n of ingress) {
      const plan = ingressPlan(s, n);
      hopsFrom.set(add('ingress', n.name, s.hosts[0]!, s.name, s.hosts), { s, tiers: plan.global, here: n.name });
      const own = `${s.name}.${n.name}.${domain}`;
      hopsFrom.set(add('ingress', n.name, own, s.name, [own]), { s, tiers: plan.own, here: n.name });
    }
    for (const e of edgeNodes) {
      hopsFrom.set(add('edge', e.name, s.hosts[0]!, s.name, s.hosts), { s, tiers: s.tiers, here: undefined });
      for (const b of s.backends) {
        if (b.node === undefined) continue;
        const own = `${s.name}.${b.node}.${domain}`;
        if (!vertices.has(vertexId('edge', e.name, own))) hopsFrom.set(add('edge', e.name, own, s.name, []), { s, tiers: s.tiers, here: undefined });
      }
    }
  }
  for (const [from, { s, tiers, here }] of hopsFrom) {
    const out: RoutingEdge[] = [];
    const seen = new Set<string>();
    const push = (to: string, how: RoutingEdge['how']): void => {
      if (seen.has(to)) return;
      seen.add(to);
      out.push({ from, to, how });
    };
    for (const t of tiers) {
      for (const b of t.backends) {
        if (throughIngress(s, b, here)) {
          const peer = vertexId('ingress', b.node!, nodeHost(model, s, b.node!));
          push(vertices.has(peer) ? peer : `instance ${s.name} on ${b.key}`, 'via ingress');
        } else if (here !== undefined && b.node === here && s.local !== undefined) {
          const host = urlHost(s.local);
          const targets = servedBy.get(host);
          if (targets === undefined) push(`${s.local} (${s.name} on ${here})`, 'local');
          else for (const to of targets) push(to, 'local');
        } else push(`instance ${s.name} on ${b.key}`, 'address');
      }
    }
    edges.set(from, out);
  }
  return { vertices, edges };
}

/**
 * Whether some service's `local:` names a host that an edge or ingress routes. Without one, the
 * routing graph has no cycle: a router's hops end at an instance, except those to a peer's
 * `<svc>.<node>.<domain>` router, whose only hops end at its own instance. So the check builds
 * the whole graph (279,000 vertices at 10,000 services, two seconds) only when one does.
 */
export function localNamesRoutedHost(model: Model): boolean {
  const domain = model.platform.domain;
  const services = new Set(model.services.map((s) => s.name));
  const nodes = new Set(model.nodes.filter((n) => n.roles.includes('ingress') || n.roles.includes('edge')).map((n) => n.name));
  let hosts: Set<string> | undefined;
  for (const s of model.services) {
    if (s.local === undefined) continue;
    const host = urlHost(s.local);
    hosts ??= new Set(model.services.flatMap((x) => x.hosts));
    if (hosts.has(host)) return true;
    if (!host.endsWith(`.${domain}`)) continue;
    const [svc, node, ...rest] = host.slice(0, -domain.length - 1).split('.');
    if (rest.length === 0 && svc !== undefined && node !== undefined && services.has(svc) && nodes.has(node)) return true;
  }
  return false;
}

function urlHost(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/:[0-9]+$/, '');
}

/**
 * A cycle of the graph, as the vertex ids along it (the first repeated at the end), or undefined.
 * Iterative depth-first search in vertex order, so the answer is deterministic.
 */
export function findCycle(g: RoutingGraph): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const start of g.vertices.keys()) {
    if (state.has(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = g.edges.get(top.id) ?? [];
      if (top.next >= out.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const to = out[top.next++]!.to;
      if (!g.vertices.has(to)) continue;
      const st = state.get(to);
      if (st === 1) {
        const from = stack.findIndex((f) => f.id === to);
        return [...stack.slice(from).map((f) => f.id), to];
      }
      if (st === undefined) {
        state.set(to, 1);
        stack.push({ id: to, next: 0 });
      }
    }
  }
  return undefined;
}
