import type { Health, Model, Node, Proxy, Service } from '../3-model/types.js';
import { edgeServesNodeName, wildcardNames } from '../3-model/names.js';
import { insertSorted, stringBefore } from '../3-model/order.js';
import { from, goDuration, header, hostPort } from './format.js';
import { render } from './templates.js';
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
    let sites = render('caddy/Caddyfile.hbs', { globals: globalOptions(model) });
    const { upstream } = model.platform;
    if (model.services.some((s) => ownSettings(model, s) === undefined)) {
      const origin = upstream.origin ? `, from ${from(upstream.origin)}` : " (hacompile's defaults)";
      sites += snippet(`reverse_proxy settings of every service that sets neither health: nor proxy:${origin}`, DEFAULT_SNIPPET, upstream.health, upstream.proxy);
    }
    for (const s of model.services) sites += serviceSites(model, s, from(s.origin));
    return edges.map((edge) => {
      const path = `nodes/${edge.name}/caddy/Caddyfile`;
      return outputFile({ path, node: edge.name, daemon: 'caddy', check: `caddy validate --adapter caddyfile --config ${path}`, secrets: [] }, header('#', `Caddy on edge node ${edge.name}.`) + sites);
    });
  },
};

/** The snippet of the services that set neither `health:` nor `proxy:`; a service's own is `upstream_<name>` (inventory names hold no `_`). */
const DEFAULT_SNIPPET = 'upstream_defaults';

/** The name of a service's own snippet, or undefined when it uses the platform's. */
function ownSettings(model: Model, s: Service): string | undefined {
  const { upstream } = model.platform;
  return s.health === upstream.health && s.proxy === upstream.proxy ? undefined : `upstream_${s.name}`;
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
 * on. Written piece by piece into one string (40,000 blocks at 10,000 services: no lists, sorts or
 * closures per block).
 */
function serviceSites(model: Model, s: Service, from: string): string {
  const scheme = model.platform.tls === 'off' ? 'http://' : '';
  const { backends, tiers } = s;
  // Each backend's address as written, once per service (every block lists them again).
  const addresses: string[] = [];
  for (let i = 0; i < backends.length; i++) addresses.push(hostPort(backends[i]!.address, backends[i]!.port));
  const own = ownSettings(model, s);
  const settings = own ?? DEFAULT_SNIPPET;
  let out = own === undefined ? '' : snippet(`reverse_proxy settings of service ${s.name}, from ${from}`, own, s.health, s.proxy);

  // The global names and extra hosts only when DNS sends them to the edge (the name plan).
  if (model.names.global?.daemon === 'caddy') {
    let hosts = scheme + s.hosts[0]!;
    for (let i = 1; i < s.hosts.length; i++) hosts += ', ' + scheme + s.hosts[i]!;
    out += `\n# service ${s.name}: ${describeTiers(s)}, from ${from}\n${hosts} {\n${wildcardTls(model, s.hosts)}`;
    // A first tier of one backend (priority order, active/standby) is `lb_policy first` over all
    // backends in order. A balanced first tier with backups behind it balances the first tier and
    // hands over through handle_errors once none of it is healthy (Caddy 2.6 has no backup flag).
    if (tiers[0]!.backends.length === 1) out += reverseProxy('\t', addresses.join(' '), 'first', settings);
    else {
      out += reverseProxy('\t', upstreamsOf(s, addresses, 0, 1), s.balance, settings);
      if (tiers.length > 1) out += `\thandle_errors {\n${reverseProxy('\t\t', upstreamsOf(s, addresses, 1, tiers.length), 'first', settings)}\t}\n`;
    }
    out += '}\n';
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
    out +=
      `\n# service ${s.name} via node ${node.name}: ${node.name} first, then the others in priority order, from ${from}\n` +
      `${scheme}${s.name}.${node.name}.${model.platform.domain} {\n${wildcardTls(model, [`${s.name}.${node.name}.${model.platform.domain}`])}${reverseProxy('\t', here + others, 'first', settings)}}\n`;
  }
  return out;
}

/**
 * `tls: wildcard`: a block whose names the wildcard certificate covers loads it from files (Caddy
 * 2.6 from Debian has no DNS modules; a DNS-01 client obtains it, README); any other block keeps
 * its own certificates.
 */
const wildcardCovers = new WeakMap<object, (name: string) => boolean>();
function wildcardTls(model: Model, hosts: readonly string[]): string {
  if (model.platform.tls !== 'wildcard') return '';
  let covers = wildcardCovers.get(model);
  if (!covers) wildcardCovers.set(model, (covers = wildcardNames(model, 'caddy').covers));
  return hosts.every(covers) ? `\ttls ${model.platform.acme.wildcardCert} ${model.platform.acme.wildcardKey}\n` : '';
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
  return `${i}reverse_proxy {\n${i}\tto ${upstreams}\n${i}\tlb_policy ${policy}\n${i}\timport ${settings}\n${i}}\n`;
}

/** A snippet of `reverse_proxy` settings: retries, active health checks, transport timeouts. */
function snippet(comment: string, name: string, health: Health, proxy: Proxy): string {
  const lines = [
    `lb_try_duration ${goDuration(proxy.tryDurationMs)}`,
    `lb_try_interval ${goDuration(proxy.tryIntervalMs)}`,
    `fail_duration ${goDuration(proxy.failDurationMs)}`,
    `health_uri ${health.path}`,
    ...(health.port !== undefined ? [`health_port ${health.port}`] : []),
    `health_interval ${goDuration(health.intervalMs)}`,
    `health_timeout ${goDuration(health.timeoutMs)}`,
    'health_status 2xx',
    'transport http {',
    `\tdial_timeout ${goDuration(proxy.dialTimeoutMs)}`,
    ...(proxy.responseHeaderTimeoutMs !== undefined ? [`\tresponse_header_timeout ${goDuration(proxy.responseHeaderTimeoutMs)}`] : []),
    ...(proxy.readTimeoutMs !== undefined ? [`\tread_timeout ${goDuration(proxy.readTimeoutMs)}`] : []),
    '}',
  ];
  return `\n# ${comment}\n(${name}) {\n${lines.map((l) => `\t${l}\n`).join('')}}\n`;
}
