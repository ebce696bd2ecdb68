import type { Backend, Health, Model, Node, Proxy, Service } from '../3-model/types.js';
import { goDuration, header, hostPort } from './format.js';
import { render } from './templates.js';
import { BodyWriter, outputFile } from './body.js';
import type { Emitter, OutputFile } from './types.js';

/**
 * About what one service's sites take (four blocks: 1,260 bytes at 10,000 services), to size the
 * buffer they are written into (a buffer that grows is copied; one a little too large costs nothing
 * where it is not written).
 */
const SITE_BYTES = 1536;

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
 * The global options come from a template; the site blocks (four per service at 10,000 services:
 * 40,000 of them) are written here, tab-indented as `caddy fmt` lays them out: rendering them
 * through Handlebars cost five times more.
 */
export const caddy: Emitter = {
  daemon: 'caddy',
  emit(model, ctx) {
    const edges = model.nodes.filter((n) => n.roles.includes('edge'));
    if (edges.length === 0) return [];
    // Every edge serves the same sites: their bytes are written once and shared by every file,
    // each file adding its own header.
    const sites = new BodyWriter(model.services.length * SITE_BYTES);
    sites.put(render('caddy/Caddyfile.hbs', { globals: globalOptions(model) }));
    const { upstream } = model.platform;
    if (model.services.some((s) => ownSettings(model, s) === undefined)) {
      const from = upstream.origin ? `, from ${ctx.where(upstream.origin)}` : " (hacompile's defaults)";
      sites.put(snippet(`reverse_proxy settings of every service that sets neither health: nor proxy:${from}`, DEFAULT_SNIPPET, upstream.health, upstream.proxy));
    }
    for (const s of model.services) sites.put(serviceSites(model, s, ctx.where(s.origin)));
    const body = sites.bytes();
    return edges.map((edge): OutputFile => {
      const path = `nodes/${edge.name}/caddy/Caddyfile`;
      const head = Buffer.from(header('#', ctx.source, `Caddy on edge node ${edge.name}.`), 'utf8');
      return outputFile({ path, node: edge.name, daemon: 'caddy', check: `caddy validate --adapter caddyfile --config ${path}`, secrets: [] }, [head, body]);
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
      return [`email ${model.platform.contact}`];
    case 'internal':
      return ['local_certs'];
    case 'off':
      return [];
  }
}

/** A site block: its comment, its addresses, the proxy, and the proxy that takes over once none of the first is healthy. */
function site(comment: string, addresses: string, proxy: string, fallback?: string): string {
  return `\n# ${comment}\n${addresses} {\n${proxy}${fallback === undefined ? '' : `\thandle_errors {\n${fallback}\t}\n`}}\n`;
}

/** The blocks of one service: its global names, then `<svc>.<node>.<domain>` for every node it runs on. */
function serviceSites(model: Model, s: Service, from: string): string {
  const scheme = model.platform.tls === 'off' ? 'http://' : '';
  const [first, ...rest] = s.tiers;
  // A first tier of one backend (priority order, active/standby) is `lb_policy first` over all
  // backends in order. A balanced first tier with backups behind it balances the first tier and
  // hands over through handle_errors once none of it is healthy (Caddy 2.6 has no backup flag).
  const ordered = first!.backends.length === 1;
  const own = ownSettings(model, s);
  let out = own === undefined ? '' : snippet(`reverse_proxy settings of service ${s.name}, from ${from}`, own, s.health, s.proxy);
  const proxy = proxyWriter(s, own ?? DEFAULT_SNIPPET);
  out += site(
    `service ${s.name}: ${describeTiers(s)}, from ${from}`,
    s.hosts.map((h) => scheme + h).join(', '),
    proxy(ordered ? s.backends : first!.backends, ordered ? 'first' : s.balance, '\t'),
    ordered || rest.length === 0 ? undefined : proxy(rest.flatMap((t) => t.backends), 'first', '\t\t'),
  );
  for (const node of nodesOf(model, s)) {
    out += site(
      `service ${s.name} via node ${node.name}: ${node.name} first, then the others in priority order, from ${from}`,
      `${scheme}${s.name}.${node.name}.${model.platform.domain}`,
      proxy([...s.backends.filter((b) => b.node === node.name), ...s.backends.filter((b) => b.node !== node.name)], 'first', '\t'),
    );
  }
  return out;
}

/** The managed nodes a service runs on, in name order (as model.nodes is): its own few, not a scan of every node. */
export function nodesOf(model: Model, s: Service): Node[] {
  // A service has a few backends: a list and a loop, not sets and spreads, ten thousand times.
  const names: string[] = [];
  for (const b of s.backends) if (b.node !== undefined && !names.includes(b.node)) names.push(b.node);
  names.sort();
  return names.map((n) => model.node(n));
}

function describeTiers(s: Service): string {
  return s.tiers.map((t) => t.backends.map((b) => b.key).join(s.balance === 'first' ? ' > ' : ', ')).join(' > ') + ` (${s.balance})`;
}

/** A service's `reverse_proxy` blocks, given upstreams, policy and indentation; the rest is the snippet they import. */
function proxyWriter(s: Service, settings: string): (backends: readonly Backend[], policy: string, indent: string) => string {
  // Each backend's address as written, once per service (every block lists them again).
  const upstream = new Map(s.backends.map((b) => [b, hostPort(b.address, b.port)]));
  return (backends, policy, i) => `${i}reverse_proxy {\n${i}\tto ${backends.map((b) => upstream.get(b)!).join(' ')}\n${i}\tlb_policy ${policy}\n${i}\timport ${settings}\n${i}}\n`;
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
