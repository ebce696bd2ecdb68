import type { FileMeta, OutputFile } from './types.js';

/**
 * A generated file's bytes: UTF-8 segments in order. A large segment that several files hold
 * word for word (the sites every edge node serves) is encoded once and shared by them: the CLI
 * hashes and writes segments, and never joins them into one string.
 */
export type Body = readonly Uint8Array[];

/**
 * Bytes `base[from, to)` with `value` put at each offset of `at` (offsets into `base`, ascending,
 * runs that do not overlap): another file's bytes with a name of the same length in place of its
 * own. Each ingress node's Traefik routers are the first node's with its name put in: a stamp
 * costs a few bytes per router where a copy per node costs megabytes of new memory, and new
 * memory is slow to touch (the first write to each 4 KiB page is a page fault; about 11 µs on
 * the VMs this is measured on). Made into bytes when first read, or by the CLI's output thread
 * into memory it reuses from file to file.
 */
export interface Stamped {
  readonly base: Uint8Array;
  readonly from: number;
  readonly to: number;
  readonly at: Int32Array;
  readonly value: Uint8Array;
}

/** A file's bytes as its emitter made them: segments, some of them stamped. */
export type Pieces = readonly (Uint8Array | Stamped)[];

/**
 * Writes a stamped piece's bytes into `target` at `offset` and returns them (a view of `target`).
 * Self-contained: the CLI's output thread runs this same function's source.
 */
export function stampInto(target: Uint8Array, offset: number, p: Stamped): Uint8Array {
  const { base, from, to, at, value } = p;
  const n = value.length;
  target.set(base.subarray(from, to), offset);
  // The first run that ends after `from` (binary search: `at` is ascending).
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid]! + n <= from) lo = mid + 1;
    else hi = mid;
  }
  for (let j = lo; j < at.length && at[j]! < to; j++) {
    const start = at[j]!;
    for (let k = Math.max(0, from - start); k < n && start + k < to; k++) target[offset + start + k - from] = value[k]!;
  }
  return target.subarray(offset, offset + to - from);
}

/** Whether a piece is stamped (a segment otherwise). */
export function isStamped(p: Uint8Array | Stamped): p is Stamped {
  return !(p instanceof Uint8Array);
}

/** The bytes of pieces, each stamped piece made into new memory. */
function made(pieces: Pieces): Body {
  return pieces.map((p) => (isStamped(p) ? stampInto(Buffer.allocUnsafe(p.to - p.from), 0, p) : p));
}

/**
 * A generated file; `content` (its text) is decoded only when something asks for it, and a file
 * made from a function (the manifest) is made when its bytes or text are first asked for.
 */
class Generated implements OutputFile {
  readonly path: string;
  readonly node?: string;
  readonly daemon: string;
  readonly check: string;
  readonly secrets: string[];
  #body: Body | undefined;
  #pieces: Pieces | undefined;
  #text: string | undefined;
  #make: (() => string) | undefined;

  constructor(meta: FileMeta, body: string | Pieces | (() => string)) {
    this.path = meta.path;
    if (meta.node !== undefined) this.node = meta.node;
    this.daemon = meta.daemon;
    this.check = meta.check;
    this.secrets = meta.secrets;
    if (typeof body === 'function') this.#make = body;
    else if (typeof body === 'string') this.#text = body;
    else if (body.some(isStamped)) this.#pieces = body;
    else this.#body = body as Body;
  }

  get body(): Body {
    return (this.#body ??= this.#pieces ? made(this.#pieces) : [Buffer.from(this.content, 'utf8')]);
  }

  get pieces(): Pieces {
    return this.#pieces ?? this.body;
  }

  get content(): string {
    if (this.#text === undefined) this.#text = this.#make ? this.#make() : Buffer.concat(this.body).toString('utf8');
    return this.#text;
  }
}

/** A generated file from its description and its text, its bytes (some stamped), or what makes its text when it is first needed. */
export function outputFile(meta: FileMeta, body: string | Pieces | (() => string)): OutputFile {
  return new Generated(meta, body);
}

/** The size of a body in bytes. */
export function bodyBytes(body: Pieces): number {
  let n = 0;
  for (const b of body) n += isStamped(b) ? b.to - b.from : b.length;
  return n;
}

/** Whether a body's last byte is a newline. */
export function endsWithNewline(body: Pieces): boolean {
  for (let i = body.length - 1; i >= 0; i--) {
    const b = body[i]!;
    if (isStamped(b)) {
      if (b.to > b.from) return stampInto(new Uint8Array(1), 0, { ...b, from: b.to - 1 })[0] === 0x0a;
    } else if (b.length > 0) return b[b.length - 1] === 0x0a;
  }
  return false;
}

/**
 * Writes text straight into UTF-8 bytes, a few tens of kilobytes at a time. At 10,000 services
 * the large files are tens of megabytes: strings that live only until the next flush cost the
 * garbage collector little, where one long string kept until the end is copied as it grows old.
 */
export class BodyWriter {
  private buf: Buffer;
  private at = 0;
  private pending = '';

  constructor(sizeHint = 1 << 16) {
    this.buf = sharedBytes(Math.max(sizeHint, 1 << 10));
  }

  put(text: string): void {
    this.pending += text;
    if (this.pending.length >= 1 << 15) this.flush();
  }

  /** How many bytes are written so far. */
  length(): number {
    this.flush();
    return this.at;
  }

  /** The bytes written so far (a view, valid while nothing more is written). */
  bytes(): Buffer {
    this.flush();
    return this.buf.subarray(0, this.at);
  }

  private flush(): void {
    const text = this.pending;
    if (text.length === 0) return;
    this.pending = '';
    // UTF-8 takes at most three bytes per UTF-16 unit.
    const need = this.at + text.length * 3;
    if (need > this.buf.length) {
      const bigger = sharedBytes(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
    this.at += this.buf.write(text, this.at, 'utf8');
  }
}

/** Texts encoded one after the other into one buffer, each returned as a view of its bytes (many small pieces: one allocation). */
export function encodeAll(texts: readonly string[]): Uint8Array[] {
  let chars = 0;
  for (const t of texts) chars += t.length;
  const out = new BodyWriter(chars + 1024);
  const ends: number[] = [];
  for (const t of texts) {
    out.put(t);
    ends.push(out.length());
  }
  const bytes = out.bytes();
  return ends.map((end, k) => bytes.subarray(k === 0 ? 0 : ends[k - 1], end));
}

/**
 * Memory another thread can read without a copy: the CLI hashes, compares and writes each file on
 * its output thread while this one goes on emitting (see src/cli/output-thread.ts).
 */
export function sharedBytes(bytes: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(bytes));
}
