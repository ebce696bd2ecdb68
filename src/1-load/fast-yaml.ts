/**
 * A fast reader for the plain YAML that inventories are written in: block mappings and sequences,
 * one-line flow collections, one-line plain and quoted scalars, comments; printable text only.
 * It gives the same data as `yaml`'s `parseDocument(...).toJS()` with the options of source.ts
 * (YAML 1.2 core schema: `yes` is a string, `0o17` an integer).
 *
 * Anything else (anchors, aliases, merge keys, tags, block scalars, multi-line scalars, duplicate
 * keys, several documents, tabs, control characters, non-ASCII keys, odd indentation, anything `yaml` might reject) makes it
 * give up and return undefined: the caller then parses the file with `yaml`, the exact path, which
 * also produces every diagnostic. So this reader only ever has to be right about what it accepts,
 * and test/property/fast-yaml.test.ts checks it against `yaml` on random and mutated inventories.
 * At 10,000 services it reads 1.2 MB in about 40 ms where `yaml` takes 1.5 to 3 s.
 */
import type { Json, JsonObject } from './merge.js';


export interface FastParsed {
  /** The document's data: a mapping, or null for a file of comments only. */
  data: JsonObject | null;
}

/** Thrown inside the reader when the text leaves the subset; never escapes `fastParse`. */
const UNSUPPORTED = new Error('outside the fast subset');

/**
 * Anything but newline and printable characters: tabs, CR, controls, NEL, C1 controls, the BOM,
 * lone surrogates, U+FFFE/U+FFFF. (Other non-ASCII text, as in comments and descriptions, is fine.)
 */
