import type { Diagnostic } from '../diagnostics/types.js';
import { m } from '../diagnostics/messages.js';
import { locateOffset } from './locator.js';
import type { SourceFile } from './source.js';
import { yaml } from './yaml-lib.js';

/**
 * The diagnostics of a file `yaml` could not read, said in hacompile's words and placed where the
 * user went wrong: one error for a tab in the indentation or a second document (what follows
 * them is a cascade, false duplicate keys included); an indentation mistake at the line indented
 * wrongly, not at the value before it; a duplicate key with its first place. Otherwise the first
 * syntax error (the rest usually follow from it) and every duplicate key.
 */
export function yamlDiagnostics(file: SourceFile): Diagnostic[] {
  const errors = file.doc.errors;
  const text = file.text;
  const at = (start: number, end: number) => locateOffset(file, start, end);

  if (errors.some((e) => e.code === 'TAB_AS_INDENT')) {
    const tab = /^ *\t/m.exec(text);
    const start = tab ? tab.index + tab[0].length - 1 : errors.find((e) => e.code === 'TAB_AS_INDENT')!.pos[0];
    return [{ ...m.yamlTab(), location: at(start, start + 1), related: [] }];
  }
  const multi = errors.find((e) => e.code === 'MULTIPLE_DOCS');
  if (multi) {
    const start = multi.pos[0];
    return [{ ...m.multipleDocuments(), location: at(start, lineEnd(text, start)), related: [] }];
  }

  const out: Diagnostic[] = [];
  const syntax = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  if (syntax) out.push(indentation(file, syntax.code, syntax.pos[0]) ?? unclosed(file, syntax.message, syntax.pos[0]) ?? { ...m.yamlSyntax(firstLine(syntax.message)), location: at(syntax.pos[0], syntax.pos[1]), related: [] });
  for (const e of errors) {
    if (e.code !== 'DUPLICATE_KEY') continue;
    const first = firstKey(file, e.pos[0]);
    out.push({
      ...m.duplicateYamlKey(keyAt(text, e.pos[0])),
      location: at(e.pos[0], e.pos[1]),
      related: first === undefined ? [] : [{ message: m.firstDefinedHere(), location: at(first[0], first[1]) }],
    });
  }
  return out;
}

/**
 * An indentation mistake, at the line the user indented wrongly:
 * - a line indented more than the `key: value` above it (yaml: a multi-line implicit key at that value);
 * - a line whose indentation is none of the levels open above it (yaml: BAD_INDENT, a sequence as a key, ... there).
 */
function indentation(file: SourceFile, code: string, offset: number): Diagnostic | undefined {
  const text = file.text;
  const lines = text.split('\n');
  const lineNo = file.lines.linePos(offset).line; // 1-based
  const indentOf = (s: string): number => /^ */.exec(s)![0].length;
  const content = (s: string): boolean => s.trim() !== '' && !s.trimStart().startsWith('#');
  const startOf = (n: number): number => lines.slice(0, n - 1).reduce((a, l) => a + l.length + 1, 0);
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    const above = lines[lineNo - 1] ?? '';
    let n = lineNo + 1;
    while (n <= lines.length && !content(lines[n - 1]!)) n++;
    const wrong = lines[n - 1];
    const key = /^ *(?:- +)?([^\s:#][^:#]*?):\s+\S/.exec(above);
    if (wrong !== undefined && key && indentOf(wrong) > indentOf(above)) {
      const keyColumn = above.indexOf(key[1]!);
      const start = startOf(n);
      return { ...m.yamlIndentedMore(indentOf(wrong), lineNo, key[1]!, keyColumn), location: locateOffset(file, start, start + indentOf(wrong) + 1), related: [] };
    }
  }
  // Any other error at the start of a line whose indentation matches no open level above it.
  const here = lines[lineNo - 1] ?? '';
  const w = indentOf(here);
  if (!content(here) || offset > startOf(lineNo) + w) return undefined;
  // The indentation levels open at that line: each earlier content line closes the deeper ones.
  const open: [number, number][] = [];
  for (let n = 1; n < lineNo; n++) {
    const l = lines[n - 1]!;
    if (!content(l)) continue;
    const i = indentOf(l);
    while (open.length > 0 && open[open.length - 1]![0] >= i) open.pop();
    open.push([i, n]);
  }
  if (open.some(([i]) => i === w)) return undefined;
  const below = [...open].reverse().find(([i]) => i < w);
  const above = open.find(([i]) => i > w);
  const start = startOf(lineNo);
  return { ...m.yamlIndentedBetween(w, below, above), location: locateOffset(file, start, start + w + 1), related: [] };
  return undefined;
}

/** A flow collection left open (`{ port: 80` at the end of a line): at its opening bracket. */
function unclosed(file: SourceFile, message: string, offset: number): Diagnostic | undefined {
  const close = /must be sufficiently indented and end with a ([}\]])/.exec(message)?.[1];
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (!close && !quote) return undefined;
  const text = file.text;
  const open: number[] = [];
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    const prev = i === 0 ? '\n' : text[i - 1]!;
    if ((c === '"' || c === "'") && /[\s[{,:]/.test(prev)) {
      // Skip a quoted scalar ('' and \" inside it); one that runs to the error is the unclosed quote.
      const from = i;
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
      if (quote && i >= offset) return { ...m.unclosedFlow(c, c), location: locateOffset(file, from, from + 1), related: [] };
    } else if (c === '#' && /\s/.test(prev)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '{' || c === '[') open.push(i);
    else if (c === '}' || c === ']') open.pop();
  }
  const at = open.pop();
  if (at === undefined || !close) return undefined;
  return { ...m.unclosedFlow(text[at]!, text[at] === '{' ? '}' : ']'), location: locateOffset(file, at, at + 1), related: [] };
}

/** The range of the first key equal to the duplicate key that starts at `offset`, in its mapping. */
function firstKey(file: SourceFile, offset: number): [number, number] | undefined {
  const Y = yaml();
  let found: [number, number] | undefined;
  Y.visit(file.doc, {
    Map(_, map) {
      const dup = map.items.findIndex((p) => Y.isNode(p.key) && p.key.range?.[0] === offset);
      if (dup < 0) return undefined;
      const name = keyValue(map.items[dup]!.key);
      const first = map.items.find((p, i) => i < dup && keyValue(p.key) === name);
      const r = Y.isNode(first?.key) ? first.key.range : undefined;
      if (r) found = [r[0], r[1]];
      return Y.visit.BREAK;
    },
  });
  return found;
}

const keyValue = (key: unknown): unknown => (yaml().isScalar(key) ? key.value : key);

/** The key that starts at `offset`, quoted or plain. */
function keyAt(text: string, offset: number): string {
  const match = /^(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^:\s,{}[\]]+)/.exec(text.slice(offset, offset + 300));
  return match ? match[0].replace(/^["']|["']$/g, '') : '?';
}

function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 ? text.length : i;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
