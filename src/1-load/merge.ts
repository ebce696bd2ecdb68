import type { Diagnostic, InventoryPath } from '../diagnostics/types.js';
import { m } from '../diagnostics/messages.js';
import { ownerKey, type Locator, type Owners } from './locator.js';

/**
 * How deep files merge per section: `services/whoami` (depth 2) is one definition that lives in
 * one file; `dns/zones/example.org` merges one level deeper. A path at its section's depth
 * defined by two files is an error naming both places.
 */
const MERGE_DEPTH: Readonly<Record<string, number>> = { dns: 3 };
const DEFAULT_DEPTH = 2;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface MergeConflict {
  path: InventoryPath;
  firstFile: string;
  secondFile: string;
}

/** Merges one file's data into `target`, recording which file owns each definition. */
export function mergeFile(target: JsonObject, data: JsonObject, file: string, owners: Owners, conflicts: MergeConflict[]): void {
  mergeLevel(target, data, [], file, owners, conflicts);
}

function mergeLevel(target: JsonObject, source: JsonObject, path: string[], file: string, owners: Owners, conflicts: MergeConflict[]): void {
  for (const key of Object.keys(source)) {
    const value = source[key]!;
    const p = [...path, key];
    const depth = MERGE_DEPTH[p[0]!] ?? DEFAULT_DEPTH;
    const k = ownerKey(p);
    // Top-level keys starting with `x-` are the user's (YAML anchors to alias elsewhere): ignored.
    if (p.length === 1 && key.startsWith('x-')) continue;
    if (p.length < depth && (isObject(value) || value === null)) {
      // A section (or `dns: zones:`) that several files contribute to.
      if (!owners.has(k)) owners.set(k, file);
      // (Own properties only: `__proto__` is a key like any other, never the prototype.)
      const existing = own(target, key) ? target[key] : undefined;
      // An empty section is an empty mapping: a misspelled one (`servics:`) is still seen, and refused.
      if (existing === undefined) put(target, key, {});
      else if (!isObject(existing)) {
        conflicts.push({ path: p, firstFile: owners.get(k)!, secondFile: file });
        continue;
      }
      if (value === null) continue;
      mergeLevel(target[key] as JsonObject, value, p, file, owners, conflicts);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(target, key)) {
      conflicts.push({ path: p, firstFile: owners.get(k) ?? file, secondFile: file });
      continue;
    }
    put(target, key, value);
    owners.set(k, file);
  }
}

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** Sets an own property, `__proto__` included (an assignment would set the prototype instead). */
function put(target: JsonObject, key: string, value: JsonObject[string]): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

export function conflictDiagnostic(c: MergeConflict, locator: Locator): Diagnostic {
  const msg = m.duplicateDefinition(c.path.join('.'));
  const first = locator.locateInFile(c.firstFile, c.path, true);
  return {
    ...msg,
    location: locator.locateInFile(c.secondFile, c.path, true),
    related: [{ message: m.firstDefinedHere(), ...(first ? { location: first } : {}) }],
  };
}
