import { ingressPlan, throughIngress, upstreamUrl } from '../3-model/routing.js';
import { wildcardNames } from '../3-model/names.js';
import { insertSorted, stringBefore } from '../3-model/order.js';
import type { Health, Model, Node, Service, Tier } from '../3-model/types.js';
import { from, goDuration, header } from './format.js';
import { TextBytes } from './text-bytes.js';
import { outputFile, type Emitter } from './types.js';
import { key, scalar } from './yaml.js';
import { middlewaresSection, needsTransport, routerMiddlewares, traefikSecrets, transportName, transportEntries } from './traefik-middlewares.js';

/** Generated Traefik services of one inventory service: name → its YAML entry (at indent 4). */
type Entries = Map<string, string>;

/**
 * Traefik dynamic configuration (file provider) for every node with role `ingress`.
 * `<svc>.<domain>` goes through the service's tiers (this node's instance first with
 * `local_first`); `<svc>.<this node>.<domain>` tries the instance on this node first through a
 * `failover` whose main service has a health check (Traefik refuses a failover whose main service
 * reports no health), and with `reach: ingress` goes only to it. Which tiers, and which URL reaches
 * each backend (the local way in, a peer's `<svc>.<peer>.<domain>`, an address), come from
 * 3-model/routing.ts, as the routing-cycle check sees them. Every router carries the service's
 * `router_priority`. Names join inventory names with `_`, which inventory names cannot contain, so
 * no two generated names collide.
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
    const meta = (node: Node) => ({ path: `nodes/${node.name}/traefik/hacompile.yaml`, node: node.name, daemon: 'traefik', check: `hacompile verify --daemon traefik --node ${node.name}`, secrets: traefikSecrets(model) });
    const head = (node: Node): string => header('#', `Traefik dynamic configuration (file provider) for ingress node ${node.name}.`);
    if (model.services.length === 0) return ingress.map((node) => outputFile(meta(node), `${head(node)}http: {}\n`));

    const domain = model.platform.domain;
    const tail = routerTail(model);
    const middlewares = middlewaresSection(model);
    const tlsTransports = transportEntries(model);
    const shared = model.services.map((s) => sharedParts(model, s, tail));
    // The global names only when DNS sends them to the ingress nodes (the name plan, 3-model/names.ts).
    const servesGlobal = model.names.global?.daemon === 'traefik';
    const globalHead = (node: Node) =>
      servesGlobal
        ? `http:\n  routers:\n    # <service>.${domain}: every service through its tiers, the instance on ${node.name} first where it runs one and local_first holds\n`
        : `http:\n  routers:\n    # <service>.${domain}: answered by ${model.names.global?.entry.describe ?? 'no entry'}, not by Traefik\n`;
    // What reads the same on every node is made once: the global routers where no service goes
    // local first, each service's Traefik services where it runs no instance, the transports.
    const global = new TextBytes();
    for (const p of shared) global.put(p.comment + p.globalRouter);
    const sharedGlobal = global.bytes();
    // Every service's Traefik services one after the other; `starts[i]` is where service i's begin.
    const services = new TextBytes();
    const starts: number[] = [];
    for (const p of shared) {
      starts.push(services.length());
      services.put(p.comment + sorted(p.entries));
    }
    starts.push(services.length());
    const sharedServices = services.bytes();
    let peers = '';
    for (const p of shared) if (p.transport !== '') peers += p.comment + p.transport;
    if (peers !== '') peers = `    # how this node reaches a peer's ingress at <service>.<peer>.${domain} (reach: ingress)\n${peers}`;
    const serversTransports = tlsTransports + peers === '' ? '' : `  serversTransports:\n${tlsTransports}${peers}`;
    return ingress.map((node) => {
      const local = shared.map((p) => (p.service.backends.some((b) => b.node === node.name) ? localParts(model, p, node, domain, tail) : undefined));
      const file = new TextBytes(2 * sharedGlobal.length + sharedServices.length);
      file.put(head(node) + globalHead(node));
      if (servesGlobal) {
        if (local.every((l, i) => l === undefined || l.global === shared[i]!.globalRouter)) file.putBytes(sharedGlobal);
        else shared.forEach((p, i) => file.put(p.comment + (local[i]?.global ?? p.globalRouter)));
      }
      file.put(`    # <service>.${node.name}.${domain}: the instance on ${node.name} first where it runs one (only it, for reach: ingress), else as above\n`);
      shared.forEach((p, i) => {
        const s = p.service;
        file.put(p.comment + (local[i]?.router ?? routerHead(`${s.name}_${node.name}`, [`${s.name}.${node.name}.${domain}`], s) + p.tail));
      });
      file.put(middlewares);
      file.put('  services:\n');
      let next = 0;
      shared.forEach((p, i) => {
        if (local[i] === undefined) return;
        file.putBytes(sharedServices.subarray(starts[next], starts[i]));
        file.put(p.comment + local[i].entries);
        next = i + 1;
      });
      file.putBytes(sharedServices.subarray(starts[next]));
      file.put(serversTransports);
      return outputFile(meta(node), file.bytes());
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
  /** The Traefik service the global names go to on a node that runs no instance, and that router. */
  globalService: string;
  globalRouter: string;
  /** The global chain's Traefik services, by name. */
  entries: Entries;
  /** The serversTransport entry of a service reached through its nodes' ingress, else ''. */
  transport: string;
}

