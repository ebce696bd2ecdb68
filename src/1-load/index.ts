import type { Diagnostic, Location } from '../diagnostics/types.js';
import { m } from '../diagnostics/messages.js';
import { Locator, locateOffset, type Owners } from './locator.js';
import { conflictDiagnostic, isObject, mergeFile, type JsonObject, type MergeConflict } from './merge.js';
import { nestedBeyond } from './fast-yaml.js';
import { parseSource, type InputFile, type SourceFile } from './source.js';
import { yaml } from './yaml-lib.js';
import { yamlDiagnostics } from './yaml-errors.js';

export type { InputFile, SourceFile } from './source.js';
export { Locator } from './locator.js';
export { isObject, type Json, type JsonObject } from './merge.js';

export interface Loaded {
  /** All files merged into one inventory object. */
  data: JsonObject;
  locator: Locator;
  diagnostics: Diagnostic[];
}

/**
 * Phase 1: parses every file (in path order, whatever order they came in) and merges them.
 * YAML errors and definitions made twice are diagnostics; nothing here throws on bad input.
 * Files in the plain subset of YAML that inventories use are read by the fast reader (same data,
 * see fast-yaml.ts); any other file, and every file a diagnostic points into, by `yaml`.
 */
export function load(inputs: readonly InputFile[]): Loaded {
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files = new Map<string, SourceFile>();
  const owners: Owners = new Map();
  const diagnostics: Diagnostic[] = [];
  const conflicts: MergeConflict[] = [];
  const data: JsonObject = {};
  for (const input of sorted) {
    // A file name reaches generated files (provenance comments): no byte of it may break a line there.
    if (UNSAFE_NAME.test(input.path)) {
      diagnostics.push({ ...m.unsafeFileName(input.path), related: [] });
      continue;
    }
    const file = parseSource(input);
    files.set(file.path, file);
    if (file.fast) {
      if (file.fast.data !== null) mergeFile(data, file.fast.data, file.path, owners, conflicts);
      continue;
    }
    // Outside the fast reader's subset: `yaml` reads the file and reports its errors; a file nested
    // past what it can read on any stack is stopped here, with the same diagnostic every time.
    const deep = nestedBeyond(file.text, MAX_NESTING);
    if (deep >= 0) {
      diagnostics.push({ ...m.yamlSyntax(`nested more than ${MAX_NESTING} levels deep`), location: offsetLocation(file, deep), related: [] });
      continue;
    }
    if (file.doc.errors.length > 0) {
      diagnostics.push(...yamlDiagnostics(file));
      continue;
    }
    // A tag that makes a value something else than text, a number, a mapping or a list (`!!omap`
    // reads as a Map, which has no keys: a zone would silently disappear) is refused at its place.
    const tagged = foreignTag(file);
    if (tagged) {
      diagnostics.push(tagged);
      continue;
    }
    let value: unknown;
    try {
      value = file.doc.toJS({ maxAliasCount: 100 });
    } catch {
      diagnostics.push({ ...m.tooManyAliases(), location: locateOffset(file, 0, 0), related: [] });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isObject(value) || !yaml().isMap(file.doc.contents)) {
      const r = file.doc.contents?.range ?? [0, 0, 0];
      diagnostics.push({ ...m.fileNotMapping(), location: locateOffset(file, r[0], r[1]), related: [] });
      continue;
    }
    mergeFile(data, value, file.path, owners, conflicts);
  }
  const locator = new Locator(files, owners);
  for (const c of conflicts) diagnostics.push(conflictDiagnostic(c, locator));
  return { data, locator, diagnostics };
}

/** The core schema's tags: what plain YAML reads as anyway. */
const CORE_TAGS = new Set(['map', 'seq', 'str', 'int', 'float', 'bool', 'null'].map((t) => `tag:yaml.org,2002:${t}`));

/** The first node whose tag is outside the core schema (`!!omap`, `!!set`, `!!binary`, ...), as a diagnostic. */
function foreignTag(file: SourceFile): Diagnostic | undefined {
  const Y = yaml();
  let found: Diagnostic | undefined;
  Y.visit(file.doc, (_key, node) => {
    if (!Y.isNode(node) || node.tag === undefined || CORE_TAGS.has(node.tag)) return undefined;
    const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
    // An ordered map or pairs are a mapping to the inventory, a set is a list.
    const mapping = tag === '!!omap' || tag === '!!pairs' || (tag !== '!!set' && Y.isMap(node));
    const form = mapping ? 'a plain mapping (`key: value` lines)' : tag === '!!set' || Y.isSeq(node) ? 'a plain list (`- item` lines)' : 'the value without a tag';
    // The place is the tag itself, written before the node's content.
    const content = node.range?.[0] ?? 0;
    let at = file.text.lastIndexOf('!', content);
    while (at > 0 && file.text[at - 1] === '!') at--;
    if (at < 0) at = content;
    const end = /^\S*/.exec(file.text.slice(at))![0].length + at;
    found = { ...m.yamlTag(tag, form), location: locateOffset(file, at, end), related: [] };
    return Y.visit.BREAK;
  });
  return found;
}

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const UNSAFE_NAME = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/** Nesting levels a file may use (inventories use a handful; `yaml` reads 500 on any stack). */
const MAX_NESTING = 300;

/** file:line:column of an offset, counted here (the file's `yaml` document may not be buildable). */
function offsetLocation(file: SourceFile, offset: number): Location {
  let line = 1;
  let start = 0;
  for (let i = file.text.indexOf('\n'); i !== -1 && i < offset; i = file.text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  const column = offset - start + 1;
  return { file: file.path, line, column, endLine: line, endColumn: column + 1 };
}
