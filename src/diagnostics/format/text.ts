import pc from 'picocolors';
import type { Diagnostic, Location } from '../types.js';
import type { Formatter } from './types.js';

/**
 * `file:line:col: error code: message`, the source line with a caret under the place, the
 * hint, and related places ("first defined here"), like a compiler.
 */
export const formatText: Formatter = (diagnostics, options) => {
  const c = pc.createColors(options.color ?? false);
  const blocks = diagnostics.map((d) => {
    const sev = d.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
    const lines = [`${c.bold(where(d.location))}: ${sev} ${c.dim(d.code)}: ${d.message}`];
    const frame = d.location ? codeFrame(d.location, options.source?.(d.location.file), c.cyan) : [];
    lines.push(...frame);
    if (d.hint) lines.push(`  ${c.cyan('hint')}: ${d.hint}`);
    for (const r of d.related) lines.push(`  ${r.location ? where(r.location) + ': ' : ''}${c.dim('note')}: ${r.message}`);
    return lines.join('\n');
  });
  return blocks.length ? blocks.join('\n\n') + '\n' : '';
};

function where(l: Location | undefined): string {
  return l ? `${l.file}:${l.line}:${l.column}` : 'inventory';
}

function codeFrame(l: Location, text: string | undefined, paint: (s: string) => string): string[] {
  if (text === undefined) return [];
  const line = text.split('\n')[l.line - 1];
  if (line === undefined) return [];
  const shown = line.replace(/\t/g, ' ').replace(/\r$/, '');
  const num = String(l.line);
  const width = l.endLine === l.line ? Math.max(1, l.endColumn - l.column) : Math.max(1, shown.length - l.column + 1);
  const gutter = ' '.repeat(num.length);
  return [`  ${num} | ${shown}`, `  ${gutter} | ${' '.repeat(Math.max(0, l.column - 1))}${paint('^'.repeat(Math.min(width, 200)))}`];
}