function sharedParts(model: Model, s: Service, tail: RouterTail): Shared {
  const entries: Entries = new Map();
  const global = chain(s.name, s.tiers, (t) => loadBalancer(model, s, t, undefined, entries), entries);
  const t = tail(s, global);
  return { service: s, comment: `    # service ${s.name}, from ${from(s.origin)}\n`, tail: t, globalService: global, globalRouter: routerHead(s.name, s.hosts, s) + t, entries, transport: transport(s) };
}

/** The transport to peers' ingress: named after the service, with its proxy timeouts (SNI and Host are the URL's name). */
function transport(s: Service): string {
  if (s.reach !== 'ingress') return '';
  const { proxy } = s;
  return (
    `    ${key(`${s.name}_peers`)}:\n      forwardingTimeouts:\n        dialTimeout: ${scalar(goDuration(proxy.dialTimeoutMs))}\n` +
    (proxy.responseHeaderTimeoutMs !== undefined ? `        responseHeaderTimeout: ${scalar(goDuration(proxy.responseHeaderTimeoutMs))}\n` : '')
  );
}

/**
 * On a node that runs an instance of the service: `<svc>_<node>` tries it first (only it, for
 * `reach: ingress`), the global names too where `local_first` holds, and the service's Traefik
 * services are this node's own (load balancers may reach the instance the local way).
 */
function localParts(model: Model, p: Shared, node: Node, domain: string, tail: RouterTail): { global: string; router: string; entries: string } {
  const s = p.service;
  // Unless the service names a local way in or reaches peers by name, its global chain's entries are the shared ones, word for word.
  const own: Entries = s.local === undefined && s.reach === 'address' ? new Map(p.entries) : new Map();
  const lb = (t: Tier): string => loadBalancer(model, s, t, node, own);
  // The service's own chain, made only when a router uses it.
  let chained: string | undefined;
  const global = (): string => (chained ??= chain(s.name, s.tiers, lb, own));
  const plan = ingressPlan(s, node);
  // Where this node comes first anyway, the node's name shares the global chain.
  const same = (tiers: readonly Tier[]) => tiers.map((t) => t.id).join() === s.tiers.map((t) => t.id).join();
  const via = (tiers: readonly Tier[]): string => (same(tiers) ? global() : chain(`${s.name}_via-${node.name}`, tiers, lb, own));
  const first = plan.localFirst ? via(plan.global) : global();
  const preferred = plan.ownOnly ? lb(plan.own[0]!) : via(plan.own);
  return {
    global: first === p.globalService ? p.globalRouter : routerHead(s.name, s.hosts, s) + tail(s, first),
    router: routerHead(`${s.name}_${node.name}`, [`${s.name}.${node.name}.${domain}`], s) + tail(s, preferred),
    entries: sorted(own),
  };
}

/**
 * A router's name and rule. A path route matches its prefix and what is below it (`/web`,
 * `/web/...`, never `/webby`, like Caddy's `path /web /web/*`), with a priority above every
 * router without a path (Traefik's default is the rule's length) that grows with the prefix, so
 * the longest prefix wins as in Caddy.
 */
