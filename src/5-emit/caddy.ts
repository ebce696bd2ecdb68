import type { Health, Model, Node, Proxy, Service } from '../3-model/types.js';
import { edgeServesNodeName, wildcardNames } from '../3-model/names.js';
import { insertSorted, stringBefore } from '../3-model/order.js';
import { upstreamUrl } from '../3-model/routing.js';
import { from, goDuration, header, hostPort } from './format.js';
import { render } from './templates.js';
import { TextBytes } from './text-bytes.js';
import { caddyHeaderValue, caddyMiddlewares, caddySecrets, rewritesUri } from './caddy-middlewares.js';
import { outputFile, type Emitter } from './types.js';

/**
 * Caddyfile for every node with role `edge`: one site block per service for its global names,
 * and one per `<svc>.<node>.<domain>` that tries that node first. Active health checks always
 * carry `health_uri` (without it Caddy 2.6 silently runs none).
 *
 * What every `reverse_proxy` says besides its upstreams and policy (retries, health checks,
 * transport timeouts) is a snippet each block imports: one for the services that set neither
 * `health:` nor `proxy:`, defined at the top, and one of its own for a service that sets either,
 * defined above its blocks. A change of those settings is one hunk in review, not one per block.
 *
 * The global options come from a template; the site blocks are written here, tab-indented as
 * `caddy fmt` lays them out.
 */
export const caddy: Emitter = {
  daemon: 'caddy',
  emit(model, ctx) {
    const edges = model.nodes.filter((n) => n.roles.includes('edge'));
    if (edges.length === 0) return [];
    // Every edge serves the same sites.
    const sites = new TextBytes();
    sites.put(render('caddy/Caddyfile.hbs', { globals: globalOptions(model) }));
    const { upstream } = model.platform;
    if (model.services.some((s) => ownSettings(model, s) === undefined)) {
      const origin = upstream.origin ? `, from ${from(upstream.origin)}` : " (hacompile's defaults)";
      sites.put(snippet(`reverse_proxy settings of every service that sets neither health: nor proxy:${origin}`, DEFAULT_SNIPPET, upstream.health, upstream.proxy));
    }
    const shared = sharedHosts(model);
    const tlsFor = wildcardTlsFor(model);
    for (const s of model.services) sites.put(serviceSites(model, s, from(s.origin), shared, tlsFor));
    const body = sites.bytes();
    const secrets = caddySecrets(model);
    return edges.map((edge) => {
      const path = `nodes/${edge.name}/caddy/Caddyfile`;
      const head = Buffer.from(header('#', `Caddy on edge node ${edge.name}.`), 'utf8');
      return outputFile({ path, node: edge.name, daemon: 'caddy', check: `caddy validate --adapter caddyfile --config ${path}`, secrets }, Buffer.concat([head, body]));
    });
  },
};

/** The snippet of the services that set neither `health:` nor `proxy:`; a service's own is `upstream_<name>` (inventory names hold no `_`). */
const DEFAULT_SNIPPET = 'upstream_defaults';

/** The name of a service's own snippet, or undefined when it uses the platform's. */
function ownSettings(model: Model, s: Service): string | undefined {
  const { upstream } = model.platform;
  return s.health === upstream.health && s.proxy === upstream.proxy && s.upstream === undefined ? undefined : `upstream_${s.name}`;
}

function globalOptions(model: Model): string[] {
  switch (model.platform.tls) {
    case 'acme':
    case 'wildcard':
      return [
        '# ACME account e-mail, from platform.contact',
        `email ${model.platform.contact}`,
        ...(model.platform.acme.ca !== undefined ? ['# the ACME CA, from platform.acme', `acme_ca ${model.platform.acme.ca}`] : []),
        ...(model.platform.acme.caRoot !== undefined ? [`acme_ca_root ${model.platform.acme.caRoot}`] : []),
      ];
    case 'internal':
      return ['local_certs'];
    case 'off':
      return [];
  }
}

/**
 * The blocks of one service: its global names, then `<svc>.<node>.<domain>` for every node it runs
 * on. Global names that services share (path routes) are written once, at the first of those
 * services, by `sharedSites`.
 */
