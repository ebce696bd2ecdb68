import type { ErrorObject, ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import type { Locator } from '../1-load/index.js';
import { m } from '../diagnostics/messages.js';
import type { Diagnostic, InventoryPath, Message } from '../diagnostics/types.js';
import { loadValidator } from './schema-code.js';
import { describePath } from './where.js';

export { inventorySchema } from './schema-code.js';

let validator: ValidateFunction | undefined;

/** Phase 2a: the merged inventory against the JSON Schema, each error placed at its key or value. */
export function validateSchema(data: unknown, locator: Locator): Diagnostic[] {
  validator ??= loadValidator();
  if (validator(data)) return [];
  const out = new Map<string, Diagnostic>();
  for (const err of validator.errors ?? []) {
    const d = convert(err, locator);
    if (!d) continue;
    const l = d.location;
    out.set(`${d.code}|${l?.file}|${l?.line}|${l?.column}|${d.message}`, d);
  }
  return [...out.values()];
}

function convert(err: ErrorObject, locator: Locator): Diagnostic | undefined {
  // `if` and `propertyNames` only wrap the errors that say what is wrong.
  if (err.keyword === 'if' || err.keyword === 'propertyNames') return undefined;
  const path = pointerToPath(err.instancePath);
  const where = describePath(path);
  const parent = (err.parentSchema ?? {}) as { description?: string; pattern?: string; properties?: Record<string, unknown> };
  const place = (msg: Message, at: InventoryPath, key: boolean): Diagnostic => {
    const location = locator.locate(at, key);
    return { ...msg, ...(location ? { location } : {}), related: [] };
  };
  const params = err.params as Record<string, unknown>;
  if (err.propertyName !== undefined) {
    return place(m.invalidName(where, err.propertyName, parent.description, lowercase(err.propertyName, parent)), [...path, err.propertyName], true);
  }
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      return place(m.unknownKey(key, where, suggest(key, allowed), allowed), [...path, key], true);
    }
    case 'required':
      return place(m.missingKey(String(params.missingProperty), where), path, true);
    case 'type': {
      // `global: edge` where `{ edge: NODE }` is meant: the value is one of the mapping's keys.
      const key = typeof err.data === 'string' && params.type === 'object' && Object.hasOwn(parent.properties ?? {}, err.data) ? err.data : undefined;
      // `roles: edge` where a list is meant: the one item in brackets.
      const item = params.type === 'array' && (typeof err.data === 'string' || typeof err.data === 'number') ? `[${String(err.data)}]` : undefined;
      return place(m.wrongType(where, article(String(params.type)), typeName(err.data), key ? `{ ${key}: ${placeholder(key)} }` : item), path, false);
    }
    case 'minItems':
      if (Array.isArray(err.data) && err.data.length === 0 && typeof path[path.length - 1] === 'string') {
        return place(m.emptyList(where, owner(path), singular(String(path[path.length - 1])), Number(params.limit)), path, false);
      }
      return place(m.schemaOther(where, err.message ?? 'is invalid'), path, false);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const s = typeof err.data === 'string' ? suggest(err.data, allowed.map(String)) : undefined;
      return place(m.notInEnum(where, err.data, allowed, s), path, false);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return place(m.outOfRange(where, err.data, err.message ?? ''), path, false);
    case 'pattern':
    case 'format':
    case 'maxLength':
    case 'minLength':
    case 'maxProperties':
    case 'minProperties':
      return place(m.invalidValue(where, err.data, parent.description, typeof err.data === 'string' ? lowercase(err.data, parent) : undefined), path, false);
    default:
      return place(m.schemaOther(where, err.message ?? 'is invalid'), path, false);
  }
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  // A name in the wrong case first: `N1` for `n1`.
  const folded = candidates.find((c) => c.toLowerCase() === word.toLowerCase());
  if (folded !== undefined) return folded;
  const best = closest(word, candidates as string[]);
  const limit = Math.max(2, Math.floor(word.length / 3));
  return distance(word, best) <= limit ? best : undefined;
}

/** The value in lowercase, when that is what its pattern wants (names are lowercase: `N1` → `n1`). */
function lowercase(value: string, schema: { pattern?: string }): string | undefined {
  const lower = value.toLowerCase();
  return lower !== value && schema.pattern !== undefined && new RegExp(schema.pattern, 'u').test(lower) ? lower : undefined;
}

/** What stands for the value of a key in a shape hint (`{ edge: NODE }`). */
function placeholder(key: string): string {
  const kinds: Record<string, string> = { edge: 'NODE', node: 'NODE', vip: 'VIP', round_robin: 'ROLE', site: 'SITE', secret: 'NAME' };
  return kinds[key] ?? 'VALUE';
}

/** What a list belongs to, for "a service needs at least one backend". */
function owner(path: (string | number)[]): string {
  const kinds: Record<string, string> = { services: 'a service', tcp: 'a TCP entry', vips: 'a VIP', redis: 'a Redis group', mongo: 'a replica set', postgres: 'a Postgres cluster', nodes: 'a node', dns: 'a zone' };
  return (path.length > 2 ? kinds[String(path[0])] : undefined) ?? 'it';
}

const singular = (key: string): string => (key.endsWith('s') ? key.slice(0, -1) : key);

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function typeName(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the number ${v}`;
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

function article(types: string): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'empty',
  };
  return types
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}