const OUTSIDE = /[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;

/** Plain-key characters; anything else in a key goes to the exact path. */
const isKeyChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 45 /* - */ || c === 46 /* . */ || c === 47; /* / */

/** The data of a file, or undefined when the file must be read by `yaml`. */
export function fastParse(text: string): FastParsed | undefined {
  if (OUTSIDE.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (e) {
    // Outside the subset, or nested deeper than the stack allows: `yaml` decides.
    if (e === UNSUPPORTED || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * YAML 1.2 core schema resolution of a plain scalar, tag by tag in `yaml`'s order (null, bool,
 * octal, decimal, hex, .inf/.nan, exponent, float), with the same conversions.
 */
export function resolvePlain(s: string): Json {
  const c = s.charCodeAt(0);
  // Fast exits: most scalars are words (only null/true/false are not strings) or addresses.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return s.length > 5 || !WORDS.test(s) ? s : s[0] === 'n' || s[0] === 'N' ? null : s[0] === 't' || s[0] === 'T';
  if (s.length > 0 && c !== 126 /* ~ */ && !NUMBER.test(s)) return s;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
    return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

/** The words the core schema reads as null or booleans. */
const WORDS = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Everything the core schema's number tags could match (a superset check before the exact tests). */
const NUMBER = /^(?:[-+]?[0-9.]|0[ox]|\.)/;

/** Keys that name a property of every object: `yaml` defines them specially, so the exact path reads them. */
const PROTO_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', '<<']);

/** Deeper than this, the fast reader leaves the file to `yaml` (inventories nest a few levels). */
const MAX_DEPTH = 64;

/**
 * Where `text` nests deeper than `limit` levels (block indentation, `- ` and `? ` indicators and
 * flow brackets outside quotes and comments, each counting at least one), or -1. `yaml` runs out
 * of stack somewhere past a thousand levels, and where exactly depends on the stack it is given:
 * load() stops such files before, so that their diagnostic is the same on every run.
 */
export function nestedBeyond(text: string, limit: number): number {
  let flow = 0;
  let quote = 0;
  let col = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (quote === 34 && c === 92) i++;
      else if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
        else quote = 0;
      }
      continue;
    }
    if (c === 10) {
      lineStart = true;
      col = 0;
      continue;
    }
    const prev = i === 0 ? 10 : text.charCodeAt(i - 1);
    const tokenStart = prev === 32 || prev === 10 || prev === 9 || prev === 91 || prev === 123 || prev === 44;
    if (lineStart) {
      if (c === 32) {
        col++;
        continue;
      }
      if ((c === 45 || c === 63 || c === 58) && text.charCodeAt(i + 1) === 32) {
        col += 2;
        i++;
        continue;
      }
      lineStart = false;
      if (col + flow > limit) return i;
    }
    if (c === 35 && tokenStart) {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end - 1;
    } else if ((c === 34 || c === 39) && tokenStart) quote = c;
    else if (c === 91 || c === 123) {
      if (col + ++flow > limit) return i;
    } else if (c === 93 || c === 125) flow = Math.max(0, flow - 1);
  }
  return -1;
}

/**
 * Lists are pushed one by one and kept as copies of their exact size (`slice()`): an array grown by
 * `push` holds room for 17 elements, and the inventory's lists (three backends each, ten thousand
 * times) live as long as the build, copied by the garbage collector as they age.
 */
class Reader {
  /** How many collections the reader is inside. */
  private depth = 0;
  /** The current content line: start offset, end offset (before `\n`), indent, 1-based number. */
  private ls = 0;
  private le = 0;
  private ind = 0;
  private no = 0;
  private eof = false;
  /** Offset and number of the next raw line to look at. */
  private next = 0;
  private nextNo = 1;

  constructor(private readonly t: string) {
    this.advance();
  }

  document(): FastParsed {
    if (this.eof) return { data: null };
    if (this.ind !== 0) throw UNSUPPORTED;
    const data: JsonObject = {};
    this.blockMap(data, 0, this.ls);
    if (!this.eof) throw UNSUPPORTED;
    return { data };
  }

  /** Moves to the next line holding content (skipping blank and comment-only lines). */
  private advance(): void {
    const t = this.t;
    while (this.next < t.length) {
      const start = this.next;
      let end = t.indexOf('\n', start);
      if (end === -1) end = t.length;
      this.next = end + 1;
      const no = this.nextNo++;
      let i = start;
      while (i < end && t.charCodeAt(i) === 32) i++;
      if (i === end || t.charCodeAt(i) === 35 /* # */) continue;
      // Document markers and directives: several documents, %YAML... — the exact path.
      if (i === start && (t.startsWith('---', i) || t.startsWith('...', i) || t.charCodeAt(i) === 37)) throw UNSUPPORTED;
      this.ls = start;
      this.le = end;
      this.ind = i - start;
      this.no = no;
      return;
    }
    this.eof = true;
  }

  /** Entries of a block mapping whose keys sit at column `indent`; the first starts at `at`. */
  private blockMap(obj: JsonObject, indent: number, at: number): void {
    if (++this.depth > MAX_DEPTH) throw UNSUPPORTED;
    for (;;) {
      this.mapEntry(obj, indent, at);
      if (this.eof || this.ind < indent) return void this.depth--;
      if (this.ind > indent) throw UNSUPPORTED;
      at = this.ls + indent;
      // A `- ` line at the mapping's own indent ends an indentless sequence's parent: not a key.
      if (this.t.charCodeAt(at) === 45 && this.isDash(at)) return void this.depth--;
    }
  }

  /** `key: value` starting at `at` on the current line, its value possibly on the next lines. */
  private mapEntry(obj: JsonObject, indent: number, at: number): void {
    const key = this.key(at, this.le, false);
    if (key === undefined) throw UNSUPPORTED;
    const [name, after] = key;
    if (Object.prototype.hasOwnProperty.call(obj, name)) throw UNSUPPORTED; // duplicate: the exact path reports it
    const t = this.t;
    let i = after;
    while (i < this.le && t.charCodeAt(i) === 32) i++;
    if (i === this.le || t.charCodeAt(i) === 35) {
      // The value is on the following lines, or null.
      this.advance();
      if (this.eof || this.ind < indent || (this.ind === indent && !this.isDash(this.ls + indent))) {
        obj[name] = null;
      } else if (this.isDash(this.ls + this.ind)) {
        obj[name] = this.blockSeq(this.ind);
      } else {
        const value: JsonObject = {};
        this.blockMap(value, this.ind, this.ls + this.ind);
        obj[name] = value;
      }
      return;
    }
    obj[name] = this.inlineValue(i);
  }

  /** A block sequence whose dashes sit at column `indent`. */
  private blockSeq(indent: number): Json[] {
    const items: Json[] = [];
    const t = this.t;
    if (++this.depth > MAX_DEPTH) throw UNSUPPORTED;
    for (;;) {
      const dash = this.ls + indent;
      let at = dash + 1;
      while (at < this.le && t.charCodeAt(at) === 32) at++;
      // `-` alone (value on the next lines) and `- - x` go to the exact path.
      if (at === this.le || t.charCodeAt(at) === 35 || this.isDash(at)) throw UNSUPPORTED;
      if (this.key(at, this.le, false) !== undefined) {
        // `- key: value` and the keys aligned under it: a mapping at the first key's column.
        const obj: JsonObject = {};
        this.blockMap(obj, at - this.ls, at);
        items.push(obj);
      } else {
        items.push(this.inlineValue(at));
      }
      if (this.eof || this.ind < indent || (this.ind === indent && !this.isDash(this.ls + indent))) {
        this.depth--;
        return items.slice();
      }
      if (this.ind > indent) throw UNSUPPORTED;
    }
  }

  /** `-` followed by a space or the end of the line. */
  private isDash(at: number): boolean {
    if (this.t.charCodeAt(at) !== 45) return false;
    return at + 1 === this.le || this.t.charCodeAt(at + 1) === 32;
  }

  /** A value that ends on this line: a flow collection, a quoted or a plain scalar; then the next line. */
  private inlineValue(at: number): Json {
    const t = this.t;
    const c = t.charCodeAt(at);
    let value: Json;
    let end: number;
    if (c === 91 /* [ */ || c === 123 /* { */) {
      [value, end] = this.flow(at);
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      [value, end] = c === 34 ? this.doubleQuoted(at) : this.singleQuoted(at);
    } else {
      // A plain scalar runs to a ` #` comment or the end of the line.
      const le = this.le;
      let stop = at;
      while (stop < le && !(t.charCodeAt(stop) === 35 && t.charCodeAt(stop - 1) === 32)) stop++;
      if (stop < le) stop--;
      let e = stop;
      while (e > at && t.charCodeAt(e - 1) === 32) e--;
      const s = t.slice(at, e);
      if (!plainOk(s, false)) throw UNSUPPORTED;
      value = resolvePlain(s);
      end = stop;
    }
    this.lineEnd(end);
    this.advance();
    return value;
  }

  /** Only spaces and a comment may follow a value on its line. */
  private lineEnd(i: number): void {
    const t = this.t;
    const le = this.le;
    if (i === le) return;
    if (t.charCodeAt(i) !== 32) throw UNSUPPORTED;
    while (i < le && t.charCodeAt(i) === 32) i++;
    if (i < le && t.charCodeAt(i) !== 35) throw UNSUPPORTED;
  }

  /**
   * A mapping key at `at` followed by `:` and a space (or the end of the line): its text and the
   * offset after the colon; undefined when the text there is not a key.
   */
  private key(at: number, limit: number, inFlow: boolean): [string, number] | undefined {
    const t = this.t;
    const c = t.charCodeAt(at);
    let name: string;
    let i: number;
    if (c === 34 || c === 39) {
      let q: [Json, number];
      try {
        q = c === 34 ? this.doubleQuoted(at) : this.singleQuoted(at);
      } catch {
        return undefined;
      }
      name = q[0] as string;
      i = q[1];
    } else {
      i = at;
      while (i < limit && isKeyChar(t.charCodeAt(i))) i++;
      if (i === at) return undefined;
      name = t.slice(at, i);
    }
    if (i >= limit || t.charCodeAt(i) !== 58 /* : */) return undefined;
    const n = i + 1 < limit ? t.charCodeAt(i + 1) : -1;
    if (n !== 32 && !(n === -1 && !inFlow)) return undefined;
    // A plain key must start like a word and read as a string (not `1:`, `true:`, `null:`).
    if (c !== 34 && c !== 39 && (c === 45 || c === 46 || c === 47 || typeof resolvePlain(name) !== 'string')) throw UNSUPPORTED;
    // Keys the exact path treats specially or limits: prototype names, merge keys, > 1024 chars.
    if (PROTO_NAMES.has(name) || i - at > 1000) throw UNSUPPORTED;
    return [name, i + 1];
  }

  /** A flow collection that closes on this line; returns the value and the offset after it. */
  private flow(at: number): [Json, number] {
    const t = this.t;
    const le = this.le;
    const seq = t.charCodeAt(at) === 91;
    const close = seq ? 93 : 125;
    const items: Json[] = [];
    const obj: JsonObject = {};
    if (++this.depth > MAX_DEPTH) throw UNSUPPORTED;
    let i = at + 1;
    const skip = (): void => {
      while (i < le && t.charCodeAt(i) === 32) i++;
    };
    skip();
    if (t.charCodeAt(i) === close) {
      this.depth--;
      return [seq ? items : obj, i + 1];
    }
    for (;;) {
      skip();
      if (i >= le) throw UNSUPPORTED;
      if (seq) {
        let v: Json;
        [v, i] = this.flowValue(i);
        items.push(v);
      } else {
        const k = this.key(i, le, true);
        if (k === undefined) throw UNSUPPORTED;
        const [name, after] = k;
        if (Object.prototype.hasOwnProperty.call(obj, name)) throw UNSUPPORTED;
        i = after;
        skip();
        let v: Json;
        [v, i] = this.flowValue(i);
        obj[name] = v;
      }
      skip();
      const c = t.charCodeAt(i);
      if (c === close) {
        this.depth--;
        return [seq ? items.slice() : obj, i + 1];
      }
      if (c !== 44 /* , */) throw UNSUPPORTED;
      i++;
      skip();
      // A trailing comma, or an empty entry: the exact path.
      if (i >= le || t.charCodeAt(i) === close || t.charCodeAt(i) === 44) throw UNSUPPORTED;
    }
  }

  /** One value inside a flow collection. */
  private flowValue(at: number): [Json, number] {
    const t = this.t;
    const c = t.charCodeAt(at);
    if (c === 91 || c === 123) return this.flow(at);
    if (c === 34) return this.doubleQuoted(at);
    if (c === 39) return this.singleQuoted(at);
    let i = at;
    const le = this.le;
    for (; i < le; i++) {
      const d = t.charCodeAt(i);
      if (d === 44 || d === 93 || d === 125) break;
      if (d === 91 || d === 123 || d === 35 || d === 34 || d === 39) throw UNSUPPORTED;
      if (d === 58 /* : */) {
        const n = i + 1 < le ? t.charCodeAt(i + 1) : -1;
        // `a: b` inside a flow sequence is a one-pair mapping; `a:` before `,]}` too: exact path.
        if (n === 32 || n === 44 || n === 93 || n === 125 || n === -1) throw UNSUPPORTED;
      }
    }
    let e = i;
    while (e > at && t.charCodeAt(e - 1) === 32) e--;
    const s = t.slice(at, e);
    if (!plainOk(s, true)) throw UNSUPPORTED;
    return [resolvePlain(s), i];
  }

  /** A double-quoted scalar closing on this line, with the common escapes. */
  private doubleQuoted(at: number): [Json, number] {
    const t = this.t;
    const le = this.le;
    let i = at + 1;
    let out = '';
    let from = i;
    for (;;) {
      if (i >= le) throw UNSUPPORTED;
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        out += t.slice(from, i);
        const e = t[i + 1];
        if (e === '"' || e === '\\' || e === '/') out += e;
        else if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          out += String.fromCodePoint(parseInt(t.slice(i + 2, i + 6), 16));
          i += 4;
        } else throw UNSUPPORTED;
        i += 2;
        from = i;
        continue;
      }
      i++;
    }
    out += t.slice(from, i);
    return [out, i + 1];
  }

  /** A single-quoted scalar closing on this line (`''` is a quote). */
  private singleQuoted(at: number): [Json, number] {
    const t = this.t;
    const le = this.le;
    let i = at + 1;
    let out = '';
    let from = i;
    for (;;) {
      const q = t.indexOf("'", i);
      if (q === -1 || q >= le) throw UNSUPPORTED;
      if (t.charCodeAt(q + 1) === 39 && q + 1 < le) {
        out += t.slice(from, q + 1);
        i = q + 2;
        from = i;
        continue;
      }
      out += t.slice(from, q);
      return [out, q + 1];
    }
  }
}

/**
 * A plain scalar the fast reader is sure about: not empty, no indicator at the start (a `-` only
 * before a non-space), no `: ` or trailing `:` (a mapping), no `#` at all, no `,[]{}` in flow.
 */
function plainOk(s: string, inFlow: boolean): boolean {
  const n = s.length;
  if (n === 0) return false;
  const c = s.charCodeAt(0);
  // ? : , [ ] { } # & * ! | > ' " % @ `
  if (c < 128 && INDICATOR[c] === 1) return false;
  if (c === 45 && (n === 1 || s.charCodeAt(1) === 32)) return false;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i);
    if (d === 35 /* # */) return false;
    if (d === 58 /* : */ && (i === n - 1 || s.charCodeAt(i + 1) === 32)) return false;
    if (inFlow && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125)) return false;
  }
  return true;
}

const INDICATOR = new Uint8Array(128);
for (const ch of '?:,[]{}#&*!|>\'"%@`') INDICATOR[ch.charCodeAt(0)] = 1;
