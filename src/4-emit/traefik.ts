import { tier } from '../3-model/build.js';
import { insertSorted, stringBefore } from '../3-model/order.js';
import type { Backend, Health, Model, Node, Service, Tier } from '../3-model/types.js';
import { BodyWriter, encodeAll, outputFile, type Stamped } from './body.js';
import { goDuration, header, hostPort } from './format.js';
import type { Emitter } from './types.js';
import { key, scalar } from './yaml.js';

/** Generated Traefik services of one inventory service: name → its YAML entry (at indent 4). */
type Entries = Map<string, string>;

/** About what one service's routers and services take, to size the buffers they are written into. */
const ROUTER_BYTES = 384;
const SERVICE_BYTES = 640;

/**
 * Traefik dynamic configuration (file provider) for every node with role `ingress`.
 * `<svc>.<domain>` goes through the service's tiers; `<svc>.<this node>.<domain>` tries the
 * instance on this node first through a `failover` whose main service has a health check (Traefik
 * refuses a failover whose main service reports no health). Names join inventory names with `_`,
 * which inventory names cannot contain, so no two generated names collide.
 *
 * Every ingress node's file holds every service. A file has three parts: the routers for
 * `<svc>.<domain>` and the Traefik services, which are the same on every node (except the
 * services of what runs on this node), and the routers for `<svc>.<this node>.<domain>`. The parts
 * every node shares are encoded once, and each file holds them as segments; the routers for
 * `<svc>.<this node>.<domain>` differ only by the node's name, so they are written once per length
 * of name, and other nodes' names are stamped into them (NodeRouterLayouts). What is computed grows with
 * services + nodes × (what runs on each node); per node, its name's places. Each router and each
 * service's group carries a `# service <name>, from <place>` comment.
 */
export const traefik: Emitter = {
  daemon: 'traefik',
  *emit(model, ctx) {
    const ingress = model.nodes.filter((n) => n.roles.includes('ingress'));
    if (ingress.length === 0) return;
    const meta = (node: Node) => ({ path: `nodes/${node.name}/traefik/hacompile.yaml`, node: node.name, daemon: 'traefik', check: `hacompile verify --daemon traefik --node ${node.name}`, secrets: [] });
    const head = (node: Node): string => header('#', ctx.source, `Traefik dynamic configuration (file provider) for ingress node ${node.name}.`);
    if (model.services.length === 0) {
      for (const node of ingress) yield outputFile(meta(node), `${head(node)}http: {}\n`);
      return;
    }

    // The services each ingress node runs an instance of, by index (found once, not per node and service).
    const runs = new Map<string, number[]>(ingress.map((n) => [n.name, []]));
    model.services.forEach((s, i) => {
      for (const b of s.backends) {
        const here = b.node === undefined ? undefined : runs.get(b.node);
        if (here !== undefined && here[here.length - 1] !== i) here.push(i);
      }
    });
    const onIngress = new Set<number>();
    for (const here of runs.values()) for (const i of here) onIngress.add(i);
    const tail = routerTail(model);
    // Every node's global routers, and every node's Traefik services with where each service's
    // group starts: written as each service's parts are made (texts that live until the next flush
    // cost the garbage collector little, where ten thousand kept to the end are copied as they age).
    const routers = new BodyWriter(model.services.length * ROUTER_BYTES);
    routers.put(`http:\n  routers:\n    # <service>.${model.platform.domain}: every service through its tiers\n`);
    const services = new BodyWriter(model.services.length * SERVICE_BYTES);
    services.put('  services:\n');
    const starts: number[] = [];
    const shared = model.services.map((s, i) => {
      starts.push(services.length());
      return sharedParts(s, ctx.where(s.origin), tail, onIngress.has(i), routers, services);
    });
    const [globalRouters, allServices] = [routers.bytes(), services.bytes()];
    starts.push(allServices.length);

    // File by file: each can be written while the next is made.
    const domain = model.platform.domain;
    const layouts = new NodeRouterLayouts(shared, domain);
    for (const node of ingress) {
      const here = runs.get(node.name)!;
      const nodeRouters = layouts.of(node);
      // The services this node runs an instance of replace their part of the routers and services
      // every node's file holds alike: the file holds those bytes around them. What is this node's
      // own is encoded in one piece, each text a view of it.
      const routerTexts: string[] = [];
      const serviceTexts: string[] = [];
      for (const i of here) {
        const p = shared[i]!;
        const parts = localParts(p, node, domain, tail);
        routerTexts.push(p.comment + parts.router);
        serviceTexts.push(p.comment + parts.entries);
      }
      const [top, comment, ...own] = encodeAll([head(node), `    # <service>.${node.name}.${domain}: the instance on ${node.name} first where it runs one, else as above\n`, ...routerTexts, ...serviceTexts]);
      const routersHere: (Uint8Array | Stamped)[] = [comment!];
      const servicesHere: Uint8Array[] = [];
      let router = 0;
      let service = 0;
      here.forEach((i, k) => {
        routersHere.push(nodeRouters.slice(router, i), own[k]!);
        router = i + 1;
        servicesHere.push(allServices.subarray(service, starts[i]), own[here.length + k]!);
        service = starts[i + 1]!;
      });
      routersHere.push(nodeRouters.slice(router, shared.length));
      servicesHere.push(allServices.subarray(service));
      yield outputFile(meta(node), [top!, globalRouters, ...routersHere, ...servicesHere]);
    }
  },
};

