import type { FileMeta, OutputFile } from './types.js';

/**
 * A generated file's bytes: UTF-8 segments in order. A large segment that several files hold
 * word for word (the sites every edge node serves) is encoded once and shared by them: the CLI
 * hashes and writes segments, and never joins them into one string.
 */
export type Body = readonly Uint8Array[];

/** A generated file; `content` (its text) is decoded only when something asks for it. */
class Generated implements OutputFile {
  readonly path: string;
  readonly node?: string;
  readonly daemon: string;
  readonly check: string;
  readonly secrets: string[];
  readonly body: Body;
  #text: string | undefined;

  constructor(meta: FileMeta, body: string | Body) {
    this.path = meta.path;
    if (meta.node !== undefined) this.node = meta.node;
    this.daemon = meta.daemon;
    this.check = meta.check;
    this.secrets = meta.secrets;
    if (typeof body === 'string') {
      this.#text = body;
      this.body = [Buffer.from(body, 'utf8')];
    } else this.body = body;
  }

  get content(): string {
    return (this.#text ??= Buffer.concat(this.body).toString('utf8'));
  }
}

/** A generated file from its description and its text (or bytes). */
export function outputFile(meta: FileMeta, body: string | Body): OutputFile {
  return new Generated(meta, body);
}

/** The size of a body in bytes. */
export function bodyBytes(body: Body): number {
  let n = 0;
  for (const b of body) n += b.length;
  return n;
}

/** Whether a body's last byte is a newline. */
export function endsWithNewline(body: Body): boolean {
  for (let i = body.length - 1; i >= 0; i--) {
    const b = body[i]!;
    if (b.length > 0) return b[b.length - 1] === 0x0a;
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
    this.buf = Buffer.allocUnsafe(Math.max(sizeHint, 1 << 10));
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
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
    this.at += this.buf.write(text, this.at, 'utf8');
  }
}