function serviceSites(model: Model, s: Service, from: string, shared: SharedHosts, tlsFor: TlsFor): string {
  const scheme = model.platform.tls === 'off' ? 'http://' : '';
  const { backends } = s;
  const addresses = addressesOf(model, s);
  const own = ownSettings(model, s);
  const settings = settingsOf(model, s);
  let out = own === undefined ? '' : snippet(`reverse_proxy settings of service ${s.name}, from ${from}`, own, s.health, s.proxy, s);

  // The global names and extra hosts only when DNS sends them to the edge (the name plan).
  if (model.names.global?.daemon === 'caddy') {
    const alone = s.hosts.filter((h) => shared.routes.get(h)!.length === 1);
    if (alone.length > 0) out += siteBlock(model, `service ${s.name}: ${describeTiers(s)}, from ${from}`, alone, [s], tlsFor);
    for (const group of shared.groupsAt.get(s.name) ?? []) out += siteBlock(model, group.comment, group.hosts, group.services, tlsFor);
  }

  for (const node of nodesOf(model, s)) {
    // Not a name a node answers itself (names.ts).
    if (!edgeServesNodeName(model.names, s.name, node.name)) continue;
    // This node's instances first, then the others, each in priority order.
    let here = '';
    let others = '';
    for (let i = 0; i < backends.length; i++) {
      if (backends[i]!.node === node.name) here += (here === '' ? '' : ' ') + addresses[i]!;
      else others += ' ' + addresses[i]!;
    }
    const proxy = (i: string): string => reverseProxy(i, here + others, 'first', settings);
    out +=
      `\n# service ${s.name} via node ${node.name}: ${node.name} first, then the others in priority order, from ${from}\n` +
      `${scheme}${s.name}.${node.name}.${model.platform.domain} {\n${tlsFor([`${s.name}.${node.name}.${model.platform.domain}`])}${s.path ? routed(s, '\t', proxy, false) + NOT_FOUND : chained(s, '\t', proxy, false)}}\n`;
  }
  return out;
}

/**
 * Each backend's address as written. With `reach: ingress` every instance is reached at
 * <svc>.<node>.<domain> through its node's ingress, which routes by the Host header: each upstream
 * then gets its own name as Host (settingsOf).
 */
function addressesOf(model: Model, s: Service): string[] {
  return s.backends.map((b) => (s.reach === 'ingress' ? upstreamUrl(model, s, b, undefined, true) : hostPort(b.address, b.port)));
}

/** What a `reverse_proxy` of the service imports, and the Host line a service reached through ingress adds. */
function settingsOf(model: Model, s: Service): string {
  return (ownSettings(model, s) ?? DEFAULT_SNIPPET) + (s.reach === 'ingress' ? `\n${HOST_OF_UPSTREAM}` : '');
}

/** What follows `import <snippet>` for a service reached through its nodes' ingress. */
const HOST_OF_UPSTREAM = 'header_up Host {http.reverse_proxy.upstream.host}';

/**
 * `tls: wildcard`: a block whose names the wildcard certificate covers loads it from files (Caddy
 * 2.6 from Debian has no DNS modules; a DNS-01 client obtains it, README); any other block keeps
 * its own certificates. Gives the `tls` line of a block's names, or ''.
 */
type TlsFor = (hosts: readonly string[]) => string;
function wildcardTlsFor(model: Model): TlsFor {
  if (model.platform.tls !== 'wildcard') return () => '';
  const { covers } = wildcardNames(model, 'caddy');
  return (hosts) => (hosts.every(covers) ? `\ttls ${model.platform.acme.wildcardCert} ${model.platform.acme.wildcardKey}\n` : '');
}

/** Global names served by more than one service (path routes), grouped by the services that share them. */
interface SharedHosts {
  /** Every global name → the services serving it, longest path prefix first, the whole host last. */
  routes: Map<string, Service[]>;
  /** A service's name → the shared groups written with its blocks (at the first service of each group). */
  groupsAt: Map<string, { comment: string; hosts: string[]; services: Service[] }[]>;
}