/** What every ingress node's file says about one service, whatever the node. */
interface Shared {
  service: Service;
  /** `    # service <name>, from <place>` */
  comment: string;
  /** What follows `rule:` in a router to the global chain. */
  tail: string;
  /** The text around the node's name in `<svc>_<node>` and its rule, when the service name is plain. */
  head: readonly [string, string] | undefined;
  /** Those entries by name, kept for a service that runs on an ingress node (whose file holds them too). */
  entries: Entries | undefined;
}

/**
 * A string in one piece. Joined pieces are a tree until something reads them; a piece every node's
 * file holds would otherwise be walked again by each file that writes it.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * What every node's file says about a service: its global router goes to `routers`, its comment and
 * its global chain's entries (on a node without a backend of it), sorted, to `services`.
 */
function sharedParts(s: Service, from: string, tail: (service: string) => string, keep: boolean, routers: BodyWriter, services: BodyWriter): Shared {
  const own: Entries = new Map();
  const global = chain(s.name, s.tiers, (t) => loadBalancer(s, t, undefined, own), own);
  const toGlobal = tail(global);
  const comment = `    # service ${s.name}, from ${from}\n`;
  // (The router and the services are written once, into every node's shared bytes: only what each
  // node's routers repeat is made flat.)
  routers.put(comment + routerHead(s.name, s.hosts) + toGlobal);
  services.put(comment + sorted(own));
  return {
    service: s,
    comment,
    tail: flat(toGlobal),
    head: PLAIN_KEY.test(s.name) ? [flat(`    ${s.name}_`), flat(`:\n      rule: "Host(\`${s.name}.`)] : undefined,
    entries: keep ? own : undefined,
  };
}

/** The routers `<svc>_<node>` of every service, as a node without an instance of any would hold them. */
class NodeRouters {
  /**
   * @param bytes the routers as written for some node
   * @param starts where each service's router starts in them, and the end
   * @param names where that node's name is in them (twice per service), when another name of its length can be put there
   * @param name this node's name, put at `names` when the bytes were written for another node
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly starts: readonly number[],
    readonly names?: Int32Array,
    private readonly name?: Uint8Array,
  ) {}

  /** The routers of services `from` to `to` (exclusive). */
  slice(from: number, to: number): Uint8Array | Stamped {
    const [start, end] = [this.starts[from]!, this.starts[to]!];
    if (this.name === undefined) return this.bytes.subarray(start, end);
    return { base: this.bytes, from: start, to: end, at: this.names!, value: this.name };
  }
}

/**
 * `<svc>_<node>` on a node without an instance of the service sends `<svc>.<node>.<domain>` to the
 * global chain: the same text on every node but for the node's name, twice in it. Written out for
 * the first node whose name has a given length; each other node of that length gets those bytes
 * with its name stamped in the same places (Stamped: a few bytes per service instead of every
 * router written and encoded again per node, or a copy per node). Names are plain (the schema
 * makes them so); one that is not gets its routers written out.
 */
class NodeRouterLayouts {
  private readonly byLength = new Map<number, NodeRouters>();
  private readonly plain: boolean;

  constructor(
    private readonly shared: readonly Shared[],
    private readonly domain: string,
  ) {
    this.plain = PLAIN.test(domain) && shared.every((p) => p.head !== undefined);
  }

  of(node: Node): NodeRouters {
    const plain = this.plain && PLAIN.test(node.name);
    if (!plain) return this.write(node, false);
    const layout = this.byLength.get(node.name.length);
    if (layout === undefined) {
      const written = this.write(node, true);
      this.byLength.set(node.name.length, written);
      return written;
    }
    return new NodeRouters(layout.bytes, layout.starts, layout.names!, Buffer.from(node.name, 'latin1'));
  }

  private write(node: Node, plain: boolean): NodeRouters {
    const { shared, domain } = this;
    const out = new BodyWriter(shared.length * ROUTER_BYTES);
    const starts: number[] = [];
    // (Shared memory: the CLI's output thread reads them where they are.)
    const names = plain ? new Int32Array(new SharedArrayBuffer(shared.length * 2 * Int32Array.BYTES_PER_ELEMENT)) : undefined;
    let at = 0;
    shared.forEach((p, i) => {
      starts.push(at);
      let text: string;
      if (names) {
        // routerHead's text, in pieces around the name.
        const before = p.comment + p.head![0];
        text = before + node.name + p.head![1] + node.name + `.${domain}\`)"\n` + p.tail;
        names[2 * i] = at + Buffer.byteLength(before, 'utf8');
        names[2 * i + 1] = names[2 * i]! + node.name.length + p.head![1].length;
      } else text = p.comment + routerHead(`${p.service.name}_${node.name}`, [`${p.service.name}.${node.name}.${domain}`]) + p.tail;
      out.put(text);
      at += Buffer.byteLength(text, 'utf8');
    });
    starts.push(at);
    return new NodeRouters(out.bytes(), starts, names);
  }
}

