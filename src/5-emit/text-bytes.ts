/**
 * Text written straight into UTF-8 bytes, a few tens of kilobytes at a time: the large files are
 * made of tens of thousands of small texts, and joined into one string they cost the garbage
 * collector several times what encoding them as they come does (docs/performance.md).
 */
export class TextBytes {
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

  /** Bytes already encoded (a part several files hold). */
  putBytes(bytes: Uint8Array): void {
    this.flush();
    this.reserve(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** How many bytes are written so far. */
  length(): number {
    this.flush();
    return this.at;
  }

  /** Everything written (a view of the writer's memory: write nothing more after this). */
  bytes(): Buffer {
    this.flush();
    return this.buf.subarray(0, this.at);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.reserve(this.pending.length * 3);
    this.at += this.buf.write(this.pending, this.at, 'utf8');
    this.pending = '';
  }

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.at + n, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
}
