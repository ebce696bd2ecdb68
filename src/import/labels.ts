/**
 * Container labels → services and TCP entries. Traefik label keys are matched case-insensitively
 * (`loadBalancer` and `loadbalancer` both occur); whatever the inventory cannot say yet is a
 * warning naming its label, never dropped silently.
 */
import type { Container, Finding } from './types.js';

export interface ImportedService {
  name: string;
  port?: number;
  hosts: string[];
  local?: string;
  health: { path?: string; interval?: string; timeout?: string };
  /** Things the format cannot express yet, kept as commented lines beside the entry. */
  notes: string[];
  /** The label that made it, and where every value came from. */
  source: string;
  portSource?: string;
}

export interface ImportedTcp {
  name: string;
  port: number;
  source: string;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PATH = /^\/[A-Za-z0-9._~%/+=,:@!*-]*$/;

/** A valid inventory name from a Traefik or Compose name. */
export function asName(s: string): string {
  const n = s.toLowerCase().replace(/@.*$/, '').replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return n || 'service';
}

/** A duration label (`30`, `30s`, `1m`) in the inventory's form. */
const duration = (v: string): string | undefined => (/^\d+$/.test(v) ? `${v}s` : /^(?:\d{1,6}(?:ms|s|m|h))+$/.test(v) ? v : undefined);

/** `Host(`a`, `b`) && PathPrefix(`/x`)`: the hosts, the path prefixes, and what else the rule holds. */
export function parseRule(rule: string): { hosts: string[]; paths: string[]; other: string[] } {
  const hosts: string[] = [];
  const paths: string[] = [];
  const other: string[] = [];
  for (const m of rule.matchAll(/([A-Za-z]+)\s*\(([^)]*)\)/g)) {
    const args = [...m[2]!.matchAll(/[`"']([^`"']*)[`"']/g)].map((a) => a[1]!);
    const fn = m[1]!.toLowerCase();
    if (fn === 'host') hosts.push(...args);
    else if (fn === 'pathprefix') paths.push(...args);
    else other.push(m[0]);
  }
  if (/\|\|/.test(rule) && paths.length > 0) other.push('|| with a path');
  return { hosts, paths, other };
}

export function fromLabels(containers: readonly Container[], domain: string | undefined): { services: ImportedService[]; tcp: ImportedTcp[]; findings: Finding[] } {
  const services: ImportedService[] = [];
  const tcp: ImportedTcp[] = [];
  const findings: Finding[] = [];
  const warn = (source: string, message: string) => findings.push({ level: 'warning', message: `${source}: ${message}` });
  const ports = new Map<number, ImportedTcp & { container: string }>();
  const taken = new Map<string, string>();

  for (const c of containers) {
    const get = (re: RegExp) => c.labels.flatMap((l) => {
      const m = re.exec(l.key.toLowerCase());
      return m ? [{ ...l, m, name: l.key.split('.')[re.source.startsWith('^traefik\\.http\\.routers') || re.source.startsWith('^traefik\\.http\\.services') ? 3 : 0] ?? '' }] : [];
    });
    const enable = c.labels.find((l) => l.key.toLowerCase() === 'traefik.enable');
    const known = new Set<string>();
    const routers = new Map<string, { rule?: (typeof c.labels)[number]; service?: string; middlewares?: (typeof c.labels)[number] }>();
    const lbs = new Map<string, { port?: (typeof c.labels)[number]; scheme?: (typeof c.labels)[number]; path?: (typeof c.labels)[number]; interval?: (typeof c.labels)[number]; timeout?: (typeof c.labels)[number] }>();
    for (const l of get(/^traefik\.http\.routers\.[^.]+\.(rule|service|middlewares|entrypoints|tls|tls\.certresolver|priority)$/)) {
      known.add(l.key);
      const r = routers.get(l.name) ?? {};
      const field = l.m[1]!;
      if (field === 'rule') r.rule = l;
      else if (field === 'service') r.service = l.value;
      else if (field === 'middlewares') r.middlewares = l;
      routers.set(l.name, r);
    }
    for (const l of get(/^traefik\.http\.services\.[^.]+\.loadbalancer\.(server\.port|server\.scheme|healthcheck\.path|healthcheck\.interval|healthcheck\.timeout)$/)) {
      known.add(l.key);
      const s = lbs.get(l.name) ?? {};
      const f = l.m[1]!.split('.')[1]! as 'port' | 'scheme' | 'path' | 'interval' | 'timeout';
      s[f] = l;
      lbs.set(l.name, s);
    }
    const kuma = new Map(c.labels.filter((l) => /^kuma\.healthcheck\.(path|interval|timeout)$/i.test(l.key)).map((l) => [l.key.toLowerCase().split('.')[2]!, l]));
    for (const l of kuma.values()) known.add(l.key);
    const osvc = new Map(c.labels.filter((l) => /^osvc\.l4\.(enable|port|check)$/i.test(l.key)).map((l) => [l.key.toLowerCase().split('.')[2]!, l]));
    for (const l of osvc.values()) known.add(l.key);
    if (enable) known.add(enable.key);
    for (const l of c.labels) {
      if (!known.has(l.key) && /^(traefik|kuma|osvc)\./i.test(l.key)) warn(l.source, `label ${l.key} is not mapped to the inventory; add its equivalent by hand if it matters`);
    }

    if (routers.size > 0 && enable?.value.toLowerCase() === 'false') {
      c.labels.length && warn(enable.source, `${c.name}: traefik.enable is false; its routers are not imported`);
    } else {
      // Routers by the Traefik service they use: one inventory service each.
      const byService = new Map<string, string[]>();
      for (const [r, x] of [...routers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const svc = x.service ?? (lbs.size === 1 ? [...lbs.keys()][0]! : c.name);
        byService.set(svc, [...(byService.get(svc) ?? []), r]);
      }
      for (const [svc, rs] of byService) {
        const lb = [...lbs].find(([k]) => k.toLowerCase() === svc.toLowerCase())?.[1] ?? {};
        const name = asName(byService.size > 1 || svc !== c.name ? svc : c.name);
        const first = routers.get(rs[0]!)!;
        const source = first.rule?.source ?? c.source;
        if (taken.has(name)) {
          warn(source, `service ${name} is also made by ${taken.get(name)}; this one is left out (rename one of them)`);
          continue;
        }
        taken.set(name, source);
        const s: ImportedService = { name, hosts: [], health: {}, notes: [], source: `${source} (${c.name}: router${rs.length > 1 ? 's' : ''} ${rs.join(', ')})` };
        for (const r of rs) {
          const x = routers.get(r)!;
          if (!x.rule) {
            warn(c.source, `router ${r} of ${c.name} has no rule; it is left out`);
            continue;
          }
          const rule = parseRule(x.rule.value);
          for (const h of rule.hosts.map((h) => h.toLowerCase())) {
            if (!HOST.test(h)) warn(x.rule.source, `host ${JSON.stringify(h)} of router ${r} is not a plain hostname; left out`);
            else if (h !== `${name}.${domain}` && !s.hosts.includes(h)) s.hosts.push(h);
          }
          for (const p of rule.paths) {
            warn(x.rule.source, `router ${r} routes path prefix ${p}, which the inventory cannot express yet; ${name} serves every path of its hosts`);
            if (PATH.test(p)) s.notes.push(`path_prefix: ${p}   # router ${r}: not in the inventory format yet (${x.rule.source})`);
          }
          for (const o of rule.other) warn(x.rule.source, `router ${r}: ${o} is not mapped (only Host and PathPrefix are)`);
          if (rule.hosts.length === 0) warn(x.rule.source, `router ${r} names no Host(); ${name} is served as ${name}.<domain> only`);
          if (x.middlewares) {
            const mws = x.middlewares.value.split(',').map((m) => m.trim()).filter(Boolean);
            warn(x.middlewares.source, `router ${r} uses middlewares ${mws.join(', ')}, which the inventory cannot express yet; configure them in Traefik by hand`);
            s.notes.push(`middlewares: [${mws.join(', ')}]   # router ${r}: not in the inventory format yet (${x.middlewares.source})`);
          }
        }
        if (lb.port) {
          const n = Number(lb.port.value);
          if (Number.isInteger(n) && n > 0 && n < 65536) {
            s.port = n;
            s.portSource = lb.port.source;
          } else warn(lb.port.source, `port ${JSON.stringify(lb.port.value)} is not a port`);
        } else if (c.ports.length === 1) {
          s.port = c.ports[0]!;
          s.portSource = `${c.source} (the one port ${c.name} exposes)`;
        }
        if (s.port === undefined) warn(c.source, `${c.name}: no port for service ${name}: add traefik.http.services.${svc}.loadbalancer.server.port, or port: to services.${name}`);
        if (lb.scheme && lb.scheme.value.toLowerCase() !== 'http') warn(lb.scheme.source, `scheme ${lb.scheme.value}: hacompile speaks plain HTTP to backends; serve HTTP on the backend port`);
        const url = s.port !== undefined ? `http://${c.host.toLowerCase()}:${s.port}` : undefined;
        if (url && /^https?:\/\/[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::[0-9]{1,5})?$/.test(url)) s.local = url;
        const path = lb.path ?? kuma.get('path');
        const interval = lb.interval ?? kuma.get('interval');
        const timeout = lb.timeout ?? kuma.get('timeout');
        if (path) PATH.test(path.value) ? (s.health.path = path.value) : warn(path.source, `health path ${JSON.stringify(path.value)} is not a plain path; left out`);
        for (const [k, l] of [['interval', interval], ['timeout', timeout]] as const) {
          if (!l) continue;
          const d = duration(l.value);
          if (d) s.health[k] = d;
          else warn(l.source, `health ${k} ${JSON.stringify(l.value)} is not a duration; left out`);
        }
        services.push(s);
      }
    }

    const l4 = osvc.get('enable');
    if (l4 && l4.value.toLowerCase() === 'true') {
      const p = osvc.get('port');
      const n = Number(p?.value);
      if (!p || !Number.isInteger(n) || n < 1 || n > 65535) {
        warn(l4.source, `${c.name}: osvc.l4.enable without a valid osvc.l4.port; add the tcp entry by hand`);
        continue;
      }
      const check = osvc.get('check');
      if (check && check.value.toLowerCase() !== 'tcp') warn(check.source, `osvc.l4.check ${check.value}: only a TCP connect check is made`);
      const entry = { name: asName(c.name), port: n, source: p.source, container: c.name };
      const clash = ports.get(n);
      if (clash) {
        findings.push({ level: 'error', message: `${p.source}: ${c.name} claims L4 port ${n}, which ${clash.container} claims at ${clash.source}; give one of them another osvc.l4.port` });
        continue;
      }
      ports.set(n, entry);
      tcp.push({ name: entry.name, port: n, source: p.source });
    }
  }
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  tcp.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { services, tcp, findings };
}
