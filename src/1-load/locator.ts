import type { Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { InventoryPath, Location } from '../diagnostics/types.js';
import type { SourceFile } from './source.js';
import { yaml } from './yaml-lib.js';

/** Which file defines each merged path prefix (a section entry such as `services/whoami`). */
export type Owners = Map<string, string>;

export const ownerKey = (path: InventoryPath): string => path.join('\u0000');

/**
 * Maps a path in the merged inventory back to file:line:column. Like Spectral's
 * getRangeForJsonPath, a path that does not exist points at its nearest existing parent.
 */
export class Locator {
  constructor(
    private readonly files: ReadonlyMap<string, SourceFile>,
    private readonly owners: Owners,
  ) {}

  /** The file that defines `path` (the longest owned prefix). */
  fileOf(path: InventoryPath): SourceFile | undefined {
    // The inventory as a whole is placed at the top of its first file.
    if (path.length === 0) return this.files.values().next().value;
    for (let n = Math.min(path.length, 3); n >= 1; n--) {
      const owner = this.owners.get(ownerKey(path.slice(0, n)));
      if (owner !== undefined) return this.files.get(owner);
    }
    return undefined;
  }

  /** The location of the value at `path`, or of its key when `key` is set. */
  locate(path: InventoryPath, key = false): Location | undefined {
    const file = this.fileOf(path);
    if (!file) return undefined;
    return locateIn(file, path, key);
  }

  /** The location of `path` in one given file (for "first defined here"). */
  locateInFile(fileName: string, path: InventoryPath, key = false): Location | undefined {
    const file = this.files.get(fileName);
    return file ? locateIn(file, path, key) : undefined;
  }

  source(fileName: string): string | undefined {
    return this.files.get(fileName)?.text;
  }
}

/** Pairs of a large mapping by key, built once per mapping (a linear scan per lookup is quadratic). */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  if (map.items.length < 16) return map.items.find((p: Pair) => scalarKey(p.key) === key);
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items as Pair[]) {
      const k = scalarKey(p.key);
      // The first pair wins, as with a scan (duplicates only exist in documents with errors).
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

function locateIn(file: SourceFile, path: InventoryPath, key: boolean): Location {
  const { isAlias, isMap, isSeq } = yaml();
  let node: unknown = file.doc.contents;
  let range: [number, number] | undefined = rangeOf(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isAlias(node)) node = node.resolve(file.doc);
    if (isMap(node)) {
      const pair = pairOf(node, String(seg));
      if (!pair) break;
      const last = i === path.length - 1;
      if (last && key) {
        range = rangeOf(pair.key) ?? range;
        break;
      }
      node = pair.value;
      range = rangeOf(pair.value) ?? rangeOf(pair.key) ?? range;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      range = rangeOf(item) ?? range;
    } else {
      break;
    }
  }
  const [start, end] = range ?? [0, 0];
  const a = file.lines.linePos(start);
  const b = file.lines.linePos(Math.max(end, start));
  return { file: file.path, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

function scalarKey(k: unknown): string | undefined {
  if (yaml().isScalar(k)) return String(k.value);
  return undefined;
}

function rangeOf(n: unknown): [number, number] | undefined {
  if (yaml().isPair(n)) return undefined;
  const r = (n as YamlNode | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Location of a raw offset range in a file (for YAML parse errors). */
export function locateOffset(file: SourceFile, start: number, end: number): Location {
  const a = file.lines.linePos(start);
  const b = file.lines.linePos(Math.max(start, end));
  return { file: file.path, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}
