import { tier } from '../3-model/build.js';
import type { Backend, Model, Node, Service, Tier } from '../3-model/types.js';
import { goDuration, header, hostPort } from './format.js';
import type { Emitter, OutputFile } from './types.js';
import { comment, toYaml, type YamlValue } from './yaml.js';

type Services = Record<string, YamlValue>;

/**
 * Traefik dynamic configuration (file provider) for every node with role `ingress`.
 * `<svc>.<domain>` goes through the service's tiers; `<svc>.<this node>.<domain>` tries the
 * instance on this node first through a `failover` whose main service has a health check (Traefik
 * refuses a failover whose main service reports no health). Names join inventory names with `_`,
 * which inventory names cannot contain, so no two generated names collide.
 */
export const traefik: Emitter = {
  daemon: 'traefik',
  emit(model, ctx) {
    return model.nodes
      .filter((n) => n.roles.includes('ingress'))
      .map((node): OutputFile => {
        const path = `nodes/${node.name}/traefik/hacompile.yaml`;
        const content = header('#', ctx.source, `Traefik dynamic configuration (file provider) for ingress node ${node.name}.`) + toYaml(nodeConfig(model, node, ctx.where));
        return { path, node: node.name, daemon: 'traefik', content, check: `hacompile verify --daemon traefik --node ${node.name}`, secrets: [] };
      });
  },
};

function nodeConfig(model: Model, node: Node, where: (o: Service['origin']) => string): { [key: string]: YamlValue } {
  if (model.services.length === 0) return { http: {} };
  const routers: Record<string, YamlValue> = {};
  const services: Services = {};
  const tls: YamlValue | undefined =
    model.platform.tls === 'acme' ? { certResolver: model.platform.traefik.certResolver } : model.platform.tls === 'internal' ? {} : undefined;
  const router = (hosts: string[], service: string): YamlValue => ({
    rule: hosts.map((h) => `Host(\`${h}\`)`).join(' || '),
    entryPoints: [model.platform.traefik.entrypoint],
    service,
    ...(tls !== undefined ? { tls } : {}),
  });
  // Each inventory service's routers and services stay together, under a comment saying where it
  // was defined; within a group, names are sorted.
  for (const s of model.services) {
    const own: Services = {};
    const lb = (t: Tier) => loadBalancer(s, t, node, own);
    const global = chain(s.name, s.tiers, lb, own);
    const mine: Record<string, YamlValue> = { [comment(`service ${s.name}, from ${where(s.origin)}`)]: '' };
    mine[s.name] = router(s.hosts, global);
    const nodeHost = `${s.name}.${node.name}.${model.platform.domain}`;
    const local = s.backends.filter((b) => b.node === node.name);
    if (local.length === 0) {
      mine[`${s.name}_${node.name}`] = router([nodeHost], global);
    } else {
      const rest = s.tiers
        .map((t) => tier(`${t.id}_without-${node.name}`, t.backends.filter((b) => b.node !== node.name)))
        .filter((t) => t.backends.length > 0);
      const tiers = [tier(`at-${node.name}`, local), ...rest];
      // Where this node comes first anyway, the node's name shares the global chain.
      const same = tiers.map((t) => t.id).join() === s.tiers.map((t) => t.id).join();
      mine[`${s.name}_${node.name}`] = router([nodeHost], same ? global : chain(`${s.name}_via-${node.name}`, tiers, lb, own));
    }
    Object.assign(routers, mine);
    Object.assign(services, { [comment(`service ${s.name}, from ${where(s.origin)}`)]: '' }, sortKeys(own));
  }
  return { http: { routers, services } };
}

/** A failover chain over tiers: the first tier while it is healthy, else the rest. */
function chain(name: string, tiers: Tier[], lb: (t: Tier) => string, services: Services): string {
  const [first, ...rest] = tiers;
  if (rest.length === 0) return lb(first!);
  services[name] = {
    [comment(`${tiers.map((t) => t.id).join(' > ')}`)]: '',
    failover: { service: lb(first!), fallback: chain(`${name}_fallback`, rest, lb, services) },
  };
  return name;
}

function loadBalancer(s: Service, t: Tier, node: Node, services: Services): string {
  const name = `${s.name}_${t.id}`;
  services[name] ??= {
    loadBalancer: {
      servers: t.backends.map((b) => ({ url: url(s, b, node) })),
      healthCheck: {
        path: s.health.path,
        ...(s.health.port !== undefined ? { port: s.health.port } : {}),
        interval: goDuration(s.health.intervalMs),
        timeout: goDuration(s.health.timeoutMs),
      },
    },
  };
  return name;
}

/** The instance on this node is reached the local way when the service says how. */
function url(s: Service, b: Backend, node: Node): string {
  if (s.local !== undefined && b.node === node.name) return s.local;
  return `http://${hostPort(b.address, b.port)}`;
}

function sortKeys<T>(rec: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(rec).sort()) out[k] = rec[k]!;
  return out;
}
