/**
 * YAML scalars for generated files (the Traefik emitter writes its layout itself): keys plain when
 * they are simple, strings plain only when YAML cannot read them as anything else, otherwise
 * double-quoted (JSON escapes are valid YAML). Byte-stable; never emits `{{` unless a value holds it.
 */

/** A mapping key as written: plain when simple, else double-quoted. */
export function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) ? k : JSON.stringify(k);
}

const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

/** Plain when it cannot be read as anything but this string; double-quoted otherwise. */
export function scalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  if (PLAIN.test(v)) return RESERVED.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}
