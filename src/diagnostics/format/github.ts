import type { Formatter } from './types.js';

/** GitHub workflow commands, so diagnostics show as annotations on the pull request's lines. */
export const formatGithub: Formatter = (diagnostics) =>
  diagnostics
    .map((d) => {
      const l = d.location;
      const props = l
        ? [`file=${prop(l.file)}`, `line=${l.line}`, `col=${l.column}`, `endLine=${l.endLine}`, `endColumn=${l.endColumn}`, `title=${prop(d.code)}`]
        : [`title=${prop(d.code)}`];
      const text = d.hint ? `${d.message} (${d.hint})` : d.message;
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${data(text)}\n`;
    })
    .join('');

// Escaping as GitHub's toolkit does (core/command.ts).
const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
