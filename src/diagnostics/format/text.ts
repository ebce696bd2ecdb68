import pc from 'picocolors';
import type { Diagnostic, Location } from '../types.js';
import type { Formatter } from './types.js';

/**
 * `file:line:col: error code: message`, the source line with a caret under the place, the
 * hint, and related places ("first defined here"), like a compiler.
 */
export const formatText: Formatter = (diagnostics, options) => {
  const c = pc.createColors(options.color ?? false);
  // Each file is split into lines once, however many diagnostics point into it (N errors cost O(N)).
  const lines = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!lines.has(file)) lines.set(file, options.source?.(file)?.split('\n'));
    return lines.get(file);
  };
  const blocks = diagnostics.map((d) => {
    const sev = d.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
    const out = [`${c.bold(where(d.location))}: ${sev} ${c.dim(d.code)}: ${visible(d.message)}`];
    const frame = d.location ? codeFrame(d.location, linesOf(d.location.file), c.cyan) : [];
    out.push(...frame);
    if (d.hint) out.push(`  ${c.cyan('hint')}: ${visible(d.hint)}`);
    for (const r of d.related) out.push(`  ${r.location ? where(r.location) + ': ' : ''}${c.dim('note')}: ${visible(r.message)}`);
    return out.join('\n');
  });
  return blocks.length ? blocks.join('\n\n') + '\n' : '';
};

/**
 * Text from the inventory as a terminal may show it: each control character (C0 but the newline,
 * DEL, C1, line and paragraph separators) becomes one visible character, so no escape sequence
 * of an inventory file reaches the terminal and columns stay where they were.
 */
export function visible(s: string): string {
  return s.replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
  });
}

function where(l: Location | undefined): string {
  return l ? `${visible(l.file).replace(/\n/g, '\u2424')}:${l.line}:${l.column}` : 'inventory';
}

/** Lines longer than this are shown as a window around the place. */
const FRAME_WIDTH = 160;

function codeFrame(l: Location, lines: string[] | undefined, paint: (s: string) => string): string[] {
  const line = lines?.[l.line - 1];
  if (line === undefined) return [];
  let shown = visible(line.replace(/\t/g, ' ').replace(/\r$/, ''));
  let column = l.column;
  let width = l.endLine === l.line ? Math.max(1, l.endColumn - l.column) : Math.max(1, shown.length - l.column + 1);
  if (shown.length > FRAME_WIDTH) {
    // A window of the line around the place, with … where it is cut.
    const start = Math.max(0, Math.min(l.column - 1 - 40, shown.length - FRAME_WIDTH));
    const cut = shown.slice(start, start + FRAME_WIDTH);
    const before = start > 0 ? '…' : '';
    shown = `${before}${cut}${start + FRAME_WIDTH < shown.length ? '…' : ''}`;
    column = l.column - start + before.length;
    width = Math.min(width, FRAME_WIDTH - (column - 1 - before.length));
  }
  const num = String(l.line);
  const gutter = ' '.repeat(num.length);
  return [`  ${num} | ${shown}`, `  ${gutter} | ${' '.repeat(Math.max(0, column - 1))}${paint('^'.repeat(Math.max(1, Math.min(width, 200))))}`];
}
