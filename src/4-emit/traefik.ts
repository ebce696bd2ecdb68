import { tier } from '../3-model/build.js';
import type { Backend, Model, Node, Service, Tier } from '../3-model/types.js';
import { goDuration, header, hostPort } from './format.js';
import { BodyWriter, outputFile, type Body } from './body.js';
import type { Emitter, OutputFile } from './types.js';

/** About what one service's routers and services take, to size the buffers they are written into. */
const ROUTER_BYTES = 512;
const SERVICE_BYTES = 768;
import { key, scalar } from './yaml.js';

/** Generated Traefik services of one inventory service: name → its YAML entry (at indent 4). */
type Entries = Map<string, string>;

/**
 * Traefik dynamic configuration (file provider) for every node with role `ingress`.
 * `<svc>.<domain>` goes through the service's tiers; `<svc>.<this node>.<domain>` tries the
 * instance on this node first through a `failover` whose main service has a health check (Traefik
 * refuses a failover whose main service reports no health). Names join inventory names with `_`,
 * which inventory names cannot contain, so no two generated names collide.
 *
 * Every ingress node's file holds every service, so the parts that do not depend on the node (the
 * global router, the global chain's services) are written once and shared by all files: the work
 * grows with services + nodes × (services' names), not nodes × everything.
 */
export const traefik: Emitter = {
  daemon: 'traefik',
  emit(model, ctx) {
    const ingress = model.nodes.filter((n) => n.roles.includes('ingress'));
    if (ingress.length === 0) return [];
    const tail = routerTail(model);
    const shared = model.services.map((s) => sharedParts(s, ctx.where(s.origin), tail));
    // The services each node runs an instance of (found once, not per node and service).
    const local = new Map<string, Set<Service>>();
    for (const s of model.services) for (const b of s.backends) if (b.node !== undefined) (local.get(b.node) ?? local.set(b.node, new Set()).get(b.node)!).add(s);
    let common: Buffer | undefined;
    const commonServices = (): Buffer => {
      if (common === undefined) {
        const w = new BodyWriter(model.services.length * SERVICE_BYTES);
        w.put('  services:\n');
        for (const p of shared) w.put(p.services);
        common = w.bytes();
      }
      return common;
    };
    return ingress.map((node): OutputFile => {
      const path = `nodes/${node.name}/traefik/hacompile.yaml`;
      const head = header('#', ctx.source, `Traefik dynamic configuration (file provider) for ingress node ${node.name}.`);
      const body = model.services.length === 0 ? `${head}http: {}\n` : nodeConfig(model, node, head, shared, tail, local.get(node.name), commonServices);
      return outputFile({ path, node: node.name, daemon: 'traefik', check: `hacompile verify --daemon traefik --node ${node.name}`, secrets: [] }, body);
    });
  },
};

/** What every ingress node's file says about one service, whatever the node. */
interface Shared {
  service: Service;
  /** `    # service <name>, from <place>` */
  comment: string;
  /** The global router's entry. */
  router: string;
  /** The name the global router sends to. */
  global: string;
  /** What follows `rule:` in a router to the global chain. */
  tail: string;
  /** The text around the node's name in `<svc>_<node>` and its rule, when the service name is plain. */
  head?: readonly [string, string];
  /** The service's comment and its global chain's entries (on a node without a backend of it), sorted, joined. */
  services: string;
}

/**
 * A string in one piece. Joined pieces are a tree until something reads them; a piece every node's
 * file holds would otherwise be walked again by each file that writes it.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

function sharedParts(s: Service, from: string, tail: (service: string) => string): Shared {
  const own: Entries = new Map();
  const global = chain(s.name, s.tiers, (t) => loadBalancer(s, t, undefined, own), own);
  const toGlobal = tail(global);
  const comment = `    # service ${s.name}, from ${from}\n`;
  return {
    service: s,
    comment,
    router: flat(comment + routerHead(s.name, s.hosts) + toGlobal),
    global,
    tail: flat(toGlobal),
    services: flat(comment + sorted(own)),
    ...(PLAIN_KEY.test(s.name) ? { head: [flat(`    ${s.name}_`), flat(`:\n      rule: "Host(\`${s.name}.`)] as const } : {}),
  };
}

/** One node's file: the header, every service's routers, then every service's Traefik services. */
function nodeConfig(
  model: Model,
  node: Node,
  head: string,
  shared: readonly Shared[],
  tail: (service: string) => string,
  runsHere: ReadonlySet<Service> | undefined,
  commonServices: () => Buffer,
): Body {
  const routers = new BodyWriter(shared.length * ROUTER_BYTES);
  routers.put(head);
  routers.put('http:\n  routers:\n');
  const plainNode = PLAIN.test(node.name) && PLAIN.test(model.platform.domain);
  const hostTail = `.${model.platform.domain}\`)"\n`;
  // Without an instance on this node, a service's Traefik services are the same on every node:
  // their bytes are shared by those nodes' files.
  const services = runsHere ? new BodyWriter(shared.length * SERVICE_BYTES) : undefined;
  services?.put('  services:\n');
  // Each inventory service's routers and services stay together, under a comment saying where it
  // was defined; within a group, names are sorted.
  for (const p of shared) {
    const s = p.service;
    const nodeHost = `${s.name}.${node.name}.${model.platform.domain}`;
    routers.put(p.router);
    if (!runsHere?.has(s)) {
      // The same text as routerHead, in pieces.
      if (p.head && plainNode) routers.put(p.head[0] + node.name + p.head[1] + node.name + hostTail + p.tail);
      else routers.put(nodeRouterHead(s.name, node.name, model.platform.domain) + p.tail);
      services?.put(p.services);
      continue;
    }
    const local = s.backends.filter((b) => b.node === node.name);
    // This node runs an instance: its own chain, and load balancers that may reach it the local way.
    const own: Entries = new Map();
    const lb = (t: Tier): string => loadBalancer(s, t, node, own);
    const global = chain(s.name, s.tiers, lb, own);
    const rest = s.tiers
      .map((t) => tier(`${t.id}_without-${node.name}`, t.backends.filter((b) => b.node !== node.name)))
      .filter((t) => t.backends.length > 0);
    const tiers = [tier(`at-${node.name}`, local), ...rest];
    // Where this node comes first anyway, the node's name shares the global chain.
    const same = tiers.map((t) => t.id).join() === s.tiers.map((t) => t.id).join();
    routers.put(routerHead(`${s.name}_${node.name}`, [nodeHost]) + tail(same ? global : chain(`${s.name}_via-${node.name}`, tiers, lb, own)));
    services!.put(p.comment + sorted(own));
  }
  return [routers.bytes(), services ? services.bytes() : commonServices()];
}

