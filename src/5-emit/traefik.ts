import { tier } from '../3-model/build.js';
import { wildcardNames } from '../3-model/names.js';
import { insertSorted, stringBefore } from '../3-model/order.js';
import type { Backend, Health, Model, Node, Service, Tier } from '../3-model/types.js';
import { from, goDuration, header, hostPort } from './format.js';
import { outputFile, type Emitter } from './types.js';
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
 * Every ingress node's file holds every service: the routers for `<svc>.<domain>`, the routers for
 * `<svc>.<this node>.<domain>`, and the Traefik services. They read the same on every node but for
 * the services that run an instance on it. Each router and each service's group carries a
 * `# service <name>, from services.<name>` comment.
 */
export const traefik: Emitter = {
  daemon: 'traefik',
  emit(model) {
    const ingress = model.nodes.filter((n) => n.roles.includes('ingress'));
    const meta = (node: Node) => ({ path: `nodes/${node.name}/traefik/hacompile.yaml`, node: node.name, daemon: 'traefik', check: `hacompile verify --daemon traefik --node ${node.name}`, secrets: [] });
    const head = (node: Node): string => header('#', `Traefik dynamic configuration (file provider) for ingress node ${node.name}.`);
    if (model.services.length === 0) return ingress.map((node) => outputFile(meta(node), `${head(node)}http: {}\n`));

    const domain = model.platform.domain;
    const tail = routerTail(model);
    const shared = model.services.map((s) => sharedParts(s, tail));
    let globalRouters = `http:\n  routers:\n    # <service>.${domain}: every service through its tiers\n`;
    // The global names only when DNS sends them to the ingress nodes (the name plan, 3-model/names.ts).
    if (model.names.global?.daemon === 'traefik') for (const p of shared) globalRouters += p.comment + routerHead(p.service.name, p.service.hosts) + p.tail;
    else globalRouters = `http:\n  routers:\n    # <service>.${domain}: answered by ${model.names.global?.entry.describe ?? 'no entry'}, not by Traefik\n`;
    return ingress.map((node) => {
      let routers = `    # <service>.${node.name}.${domain}: the instance on ${node.name} first where it runs one, else as above\n`;
      let services = '  services:\n';
      for (const p of shared) {
        const s = p.service;
        if (s.backends.some((b) => b.node === node.name)) {
          const parts = localParts(p, node, domain, tail);
          routers += p.comment + parts.router;
          services += p.comment + parts.entries;
        } else {
          routers += p.comment + routerHead(`${s.name}_${node.name}`, [`${s.name}.${node.name}.${domain}`]) + p.tail;
          services += p.comment + sorted(p.entries);
        }
      }
      return outputFile(meta(node), head(node) + globalRouters + routers + services);
    });
  },
};

/** What every ingress node's file says about one service, whatever the node. */
interface Shared {
  service: Service;
  /** `    # service <name>, from services.<name>` */
  comment: string;
  /** What follows `rule:` in a router to the global chain. */
  tail: string;
  /** The global chain's Traefik services, by name. */
  entries: Entries;
}

function sharedParts(s: Service, tail: (service: string) => string): Shared {
  const entries: Entries = new Map();
  const global = chain(s.name, s.tiers, (t) => loadBalancer(s, t, undefined, entries), entries);
  return { service: s, comment: `    # service ${s.name}, from ${from(s.origin)}\n`, tail: tail(global), entries };
}

/**
 * On a node that runs an instance of the service: `<svc>_<node>` tries it first, and the service's
 * Traefik services are this node's own (load balancers may reach the instance the local way).
 */
function localParts(p: Shared, node: Node, domain: string, tail: (service: string) => string): { router: string; entries: string } {
  const s = p.service;
  const local = s.backends.filter((b) => b.node === node.name);
  // Unless the service names a local way in, its global chain's entries are the shared ones, word for word.
  const own: Entries = s.local === undefined ? new Map(p.entries) : new Map();
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

/** The rest of a router (entry point, service, TLS), given the service it sends to. */
function routerTail(model: Model): (service: string) => string {
  const entryPoints = `      entryPoints:\n        - ${scalar(model.platform.traefik.entrypoint)}\n`;
  const tls = model.platform.tls === 'acme' ? `      tls:\n        certResolver: ${scalar(model.platform.traefik.certResolver)}\n` : model.platform.tls === 'internal' ? '      tls: {}\n' : model.platform.tls === 'wildcard' ? wildcardTls(model) : '';
  return (service) => `${entryPoints}      service: ${scalar(service)}\n${tls}`;
}

/** `tls: wildcard`: one certificate for every router, on the DNS-challenge resolver (3-model/names.ts). */
function wildcardTls(model: Model): string {
  const w = wildcardNames(model, 'traefik');
  let out = `      tls:\n        certResolver: ${scalar(model.platform.acme.dnsResolver ?? model.platform.traefik.certResolver)}\n        domains:\n          - main: ${scalar(w.main)}\n            sans:\n`;
  for (const san of w.sans) out += `              - ${scalar(san)}\n`;
  return out;
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

function healthCheck(h: Health): string {
  return (
    `        healthCheck:\n          path: ${scalar(h.path)}\n` +
    (h.port !== undefined ? `          port: ${h.port}\n` : '') +
    `          interval: ${scalar(goDuration(h.intervalMs))}\n          timeout: ${scalar(goDuration(h.timeoutMs))}\n`
  );
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
