/**
 * Traefik v3's router rule grammar, for checking generated rules without a Traefik binary. From
 * Traefik's documentation (routing/routers "Rules": matchers, backtick or double-quoted values,
 * `&&` before `||`, `!`, parentheses) and source (pkg/rules/parser.go builds the tree with
 * vulcand/predicate; pkg/muxer/http/matcher.go: each matcher's arity, and Path and PathPrefix
 * values must start with '/'; pkg/muxer/tcp for HostSNI). Throws with the position on a rule
 * Traefik would refuse; returns the matchers it found.
 */

/** Matcher → [min, max] number of arguments (v3: Host takes one host; v2's lists are gone). */
const HTTP_MATCHERS: Record<string, [number, number]> = {
  Header: [2, 2],
  HeaderRegexp: [2, 2],
  Host: [1, 1],
  HostRegexp: [1, 1],
  Method: [1, 1],
  Path: [1, 1],
  PathPrefix: [1, 1],
  PathRegexp: [1, 1],
  Query: [1, 2],
  QueryRegexp: [2, 2],
  ClientIP: [1, 1],
};
const TCP_MATCHERS: Record<string, [number, number]> = { HostSNI: [1, 1], HostSNIRegexp: [1, 1], ClientIP: [1, 1], ALPN: [1, 1] };

export interface Matcher {
  name: string;
  args: string[];
}

type Token = { kind: 'ident' | 'string' | 'op' | '(' | ')' | ','; text: string; at: number };

function tokenize(rule: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i]!;
    if (c === ' ' || c === '\t' || c === '\n') i++;
    else if (c === '(' || c === ')' || c === ',') out.push({ kind: c, text: c, at: i++ });
    else if (rule.startsWith('&&', i) || rule.startsWith('||', i)) {
      out.push({ kind: 'op', text: rule.slice(i, i + 2), at: i });
      i += 2;
    } else if (c === '!') out.push({ kind: 'op', text: '!', at: i++ });
    else if (c === '`') {
      const end = rule.indexOf('`', i + 1);
      if (end < 0) throw new Error(`unterminated backtick string at ${i}`);
      out.push({ kind: 'string', text: rule.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < rule.length && rule[j] !== '"'; j++) {
        if (rule[j] === '\\') {
          const e = rule[++j];
          const map: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };
          if (e === undefined || !(e in map)) throw new Error(`bad escape in string at ${j}`);
          s += map[e];
        } else s += rule[j];
      }
      if (j >= rule.length) throw new Error(`unterminated string at ${i}`);
      out.push({ kind: 'string', text: s, at: i });
      i = j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      const m = /^[A-Za-z][A-Za-z0-9]*/.exec(rule.slice(i))!;
      out.push({ kind: 'ident', text: m[0], at: i });
      i += m[0].length;
    } else throw new Error(`unexpected ${JSON.stringify(c)} at ${i} (values are quoted with backticks or double quotes, never single quotes)`);
  }
  return out;
}

export function parseRule(rule: string, kind: 'http' | 'tcp' = 'http'): Matcher[] {
  const matchers = kind === 'http' ? HTTP_MATCHERS : TCP_MATCHERS;
  const tokens = tokenize(rule);
  let p = 0;
  const found: Matcher[] = [];
  const peek = (): Token | undefined => tokens[p];
  const expect = (k: Token['kind']): Token => {
    const t = tokens[p];
    if (!t || t.kind !== k) throw new Error(`expected ${k} at ${t?.at ?? rule.length}, found ${t ? JSON.stringify(t.text) : 'the end'}`);
    p++;
    return t;
  };
  // or := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '!' unary | primary
  const or = (): void => {
    and();
    while (peek()?.text === '||') {
      p++;
      and();
    }
  };
  const and = (): void => {
    unary();
    while (peek()?.text === '&&') {
      p++;
      unary();
    }
  };
  const unary = (): void => {
    if (peek()?.text === '!') {
      p++;
      unary();
    } else primary();
  };
  const primary = (): void => {
    if (peek()?.kind === '(') {
      p++;
      or();
      expect(')');
      return;
    }
    const name = expect('ident');
    const arity = matchers[name.text];
    if (!arity) throw new Error(`unknown matcher ${name.text} at ${name.at}`);
    expect('(');
    const args: string[] = [];
    if (peek()?.kind !== ')') {
      args.push(expect('string').text);
      while (peek()?.kind === ',') {
        p++;
        args.push(expect('string').text);
      }
    }
    expect(')');
    if (args.length < arity[0] || args.length > arity[1]) throw new Error(`${name.text} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument(s), got ${args.length} at ${name.at}`);
    checkValue(name.text, args);
    found.push({ name: name.text, args });
  };
  or();
  if (p !== tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[p]!.text)} at ${tokens[p]!.at}`);
  return found;
}

function checkValue(name: string, args: string[]): void {
  const v = args[0]!;
  if ((name === 'Path' || name === 'PathPrefix') && !v.startsWith('/')) throw new Error(`${name} value ${JSON.stringify(v)} does not start with '/'`);
  if ((name === 'Host' || name === 'HostSNI') && (v === '' || v !== v.toLowerCase() && name === 'HostSNI')) throw new Error(`${name} value ${JSON.stringify(v)} is empty or not lowercase`);
  if (name === 'Host' && !/^[a-z0-9.-]+$/i.test(v)) throw new Error(`Host value ${JSON.stringify(v)} is not a host name`);
  if (name.endsWith('Regexp')) new RegExp(args[args.length - 1]!);
  if (name === 'ClientIP' && !/^[0-9a-f.:]+(\/\d{1,3})?$/i.test(v)) throw new Error(`ClientIP value ${JSON.stringify(v)} is not an IP or CIDR`);
}
