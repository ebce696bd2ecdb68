import type { Backend, Model, Node, Service } from '../3-model/types.js';
import { goDuration, header, hostPort } from './format.js';
import { render, renderEach } from './templates.js';
import type { Emitter, OutputFile } from './types.js';

interface ProxyView {
  upstreams: string[];
  policy: string;
  tryDuration: string;
  tryInterval: string;
  failDuration: string;
  healthUri: string;
  healthPort: number | null;
  healthInterval: string;
  healthTimeout: string;
  dialTimeout: string;
  responseHeaderTimeout: string | null;
  readTimeout: string | null;
}

interface SiteView {
  comment: string;
  addresses: string[];
  proxy: ProxyView;
  fallback: ProxyView | null;
}

/**
 * Caddyfile for every node with role `edge`: one site block per service for its global names,
 * and one per `<svc>.<node>.<domain>` that tries that node first. Active health checks always
 * carry `health_uri` (without it Caddy 2.6 silently runs none).
 */
export const caddy: Emitter = {
  daemon: 'caddy',
  emit(model, ctx) {
    const edges = model.nodes.filter((n) => n.roles.includes('edge'));
    if (edges.length === 0) return [];
    // Every edge serves the same sites: the body is rendered once, each file adds its header.
    const sites = model.services.flatMap((s) => serviceSites(model, s, ctx.where(s.origin)));
    const body = render('caddy/Caddyfile.hbs', { globals: globalOptions(model) }) + renderEach('caddy/site.hbs', sites);
    return edges.map((edge): OutputFile => {
      const path = `nodes/${edge.name}/caddy/Caddyfile`;
      const content = header('#', ctx.source, `Caddy on edge node ${edge.name}.`) + body;
      return { path, node: edge.name, daemon: 'caddy', content, check: `caddy validate --adapter caddyfile --config ${path}`, secrets: [] };
    });
  },
};

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

function serviceSites(model: Model, s: Service, from: string): SiteView[] {
  const scheme = model.platform.tls === 'off' ? 'http://' : '';
  const [first, ...rest] = s.tiers;
  // A first tier of one backend (priority order, active/standby) is `lb_policy first` over all
  // backends in order. A balanced first tier with backups behind it balances the first tier and
  // hands over through handle_errors once none of it is healthy (Caddy 2.6 has no backup flag).
  const ordered = first!.backends.length === 1;
  const common = settings(s);
  const global: SiteView = {
    comment: `service ${s.name}: ${describeTiers(s)}, from ${from}`,
    addresses: s.hosts.map((h) => scheme + h),
    proxy: proxyView(common, ordered ? s.backends : first!.backends, ordered ? 'first' : s.balance),
    fallback: ordered || rest.length === 0 ? null : proxyView(common, rest.flatMap((t) => t.backends), 'first'),
  };
  const perNode = nodesOf(model, s).map(
    (node): SiteView => ({
      comment: `service ${s.name} via node ${node.name}: ${node.name} first, then the others in priority order, from ${from}`,
      addresses: [`${scheme}${s.name}.${node.name}.${model.platform.domain}`],
      proxy: proxyView(common, [...s.backends.filter((b) => b.node === node.name), ...s.backends.filter((b) => b.node !== node.name)], 'first'),
      fallback: null,
    }),
  );
  return [global, ...perNode];
}

/** The managed nodes a service runs on, in name order (as model.nodes is): its own few, not a scan of every node. */
export function nodesOf(model: Model, s: Service): Node[] {
  const names = [...new Set(s.backends.flatMap((b) => (b.node ? [b.node] : [])))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => model.node(n));
}

function describeTiers(s: Service): string {
  return s.tiers.map((t) => t.backends.map((b) => b.key).join(s.balance === 'first' ? ' > ' : ', ')).join(' > ') + ` (${s.balance})`;
}

type Settings = Omit<ProxyView, 'upstreams' | 'policy'>;

function proxyView(common: Settings, backends: Backend[], policy: string): ProxyView {
  return { upstreams: backends.map((b) => hostPort(b.address, b.port)), policy, ...common };
}

/** What every reverse_proxy block of a service says besides its upstreams and policy (written once per service). */
function settings(s: Service): Settings {
  return {
    tryDuration: goDuration(s.proxy.tryDurationMs),
    tryInterval: goDuration(s.proxy.tryIntervalMs),
    failDuration: goDuration(s.proxy.failDurationMs),
    healthUri: s.health.path,
    healthPort: s.health.port ?? null,
    healthInterval: goDuration(s.health.intervalMs),
    healthTimeout: goDuration(s.health.timeoutMs),
    dialTimeout: goDuration(s.proxy.dialTimeoutMs),
    responseHeaderTimeout: s.proxy.responseHeaderTimeoutMs !== undefined ? goDuration(s.proxy.responseHeaderTimeoutMs) : null,
    readTimeout: s.proxy.readTimeoutMs !== undefined ? goDuration(s.proxy.readTimeoutMs) : null,
  };
}
