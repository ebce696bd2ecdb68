/**
 * A small YAML writer for generated data: block mappings and sequences, strings always
 * double-quoted (JSON escapes are valid YAML), keys plain when they are simple. Faster than a
 * general serializer and byte-stable; never emits `{{` unless a value holds it.
 */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

/** A comment line placed before a mapping entry: use `{ [comment('text')]: ... }` keys. */
const COMMENT = '\u0000#';
export const comment = (text: string, unique: string | number = ''): string => `${COMMENT}${unique}\u0000${text}`;

export function toYaml(value: { [key: string]: YamlValue }): string {
  const out: string[] = [];
  writeMap(value, 0, out);
  return out.join('');
}

/** A mapping key as written: plain when simple, else double-quoted. */
export function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) ? k : JSON.stringify(k);
}

const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/** Plain when it cannot be read as anything but this string; double-quoted otherwise. */
export function scalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
}

function isMap(v: YamlValue): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && !Array.isArray(v);
}

function inline(v: YamlValue): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (isMap(v)) return Object.keys(v).length === 0 ? '{}' : undefined;
  return scalar(v);
}

function writeMap(map: { [key: string]: YamlValue }, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [k, v] of Object.entries(map)) {
    if (k.startsWith(COMMENT)) {
      out.push(`${pad}# ${k.slice(k.indexOf('\u0000', 1) + 1)}\n`);
      continue;
    }
    const one = inline(v);
    if (one !== undefined) {
      out.push(`${pad}${key(k)}: ${one}\n`);
    } else if (Array.isArray(v)) {
      out.push(`${pad}${key(k)}:\n`);
      writeSeq(v, indent + 2, out);
    } else {
      out.push(`${pad}${key(k)}:\n`);
      writeMap(v as { [key: string]: YamlValue }, indent + 2, out);
    }
  }
}

function writeSeq(items: YamlValue[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of items) {
    const one = inline(item);
    if (one !== undefined) {
      out.push(`${pad}- ${one}\n`);
    } else if (Array.isArray(item)) {
      out.push(`${pad}-\n`);
      writeSeq(item, indent + 2, out);
    } else {
      // First entry on the dash line, the rest aligned under it.
      const sub: string[] = [];
      writeMap(item as { [key: string]: YamlValue }, indent + 2, sub);
      const text = sub.join('');
      out.push(`${pad}- ${text.slice(indent + 2)}`);
    }
  }
}
