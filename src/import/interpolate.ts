/**
 * Compose's interpolation (compose-spec "Interpolation"): `$$`, `$VAR`, `${VAR}`, `${VAR:-x}`,
 * `${VAR-x}`, `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+x}`, `${VAR+x}`, defaults interpolated in turn.
 */
export type Vars = ReadonlyMap<string, string>;

export class InterpolationError extends Error {}

export function interpolate(s: string, vars: Vars, unset: (name: string) => void): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const n = s[i + 1];
    if (n === '$') {
      out += '$';
      i += 2;
    } else if (n === '{') {
      // The matching brace (defaults may hold ${...} of their own).
      let depth = 1;
      let j = i + 2;
      for (; j < s.length && depth > 0; j++) {
        if (s[j] === '{') depth++;
        else if (s[j] === '}') depth--;
      }
      if (depth > 0) throw new InterpolationError(`unclosed \${ in ${JSON.stringify(s)}`);
      out += expand(s.slice(i + 2, j - 1), vars, unset);
      i = j;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
      if (!m) {
        out += '$';
        i++;
        continue;
      }
      out += lookup(m[0], vars, unset);
      i += 1 + m[0].length;
    }
  }
  return out;
}

function lookup(name: string, vars: Vars, unset: (name: string) => void): string {
  const v = vars.get(name);
  if (v === undefined) unset(name);
  return v ?? '';
}

function expand(body: string, vars: Vars, unset: (name: string) => void): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(body);
  if (!m) throw new InterpolationError(`invalid interpolation \${${body}}`);
  const [, name, colon, op, rest = ''] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const v = vars.get(name);
  const missing = colon ? v === undefined || v === '' : v === undefined;
  if (op === undefined) return lookup(name, vars, unset);
  const word = () => interpolate(rest, vars, unset);
  if (op === '-') return missing ? word() : v!;
  if (op === '+') return missing ? '' : word();
  if (missing) throw new InterpolationError(`required variable ${name} is ${v === undefined ? 'unset' : 'empty'}${rest ? `: ${word()}` : ''}`);
  return v!;
}

/** An env file (`KEY=VALUE` lines, `#` comments, `export`, single quotes literal, double quotes with escapes). */
export function parseEnvFile(text: string, base: Vars = new Map()): Map<string, string> {
  const vars = new Map(base);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, v] = m as unknown as [string, string, string];
    let value: string;
    if (v.startsWith("'")) value = v.slice(1, v.indexOf("'", 1) < 0 ? undefined : v.indexOf("'", 1));
    else if (v.startsWith('"')) {
      let end = 1;
      while (end < v.length && v[end] !== '"') end += v[end] === '\\' ? 2 : 1;
      value = interpolate(v.slice(1, end).replace(/\\n/g, '\n').replace(/\\(["\\$])/g, '$1'), vars, () => undefined);
    } else value = interpolate(v.replace(/\s+#.*$/, ''), vars, () => undefined);
    vars.set(key, value);
  }
  return vars;
}
