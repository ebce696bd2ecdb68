import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';

/**
 * Traefik has no config-check command, so hacompile judges its Traefik files itself: no `{{` (the
 * file provider renders Go templates first), the vendored SchemaStore schema for Traefik 3.0–3.3
 * (strict ajv), then what the schema misses (daemons.md §3.1–3.2): dangling service, middleware and
 * serversTransport references,
 * a failover whose main service reports no health, a `healthCheck: {}` over a child that reports
 * none, a serversTransport the file does not define, and healthCheck durations that Go cannot parse.
 */
export const TRAEFIK_CHECK = 'hacompile verify (Traefik v3 file-provider schema + semantic checks)';

const require = createRequire(import.meta.url);
let validator: ValidateFunction | undefined;

function schema(): ValidateFunction {
  validator ??= new Ajv({ strict: true, allErrors: true }).compile(require('../../schema/vendor/traefik-v3-file-provider.json') as object);
  return validator;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

/** Every problem with a Traefik dynamic configuration text; empty when Traefik would load it. */
export function checkTraefik(text: string): string[] {
  if (text.includes('{{')) return ["contains '{{': Traefik renders files as Go templates first"];
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch (err) {
    return [`YAML: ${(err as Error).message}`];
  }
  const validate = schema();
  if (!validate(config)) return (validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  return traefikSemantics(config);
}

/** Problems the schema cannot see. */
export function traefikSemantics(config: unknown): string[] {
  const problems: string[] = [];
  for (const proto of ['http', 'tcp', 'udp']) {
    const section = obj(obj(config)[proto]);
    const services = obj(section['services']);
    const exists = (name: unknown): boolean => typeof name === 'string' && (name.includes('@') || Object.hasOwn(services, name));
    const ref = (where: string, name: unknown): void => {
      if (!exists(name)) problems.push(`${proto}: ${where} refers to unknown service ${JSON.stringify(name)}`);
    };
    // A service reports health if it is a loadBalancer with healthCheck, or a weighted/failover/mirroring with healthCheck: {}.
    const reportsHealth = (name: unknown): boolean => {
      if (typeof name !== 'string' || name.includes('@')) return true;
      const svc = obj(services[name]);
      if (isObj(svc['loadBalancer'])) return isObj(svc['loadBalancer']['healthCheck']);
      return Object.values(svc).some((kind) => isObj(kind) && isObj(kind['healthCheck']));
    };

    const middlewares = obj(section['middlewares']);
    const transports = obj(section['serversTransports']);
    for (const [name, router] of Object.entries(obj(section['routers']))) {
      ref(`router ${name}`, obj(router)['service']);
      // A middleware another provider defines is named `name@provider`; any other must be in this file.
      const listed = obj(router)['middlewares'];
      for (const mw of Array.isArray(listed) ? listed : []) {
        if (typeof mw !== 'string' || (!mw.includes('@') && !Object.hasOwn(middlewares, mw))) problems.push(`${proto}: router ${name} uses unknown middleware ${JSON.stringify(mw)}`);
      }
    }

    for (const [name, svc] of Object.entries(services)) {
      const s = obj(svc);
      const children: Array<[string, unknown]> = [];
      let healthFlag = false;
      if (isObj(s['weighted'])) {
        const w = s['weighted'];
        for (const child of Array.isArray(w['services']) ? w['services'] : []) children.push(['weighted child', obj(child)['name']]);
        healthFlag = isObj(w['healthCheck']);
      }
      if (isObj(s['failover'])) {
        const f = s['failover'];
        children.push(['failover service', f['service']], ['failover fallback', f['fallback']]);
        healthFlag = isObj(f['healthCheck']);
        if (exists(f['service']) && !reportsHealth(f['service'])) {
          problems.push(`${proto}: failover ${name}: main service ${JSON.stringify(f['service'])} has no healthCheck`);
        }
      }
      if (isObj(s['mirroring'])) {
        const m = s['mirroring'];
        children.push(['mirroring service', m['service']]);
        for (const mirror of Array.isArray(m['mirrors']) ? m['mirrors'] : []) children.push(['mirror', obj(mirror)['name']]);
      }
      for (const [role, child] of children) {
        ref(`service ${name} (${role})`, child);
        if (healthFlag && exists(child) && !reportsHealth(child)) {
          problems.push(`${proto}: service ${name} has healthCheck but its ${role} ${JSON.stringify(child)} does not report health`);
        }
      }
      // A transport named without a provider (`@`) is this provider's: the file must define it.
      const transport = obj(s['loadBalancer'])['serversTransport'];
      if (transport !== undefined && (typeof transport !== 'string' || (!transport.includes('@') && !Object.hasOwn(obj(section['serversTransports']), transport)))) {
        problems.push(`${proto}: service ${name} uses serversTransport ${JSON.stringify(transport)}, which is not defined`);
      }
      const hc = obj(obj(s['loadBalancer'])['healthCheck']);
      for (const key of ['interval', 'timeout', 'unhealthyInterval']) {
        const v = hc[key];
        if (v !== undefined && (typeof v !== 'string' || !GO_DURATION.test(v))) {
          problems.push(`${proto}: service ${name} healthCheck.${key} ${JSON.stringify(v)} is not a Go duration`);
        }
      }
    }
  }
  return problems;
}
