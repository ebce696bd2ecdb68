/**
 * Minimal text edits of one YAML file, placed by the `yaml` library's node ranges: only the
 * characters of the value that changes (or the one line or list item added or removed) are
 * touched, so comments, key order, quoting, alignment and flow or block layout stay as written.
 */
import type { Document, Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yaml } from '../1-load/yaml-lib.js';

export type Doc = Document.Parsed;

export const parse = (text: string): Doc => yaml().parseDocument(text, { keepSourceTokens: false });

const range = (n: YamlNode): [number, number, number] => n.range!;
const lineStart = (text: string, at: number): number => text.lastIndexOf('\n', at - 1) + 1;
const lineEnd = (text: string, at: number): number => {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i;
};
const splice = (text: string, from: number, to: number, insert: string): string => text.slice(0, from) + insert + text.slice(to);

export const isMap = (n: unknown): n is YAMLMap => yaml().isMap(n);
export const isSeq = (n: unknown): n is YAMLSeq => yaml().isSeq(n);
export const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);

/** A scalar's new value, quoted as the old one was. */
export function replaceScalar(text: string, node: Scalar, value: string): string {
  const [start, end] = range(node);
  const quoted = node.type === 'QUOTE_DOUBLE' ? JSON.stringify(value) : node.type === 'QUOTE_SINGLE' ? `'${value.replaceAll("'", "''")}'` : value;
  return splice(text, start, end, quoted);
}

/** The pair of `key` in a mapping, if any. */
export function pairOf(map: YAMLMap, key: string): Pair<Scalar, YamlNode> | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Scalar, YamlNode> | undefined;
}

/** Adds `key: value` at the end of a mapping (flow: `, key: value`; block: a line of its own). */
export function addPair(text: string, map: YAMLMap, key: string, value: string): string {
  const last = map.items[map.items.length - 1];
  if (map.flow) {
    if (!last) return splice(text, range(map)[0], range(map)[1], `{ ${key}: ${value} }`);
    const end = range((last.value ?? last.key) as YamlNode)[1];
    return splice(text, end, end, `, ${key}: ${value}`);
  }
  const first = map.items[0]!;
  const indent = ' '.repeat(range(first.key as YamlNode)[0] - lineStart(text, range(first.key as YamlNode)[0]));
  const end = lineEnd(text, range((last!.value ?? last!.key) as YamlNode)[1]);
  return splice(text, end, end, `\n${indent}${key}: ${value}`);
}

/** Removes a pair: its line(s) in a block mapping, the pair and one separator in a flow mapping. */
export function removePair(text: string, map: YAMLMap, pair: Pair): string {
  const i = map.items.indexOf(pair);
  const keyStart = range(pair.key as YamlNode)[0];
  const valueEnd = range((pair.value ?? pair.key) as YamlNode)[1];
  if (map.flow) {
    const next = map.items[i + 1];
    if (next) return splice(text, keyStart, range(next.key as YamlNode)[0], '');
    const prev = map.items[i - 1];
    if (prev) return splice(text, range((prev.value ?? prev.key) as YamlNode)[1], valueEnd, '');
    return splice(text, range(map)[0], range(map)[1], '{}');
  }
  return removeLines(text, keyStart, valueEnd);
}

/** Whole lines from the one holding `from` to the one holding `to` (the newline after them too). */
function removeLines(text: string, from: number, to: number): string {
  const start = lineStart(text, from);
  const end = lineEnd(text, to);
  return splice(text, start, end < text.length ? end + 1 : end, '');
}

/** Appends an item to a sequence (flow: `, item`; block: `- item` on a line of its own). */
export function appendItem(text: string, seq: YAMLSeq, item: string): string {
  const last = seq.items[seq.items.length - 1] as YamlNode | undefined;
  if (seq.flow) {
    if (!last) return splice(text, range(seq)[0], range(seq)[1], `[${item}]`);
    const end = range(last)[1];
    return splice(text, end, end, `, ${item}`);
  }
  const firstStart = range(seq.items[0] as YamlNode)[0];
  const dash = text.lastIndexOf('-', firstStart - 1);
  const indent = ' '.repeat(dash - lineStart(text, dash));
  const end = lineEnd(text, range(last!)[1]);
  return splice(text, end, end, `\n${indent}- ${item}`);
}

/** Removes the item at `index` (flow: the item and one separator; block: its lines). */
export function removeItem(text: string, seq: YAMLSeq, index: number): string {
  const item = seq.items[index] as YamlNode;
  const [start, end] = range(item);
  if (seq.flow) {
    const next = seq.items[index + 1] as YamlNode | undefined;
    if (next) return splice(text, start, range(next)[0], '');
    const prev = seq.items[index - 1] as YamlNode | undefined;
    if (prev) return splice(text, range(prev)[1], end, '');
    return splice(text, range(seq)[0], range(seq)[1], '[]');
  }
  return removeLines(text, text.lastIndexOf('-', start - 1), end);
}
