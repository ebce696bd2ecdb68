/**
 * Docker Compose files and `docker inspect` JSON → containers with their labels (pure: a reader
 * function gives file texts). Compose's `include:` is followed, labels are a map or a `k=v` list,
 * values are interpolated as Compose does, and services outside the active profiles are skipped.
 */
import type { LineCounter, Node as YamlNode } from 'yaml';
import { yaml } from '../1-load/yaml-lib.js';
import { interpolate, InterpolationError, parseEnvFile, type Vars } from './interpolate.js';
import type { Container, Found } from './types.js';

export interface ComposeInput {
  files: string[];
  /** Variables from env files (the CLI reads them: --env-file, else `.env` beside the first file). */
  vars: Vars;
  profiles: string[];
  /** A file's text, or undefined when it does not exist. Paths are POSIX, relative to the working directory. */
  read(path: string): string | undefined;
}

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.');
const join = (dir: string, p: string): string => {
  if (p.startsWith('/')) return p;
  const parts = (dir === '.' ? [] : dir.split('/')).concat(p.split('/'));
  const out: string[] = [];
  for (const x of parts) {
    if (x === '.' || x === '') continue;
    if (x === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(x);
  }
  return out.join('/') || '.';
};

export function fromCompose(input: ComposeInput): Found<Container> {
  const found: Found<Container> = { items: [], skipped: [], findings: [] };
  const seen = new Set<string>();
  const names = new Map<string, string>();
  const visit = (file: string, vars: Vars, from?: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = input.read(file);
    if (text === undefined) {
      found.findings.push({ level: 'error', message: `${from ?? file}: cannot read ${file}` });
      return;
    }
    const lc: LineCounter = new (yaml().LineCounter)();
    const doc = yaml().parseDocument(text, { lineCounter: lc });
    const at = (n: YamlNode | null | undefined): string => {
      if (!n?.range) return file;
      const p = lc.linePos(n.range[0]);
      return `${file}:${p.line}:${p.col}`;
    };
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      found.findings.push({ level: 'error', message: `${file}:${e.linePos?.[0]?.line ?? 1}:${e.linePos?.[0]?.col ?? 1}: YAML error: ${e.message.split('\n')[0]}` });
      return;
    }
    const str = (n: unknown): string | undefined => {
      if (!yaml().isScalar(n) || n.value === null || n.value === undefined) return undefined;
      try {
        return interpolate(String(n.value), vars, (v) => found.findings.push({ level: 'warning', message: `${at(n)}: variable ${v} is not set; an empty string is used (give it in the env file)` }));
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
        found.findings.push({ level: 'error', message: `${at(n)}: ${e.message}` });
        return undefined;
      }
    };
    const include = doc.get('include', true);
    if (yaml().isSeq(include)) {
      for (const item of include.items) {
        if (yaml().isScalar(item)) visit(join(dirOf(file), str(item) ?? ''), vars, at(item as YamlNode));
        else if (yaml().isMap(item)) {
          const p = item.get('path', true);
          const paths = yaml().isSeq(p) ? p.items : [p];
          let v = vars;
          const env = item.get('env_file', true);
          for (const e of yaml().isSeq(env) ? env.items : env ? [env] : []) {
            const envPath = join(dirOf(file), str(e) ?? '');
            const t = input.read(envPath);
            if (t === undefined) found.findings.push({ level: 'error', message: `${at(e as YamlNode)}: cannot read env file ${envPath}` });
            else v = parseEnvFile(t, v);
          }
          for (const x of paths) visit(join(dirOf(file), str(x) ?? ''), v, at(x as YamlNode));
        }
      }
    }
    const services = doc.get('services', true);
    if (!yaml().isMap(services)) return;
    for (const pair of services.items) {
      const name = String((pair.key as { value: unknown }).value);
      const svc = pair.value;
      const where = at(pair.key as YamlNode);
      if (!yaml().isMap(svc)) continue;
      const profiles = svc.get('profiles', true);
      const wanted = yaml().isSeq(profiles) ? profiles.items.map(str).filter((x): x is string => !!x) : [];
      if (wanted.length > 0 && !wanted.some((p) => input.profiles.includes(p))) {
        found.skipped.push(`${name}: only in profile ${wanted.join(', ')} (--profile to include it), ${where}`);
        continue;
      }
      if (names.has(name)) {
        found.findings.push({ level: 'warning', message: `${where}: service ${name} is also defined at ${names.get(name)}; the first is kept` });
        continue;
      }
      names.set(name, where);
      const labels: Container['labels'] = [];
      const l = svc.get('labels', true);
      if (yaml().isMap(l)) {
        for (const p of l.items) {
          const value = str(p.value) ?? '';
          labels.push({ key: String((p.key as { value: unknown }).value), value, source: at(p.key as YamlNode) });
        }
      } else if (yaml().isSeq(l)) {
        for (const item of l.items) {
          const s = str(item) ?? '';
          const eq = s.indexOf('=');
          labels.push({ key: eq < 0 ? s : s.slice(0, eq), value: eq < 0 ? '' : s.slice(eq + 1), source: at(item as YamlNode) });
        }
      }
      const ports: number[] = [];
      for (const key of ['expose', 'ports']) {
        const list = svc.get(key, true);
        if (!yaml().isSeq(list)) continue;
        for (const item of list.items) {
          let target: string | undefined;
          if (yaml().isMap(item)) target = str(item.get('target', true));
          else target = str(item)?.split('/')[0]?.split(':').pop();
          const n = Number(target?.split('-')[0]);
          if (Number.isInteger(n) && n > 0 && n < 65536 && !ports.includes(n)) ports.push(n);
        }
      }
      const host = str(svc.get('container_name', true)) ?? name;
      found.items.push({ name, host, labels, ports, source: where });
    }
  };
  for (const f of input.files) visit(f, input.vars);
  return found;
}

/** `docker inspect` JSON: an array of containers (`Name`, `Config.Labels`, `Config.ExposedPorts`). */
export function fromDockerInspect(text: string, file: string): Found<Container> {
  const found: Found<Container> = { items: [], skipped: [], findings: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ...found, findings: [{ level: 'error', message: `${file}: not JSON (${(e as Error).message}); give the output of \`docker inspect\`` }] };
  }
  if (!Array.isArray(value)) return { ...found, findings: [{ level: 'error', message: `${file}: expected an array of containers (\`docker inspect\`)` }] };
  value.forEach((c: { Name?: string; Config?: { Labels?: Record<string, string>; ExposedPorts?: Record<string, unknown>; Hostname?: string } }, i) => {
    const name = (c.Name ?? '').replace(/^\//, '');
    const source = `${file}: [${i}] ${c.Name ?? '(no Name)'}`;
    if (!name) {
      found.findings.push({ level: 'warning', message: `${source}: a container without a Name; skipped` });
      return;
    }
    const labels = Object.entries(c.Config?.Labels ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, v]) => ({ key, value: String(v), source: `${source} Config.Labels[${JSON.stringify(key)}]` }));
    const ports = Object.keys(c.Config?.ExposedPorts ?? {})
      .map((p) => Number(p.split('/')[0]))
      .filter((n) => Number.isInteger(n) && n > 0 && n < 65536)
      .sort((a, b) => a - b);
    found.items.push({ name, host: name, labels, ports, source });
  });
  return found;
}