/**
 * On a node that runs an instance of the service: `<svc>_<node>` tries it first, and the service's
 * Traefik services are this node's own (load balancers may reach the instance the local way).
 */
function localParts(p: Shared, node: Node, domain: string, tail: (service: string) => string): { router: string; entries: string } {
  const s = p.service;
  const local = s.backends.filter((b) => b.node === node.name);
  // Unless the service names a local way in, its global chain's entries are the shared ones, word for word.
  const own: Entries = s.local === undefined && p.entries !== undefined ? new Map(p.entries) : new Map();
  const lb = (t: Tier): string => loadBalancer(s, t, node, own);
  const global = chain(s.name, s.tiers, lb, own);
  const rest = s.tiers
    .map((t) => tier(`${t.id}_without-${node.name}`, t.backends.filter((b) => b.node !== node.name)))
    .filter((t) => t.backends.length > 0);
  const tiers = [tier(`at-${node.name}`, local), ...rest];
  // Where this node comes first anyway, the node's name shares the global chain.
  const same = tiers.map((t) => t.id).join() === s.tiers.map((t) => t.id).join();
  return {
    router: routerHead(`${s.name}_${node.name}`, [`${s.name}.${node.name}.${domain}`]) + tail(same ? global : chain(`${s.name}_via-${node.name}`, tiers, lb, own)),
    entries: sorted(own),
  };
}

/** A router's name and rule. */
function routerHead(name: string, hosts: readonly string[]): string {
  let rule = `Host(\`${hosts[0]!}\`)`;
  for (let i = 1; i < hosts.length; i++) rule += ` || Host(\`${hosts[i]!}\`)`;
  return `    ${key(name)}:\n      rule: ${scalar(rule)}\n`;
}

/** Names and hostnames as the schema allows them: nothing YAML or JSON would quote or escape. */
const PLAIN_KEY = /^[a-z][a-z0-9-]*$/;
const PLAIN = /^[a-z0-9.-]+$/;

/** The rest of a router (entry point, service, TLS), given the service it sends to. */
function routerTail(model: Model): (service: string) => string {
  const entryPoints = `      entryPoints:\n        - ${scalar(model.platform.traefik.entrypoint)}\n`;
  const tls = model.platform.tls === 'acme' ? `      tls:\n        certResolver: ${scalar(model.platform.traefik.certResolver)}\n` : model.platform.tls === 'internal' ? '      tls: {}\n' : '';
  return (service) => `${entryPoints}      service: ${scalar(service)}\n${tls}`;
}

/** A failover chain over tiers (from `from` on): the first tier while it is healthy, else the rest. */
function chain(name: string, tiers: readonly Tier[], lb: (t: Tier) => string, services: Entries, from = 0): string {
  const main = lb(tiers[from]!);
  if (from === tiers.length - 1) return main;
  const fallback = chain(`${name}_fallback`, tiers, lb, services, from + 1);
  let ids = tiers[from]!.id;
  for (let i = from + 1; i < tiers.length; i++) ids += ' > ' + tiers[i]!.id;
  services.set(name, `    ${key(name)}:\n      # ${ids}\n      failover:\n        service: ${scalar(main)}\n        fallback: ${scalar(fallback)}\n`);
  return name;
}

function loadBalancer(s: Service, t: Tier, node: Node | undefined, services: Entries): string {
  const name = `${s.name}_${t.id}`;
  if (services.has(name)) return name;
  let servers = '';
  for (const b of t.backends) servers += `          - url: ${scalar(url(s, b, node))}\n`;
  services.set(name, `    ${key(name)}:\n      loadBalancer:\n        servers:\n${servers}${healthCheck(s.health)}`);
  return name;
}

/** Health checks as written, by health settings (services without their own share one). */
const healthChecks = new WeakMap<Health, string>();

function healthCheck(h: Health): string {
  let text = healthChecks.get(h);
  if (text === undefined) {
    text =
      `        healthCheck:\n          path: ${scalar(h.path)}\n` +
      (h.port !== undefined ? `          port: ${h.port}\n` : '') +
      `          interval: ${scalar(goDuration(h.intervalMs))}\n          timeout: ${scalar(goDuration(h.timeoutMs))}\n`;
    healthChecks.set(h, text);
  }
  return text;
}

/** The instance on this node is reached the local way when the service says how. */
function url(s: Service, b: Backend, node: Node | undefined): string {
  if (s.local !== undefined && node !== undefined && b.node === node.name) return s.local;
  return `http://${hostPort(b.address, b.port)}`;
}

/** The entries in name order, joined. */
function sorted(entries: Entries): string {
  const names: string[] = [];
  for (const name of entries.keys()) insertSorted(names, name, stringBefore);
  let out = '';
  for (const name of names) out += entries.get(name)!;
  return out;
}