/** A router's name and rule. */
function routerHead(name: string, hosts: readonly string[]): string {
  return `    ${key(name)}:\n      rule: ${scalar(hosts.map((h) => `Host(\`${h}\`)`).join(' || '))}\n`;
}

/** Names and hostnames as the schema allows them: nothing YAML or JSON would quote or escape. */
const PLAIN_KEY = /^[a-z][a-z0-9-]*$/;
const PLAIN = /^[a-z0-9.-]+$/;

/**
 * routerHead for `<svc>_<node>` and `<svc>.<node>.<domain>` (10,000 services × every ingress
 * node): the same text, written directly when the names are plain, as the schema makes them.
 */
function nodeRouterHead(service: string, node: string, domain: string): string {
  if (!PLAIN_KEY.test(service) || !PLAIN.test(node) || !PLAIN.test(domain)) return routerHead(`${service}_${node}`, [`${service}.${node}.${domain}`]);
  return `    ${service}_${node}:\n      rule: "Host(\`${service}.${node}.${domain}\`)"\n`;
}

/** The rest of a router (entry point, service, TLS), given the service it sends to. */
function routerTail(model: Model): (service: string) => string {
  const entryPoints = `      entryPoints:\n        - ${scalar(model.platform.traefik.entrypoint)}\n`;
  const tls = model.platform.tls === 'acme' ? `      tls:\n        certResolver: ${scalar(model.platform.traefik.certResolver)}\n` : model.platform.tls === 'internal' ? '      tls: {}\n' : '';
  return (service) => `${entryPoints}      service: ${scalar(service)}\n${tls}`;
}

/** A failover chain over tiers: the first tier while it is healthy, else the rest. */
function chain(name: string, tiers: Tier[], lb: (t: Tier) => string, services: Entries): string {
  const [first, ...rest] = tiers;
  if (rest.length === 0) return lb(first!);
  const main = lb(first!);
  const fallback = chain(`${name}_fallback`, rest, lb, services);
  services.set(
    name,
    `    ${key(name)}:\n      # ${tiers.map((t) => t.id).join(' > ')}\n      failover:\n        service: ${scalar(main)}\n        fallback: ${scalar(fallback)}\n`,
  );
  return name;
}

function loadBalancer(s: Service, t: Tier, node: Node | undefined, services: Entries): string {
  const name = `${s.name}_${t.id}`;
  if (services.has(name)) return name;
  const h = s.health;
  services.set(
    name,
    `    ${key(name)}:\n      loadBalancer:\n        servers:\n` +
      t.backends.map((b) => `          - url: ${scalar(url(s, b, node))}\n`).join('') +
      `        healthCheck:\n          path: ${scalar(h.path)}\n` +
      (h.port !== undefined ? `          port: ${h.port}\n` : '') +
      `          interval: ${scalar(goDuration(h.intervalMs))}\n          timeout: ${scalar(goDuration(h.timeoutMs))}\n`,
  );
  return name;
}

/** The instance on this node is reached the local way when the service says how. */
function url(s: Service, b: Backend, node: Node | undefined): string {
  if (s.local !== undefined && node !== undefined && b.node === node.name) return s.local;
  return `http://${hostPort(b.address, b.port)}`;
}

function sorted(entries: Entries): string {
  return [...entries.keys()]
    .sort()
    .map((k) => entries.get(k)!)
    .join('');
}