function sharedHosts(model: Model): SharedHosts {
  const routes = new Map<string, Service[]>();
  for (const s of model.services) for (const h of s.hosts) routes.set(h, [...(routes.get(h) ?? []), s]);
  const groups = new Map<string, { comment: string; hosts: string[]; services: Service[] }>();
  const groupsAt = new Map<string, { comment: string; hosts: string[]; services: Service[] }[]>();
  for (const [host, services] of routes) {
    if (services.length === 1) continue;
    services.sort((a, b) => (b.path?.prefix.length ?? -1) - (a.path?.prefix.length ?? -1) || (a.name < b.name ? -1 : 1));
    const key = services.map((s) => s.name).join(' ');
    const g = groups.get(key);
    if (g) {
      insertSorted(g.hosts, host, stringBefore);
      continue;
    }
    const names = services.map((s) => `${s.name} (${s.path?.prefix ?? 'the rest'})`).join(', ');
    const group = { comment: `path routes of ${names}, from ${services.map((s) => from(s.origin)).join(', ')}`, hosts: [host], services };
    groups.set(key, group);
    const first = [...services].sort((a, b) => (a.name < b.name ? -1 : 1))[0]!.name;
    groupsAt.set(first, [...(groupsAt.get(first) ?? []), group]);
  }
  for (const list of groupsAt.values()) list.sort((a, b) => (a.hosts[0]! < b.hosts[0]! ? -1 : 1));
  return { routes, groupsAt };
}

/** A site block for global names: one service's tiers, or the path routes of several. */
function siteBlock(model: Model, comment: string, hosts: readonly string[], services: readonly Service[], tlsFor: TlsFor): string {
  const scheme = model.platform.tls === 'off' ? 'http://' : '';
  let names = scheme + hosts[0]!;
  for (let i = 1; i < hosts.length; i++) names += ', ' + scheme + hosts[i]!;
  let out = `\n# ${comment}\n${names} {\n${tlsFor(hosts)}`;
  const single = services.length === 1 && services[0]!.path === undefined;
  let errors = '';
  for (const s of services) {
    const settings = settingsOf(model, s);
    const addresses = addressesOf(model, s);
    const { tiers } = s;
    // A first tier of one backend (priority order, active/standby) is `lb_policy first` over all
    // backends in order. A balanced first tier with backups behind it balances the first tier and
    // hands over through handle_errors once none of it is healthy (Caddy 2.6 has no backup flag).
    const policy = s.sticky !== undefined ? `cookie ${s.sticky.cookie}` : s.balance;
    const main = (i: string): string =>
      tiers[0]!.backends.length === 1 ? reverseProxy(i, addresses.join(' '), 'first', settings) : reverseProxy(i, upstreamsOf(s, addresses, 0, 1), policy, settings);
    const failover = tiers[0]!.backends.length > 1 && tiers.length > 1;
    const backups = (i: string): string => reverseProxy(i, upstreamsOf(s, addresses, 1, tiers.length), 'first', settings);
    if (single) {
      out += chained(s, '\t', main, false);
      if (failover) errors = chained(s, '\t\t', backups, true);
    } else {
      out += routed(s, '\t', main, failover);
      if (failover) errors += `\t\t@${s.name}_failed vars hac_route ${s.name}\n\t\thandle @${s.name}_failed {\n${chained(s, '\t\t\t', backups, true)}\t\t}\n`;
    }
  }
  if (!single && services.every((s) => s.path !== undefined)) out += NOT_FOUND;
  if (errors !== '') out += `\thandle_errors {\n${errors}\t}\n`;
  return out + '}\n';
}

/** A host served only under path prefixes answers 404 elsewhere, as Traefik does. */
const NOT_FOUND = '\thandle {\n\t\trespond 404\n\t}\n';

/** One path route of a site block: its prefix (and the rest below it) to the service, the prefix stripped when it says so. */
function routed(s: Service, i: string, proxy: (i: string) => string, tagged: boolean): string {
  const p = s.path;
  const head = p ? `${i}@${s.name}_path path ${p.prefix} ${p.prefix}/*\n${i}handle @${s.name}_path {\n` : `${i}handle {\n`;
  const tag = tagged ? `${i}\tvars hac_route ${s.name}\n` : '';
  return head + tag + chained(s, `${i}\t`, proxy, false) + `${i}}\n`;
}

/**
 * The service's middlewares, then the proxy: in a `route`, which keeps the inventory's order
 * (Caddy sorts bare directives its own way). An error route runs them again from the original
 * URI: with backups behind handle_errors, auth must still fail closed there.
 */
