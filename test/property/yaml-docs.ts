// Random YAML documents for the fast reader's property tests: a random tree written in a random
// mix of styles (block and flow, indented and indentless lists, plain and quoted scalars,
// comments, odd spacing), with scalars and keys picked to sit on every edge of YAML's rules.
import fc from 'fast-check';

export type Tree = null | boolean | number | string | Tree[] | { [key: string]: Tree };

/** Strings on the edges: core-schema words, numbers in every notation, indicators, quotes, Unicode. */
const TRICKY = [
  'yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE',
  '0', '-0', '+1', '007', '0o17', '0o8', '0x1f', '0xg', '0b101', '1_000', '1e3', '1E-3', '.5', '5.', '-.5', '+.inf', '-.Inf', '.nan', '.NaN', '.NAN', 'nan', 'inf',
  '12:30', '1:2:3', '2024-01-01', '10.0.0.1', '2001:db8::1', 'http://whoami:80', '/health?x=1', 'a: b', 'a:b', 'a :b', 'a #b', 'a#b', '#c', '- x', '-x', '-', '--', '---', '...',
  '[x]', '{y}', 'x]', 'x}', 'x,y', '"q"', "'s'", "it's", 'say "hi"', '@x', '`x', '%x', '&a', '*a', '!t', '!!str', '|', '>', '? x', ':x', 'x:', 'x: ',
  'x y', ' x', 'x ', '', '  ', '\t', 'a\tb', 'a\nb', 'a\r\nb', 'é', '→', 'naïve café', '\u00a0', '\u2028', '\ufeff', '😀', '\u0000', '\u007f', '\u0085',
  '{{ x }}', '${X}', 'a\\b', 'C:\\x', '\\n', 'x'.repeat(1100), '<<', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];
const KEYS = ['a', 'b', 'c', 'port', 'nodes', 'x-y', 'x_y', 'x.y', 'A', 'Z9', 'true', 'null', '1', '0x1', 'yes', '__proto__', 'constructor', '<<', 'a b', 'a:b', 'é', '"q"', '', 'k'.repeat(1030)];

const scalar: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z][a-z0-9 ./:-]{0,12}[a-z0-9]$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1e6, max: 1e6 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1.5, 1e21, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const key = fc.oneof({ weight: 12, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/) }, { weight: 1, arbitrary: fc.constantFrom(...KEYS) });

export const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree; map: Tree; list: Tree }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('list')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  list: fc.array(tie('node'), { maxLength: 4 }),
})).node;

export const topMap: fc.Arbitrary<{ [key: string]: Tree }> = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 });

/** Choices for writing a tree; drawn per node so that one document mixes styles. */
export interface Style {
  /** Random numbers in [0, 1), consumed as the writer goes. */
  next(): number;
}

const pick = <T>(s: Style, xs: readonly T[]): T => xs[Math.floor(s.next() * xs.length)]!;

/** A scalar as YAML: plain when asked (even when YAML would read it otherwise), or quoted. */
function writeScalar(v: Exclude<Tree, Tree[] | { [key: string]: Tree }>, s: Style): string {
  if (typeof v !== 'string') return pick(s, [String(v), JSON.stringify(v), String(v)]);
  const how = pick(s, ['plain', 'plain', 'double', 'single']);
  if (how === 'double') return JSON.stringify(v);
  if (how === 'single') return `'${v.replace(/'/g, "''")}'`;
  return v;
}

const isCollection = (v: Tree): v is Tree[] | { [key: string]: Tree } => typeof v === 'object' && v !== null;

function writeFlow(v: Tree, s: Style): string {
  if (Array.isArray(v)) return `[${v.map((x) => writeFlow(x, s)).join(pick(s, [', ', ',', ' , ']))}]`;
  if (isCollection(v)) return `{${pick(s, [' ', ''])}${Object.entries(v).map(([k, x]) => `${writeScalar(k, s)}: ${writeFlow(x, s)}`).join(', ')}${pick(s, [' ', ''])}}`;
  return writeScalar(v, s);
}

const comment = (s: Style): string => pick(s, ['', '', '', '  # note', ' #x', ' # →']);

/** Lines of a block node whose first line goes after `lead` (a key or a dash). */
function writeBlock(v: Tree, indent: number, s: Style, out: string[], lead: string): void {
  const pad = ' '.repeat(indent);
  if (!isCollection(v) || pick(s, [false, false, false, true]) || (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)) {
    out.push(`${lead}${lead ? ' ' : ''}${isCollection(v) ? writeFlow(v, s) : writeScalar(v, s)}${comment(s)}`);
    return;
  }
  if (Array.isArray(v)) {
    // Under a key: indented, or at the key's own column (indentless).
    const at = lead.startsWith('-') ? indent : pick(s, [indent, indent, Math.max(0, indent - 2)]);
    out.push(`${lead}${comment(s)}`);
    for (const x of v) writeBlock(x, at + 2, s, out, `${' '.repeat(at)}-`);
    return;
  }
  out.push(`${lead}${comment(s)}`);
  for (const [k, x] of Object.entries(v)) writeBlock(x, indent + 2, s, out, `${pad}${writeScalar(k, s)}:`);
  if (s.next() < 0.1) out.push(`${pad}# a comment line`);
}

/** A document: a block mapping at the top. */
export function writeDoc(top: { [key: string]: Tree }, s: Style): string {
  const out: string[] = [];
  if (s.next() < 0.2) out.push('# yaml-language-server: $schema=x');
  for (const [k, x] of Object.entries(top)) writeBlock(x, 2, s, out, `${writeScalar(k, s)}:`);
  if (s.next() < 0.1) out.push('');
  return out.join('\n') + pick(s, ['\n', '\n', '']);
}

/** A seeded Style from fast-check's random numbers. */
export const style: fc.Arbitrary<Style> = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 64, maxLength: 64 }).map((xs) => {
  let i = 0;
  return { next: () => xs[i++ % xs.length]! };
});

/** Edits that make a valid document wrong in YAML's own ways. */
export const EDITS = ['a', 'x-1', '9', ' ', '\n', ':', ': ', '-', '- ', ' ', '  ', '#', ' #', "'", '"', '{', '}', '[', ']', ',', '\n', '\n  ', '&a ', '*a', '!', '|', '>', '%', '@', '\t', '\r', '\r\n', '\u00a0', '\ufeff', 'é', '<<: ', '? ', '---\n', '...\n', '0x', '.', '~', '\\'];