function routerHead(name: string, hosts: readonly string[], s: Service): string {
  let rule = `Host(\`${hosts[0]!}\`)`;
  for (let i = 1; i < hosts.length; i++) rule += ` || Host(\`${hosts[i]!}\`)`;
  if (s.path === undefined) return `    ${key(name)}:\n      rule: ${scalar(rule)}\n`;
  const p = s.path.prefix;
  rule = `${hosts.length > 1 ? `(${rule})` : rule} && (Path(\`${p}\`) || PathPrefix(\`${p}/\`))`;
  return `    ${key(name)}:\n      # path route ${p}${s.path.strip ? ', stripped' : ''}\n      rule: ${scalar(rule)}\n      priority: ${PATH_PRIORITY + p.length}\n`;
}

/** Above the default priority (the rule's length) of every router without a path. */
const PATH_PRIORITY = 100000;

type RouterTail = (s: Service, service: string) => string;

/** The rest of a router (entry point, priority, service, TLS), given the service it sends to. */
function routerTail(model: Model): RouterTail {
  const entryPoints = `      entryPoints:\n        - ${scalar(model.platform.traefik.entrypoint)}\n`;
  const tls = model.platform.tls === 'acme' ? `      tls:\n        certResolver: ${scalar(model.platform.traefik.certResolver)}\n` : model.platform.tls === 'internal' ? '      tls: {}\n' : model.platform.tls === 'wildcard' ? wildcardTls(model) : '';
  return (s, service) => {
    // Priority 0 is Traefik's own default (the rule's length), so it is left out; a path route has its own (routerHead).
    const priority = s.path === undefined && s.routerPriority > 0 ? `      priority: ${s.routerPriority}\n` : '';
    const mws = routerMiddlewares(s);
    const list = mws.length === 0 ? '' : `      middlewares:\n${mws.map((m) => `        - ${scalar(m)}\n`).join('')}`;
    return `${entryPoints}${priority}${list}      service: ${scalar(service)}\n${tls}`;
  };
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

function loadBalancer(model: Model, s: Service, t: Tier, node: Node | undefined, services: Entries): string {
  const name = `${s.name}_${t.id}`;
  if (services.has(name)) return name;
  let servers = '';
  for (const b of t.backends) servers += `          - url: ${scalar(upstreamUrl(model, s, b, node?.name))}\n`;
  // A peer's ingress routes by name: the Host header must be the peer's name, not the client's.
  const peers = t.backends.some((b) => throughIngress(s, b, node?.name)) ? `        passHostHeader: false\n        serversTransport: ${scalar(`${s.name}_peers`)}\n` : '';
  const sticky = s.sticky !== undefined ? `        sticky:\n          cookie:\n            name: ${scalar(s.sticky.cookie)}\n            httpOnly: true\n` : '';
  const transport = peers === '' && needsTransport(s) ? `        serversTransport: ${scalar(transportName(s))}\n` : '';
  services.set(name, `    ${key(name)}:\n      loadBalancer:\n        servers:\n${servers}${healthCheck(s.health)}${sticky}${peers}${transport}`);
  return name;
}

function healthCheck(h: Health): string {
  return (
    `        healthCheck:\n          path: ${scalar(h.path)}\n` +
    (h.port !== undefined ? `          port: ${h.port}\n` : '') +
    (h.scheme !== undefined ? `          scheme: ${h.scheme}\n` : '') +
    (h.status !== undefined ? `          status: ${h.status}\n` : '') +
    (h.headers.length > 0 ? `          headers:\n${h.headers.map((x) => `            ${key(x.name)}: ${scalar(x.value!)}\n`).join('')}` : '') +
    `          interval: ${scalar(goDuration(h.intervalMs))}\n          timeout: ${scalar(goDuration(h.timeoutMs))}\n`
  );
}

/** The entries in name order, joined. */
function sorted(entries: Entries): string {
  const names: string[] = [];
  for (const name of entries.keys()) insertSorted(names, name, stringBefore);
  let out = '';
  for (const name of names) out += entries.get(name)!;
  return out;
}