function chained(s: Service, i: string, proxy: (i: string) => string, again: boolean): string {
  const strip = s.path?.strip === true ? `${i}\t# path route ${s.path.prefix}, stripped\n${i}\turi strip_prefix ${s.path.prefix}\n` : '';
  const mws = caddyMiddlewares(s, `${i}\t`);
  if (strip === '' && mws === '') return proxy(i);
  const restart = again && rewritesUri(s) ? `${i}\trewrite * {http.request.orig_uri}\n` : '';
  return `${i}route {\n${restart}${strip}${mws}${proxy(`${i}\t`)}${i}}\n`;
}

/** The addresses of the backends of tiers [from, to), in order, space-separated. */
function upstreamsOf(s: Service, addresses: readonly string[], from: number, to: number): string {
  let out = '';
  for (let t = from; t < to; t++) {
    for (const b of s.tiers[t]!.backends) out += (out === '' ? '' : ' ') + addresses[s.backends.indexOf(b)]!;
  }
  return out;
}

/** The managed nodes a service runs on, in name order (as model.nodes is): its own few, not a scan of every node. */
export function nodesOf(model: Model, s: Service): Node[] {
  // A service has a few backends: each name put in its place in a short list, no sets or sorts.
  const names: string[] = [];
  for (const b of s.backends) if (b.node !== undefined && !names.includes(b.node)) insertSorted(names, b.node, stringBefore);
  const nodes: Node[] = [];
  for (const n of names) nodes.push(model.node(n));
  return nodes;
}

function describeTiers(s: Service): string {
  const within = s.balance === 'first' ? ' > ' : ', ';
  let out = '';
  for (let t = 0; t < s.tiers.length; t++) {
    if (t > 0) out += ' > ';
    const { backends } = s.tiers[t]!;
    for (let i = 0; i < backends.length; i++) out += (i > 0 ? within : '') + backends[i]!.key;
  }
  return `${out} (${s.balance})`;
}

/** A `reverse_proxy` block, given indentation, upstreams and policy; the rest is the snippet it imports. */
function reverseProxy(i: string, upstreams: string, policy: string, settings: string): string {
  return `${i}reverse_proxy {\n${i}\tto ${upstreams}\n${i}\tlb_policy ${policy}\n${i}\timport ${settings.replace('\n', `\n${i}\t`)}\n${i}}\n`;
}

/** A snippet of `reverse_proxy` settings: retries, active health checks, transport timeouts. */
function snippet(comment: string, name: string, health: Health, proxy: Proxy, s?: Service): string {
  const u = s?.upstream;
  const lines = [
    `lb_try_duration ${goDuration(proxy.tryDurationMs)}`,
    `lb_try_interval ${goDuration(proxy.tryIntervalMs)}`,
    `fail_duration ${goDuration(proxy.failDurationMs)}`,
    `health_uri ${health.path}`,
    ...(health.port !== undefined ? [`health_port ${health.port}`] : []),
    `health_interval ${goDuration(health.intervalMs)}`,
    `health_timeout ${goDuration(health.timeoutMs)}`,
    `health_status ${health.status ?? '2xx'}`,
    ...(health.headers.length > 0 ? ['health_headers {', ...health.headers.map((h) => `\t${h.name} ${caddyHeaderValue(h, true)}`), '}'] : []),
    ...(u?.host !== undefined ? [`header_up Host ${u.host}`] : []),
    'transport http {',
    `\tdial_timeout ${goDuration(proxy.dialTimeoutMs)}`,
    ...(proxy.responseHeaderTimeoutMs !== undefined ? [`\tresponse_header_timeout ${goDuration(proxy.responseHeaderTimeoutMs)}`] : []),
    ...(proxy.readTimeoutMs !== undefined ? [`\tread_timeout ${goDuration(proxy.readTimeoutMs)}`] : []),
    ...(u?.scheme === 'https' ? ['\ttls'] : []),
    ...(u?.serverName !== undefined ? [`\ttls_server_name ${u.serverName}`] : []),
    ...(u?.ca !== undefined ? [`\ttls_trusted_ca_certs ${u.ca}`] : []),
    ...(u?.insecureSkipVerify ? ['\t# insecure_skip_verify: the backends\' certificates are not checked', '\ttls_insecure_skip_verify'] : []),
    '}',
  ];
  return `\n# ${comment}\n(${name}) {\n${lines.map((l) => `\t${l}\n`).join('')}}\n`;
}
