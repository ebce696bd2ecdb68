import { createHash } from 'node:crypto';
import type { OutputFile } from '../4-emit/types.js';

export const MANIFEST = 'manifest.json';

export interface ManifestEntry {
  path: string;
  node: string | null;
  daemon: string;
  sha256: string;
  bytes: number;
  check: string;
  secrets: string[];
}

export interface Manifest {
  generator: 'hacompile';
  source: string;
  files: ManifestEntry[];
}

export function sha256(text: string | Uint8Array): string {
  return typeof text === 'string' ? createHash('sha256').update(text, 'utf8').digest('hex') : createHash('sha256').update(text).digest('hex');
}

/**
 * Encodes text as UTF-8 into a reusable buffer and returns a view of it, valid until the same
 * buffer is used again. At 10,000 services the output is 130 MB: encoding it into fresh memory
 * costs four times more than into memory already touched (page faults), and keeping every file's
 * bytes would double the peak memory.
 */
export class Encoder {
  private buf = Buffer.allocUnsafe(0);

  encode(text: string): Buffer {
    const n = Buffer.byteLength(text, 'utf8');
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
    this.buf.write(text, 0, n, 'utf8');
    return this.buf.subarray(0, n);
  }
}

const encoder = new Encoder();

/** A file's sha256 and size in bytes. */
function hashed(f: OutputFile): { sha256: string; bytes: number } {
  const bytes = encoder.encode(f.content);
  return { sha256: sha256(bytes), bytes: bytes.length };
}

/** The manifest lists every other file with what ships it, checks it and what secrets it needs. */
export function manifestFile(files: readonly OutputFile[], source: string): OutputFile {
  const manifest: Manifest = {
    generator: 'hacompile',
    source,
    files: files.map((f) => ({
      path: f.path,
      node: f.node ?? null,
      daemon: f.daemon,
      ...hashed(f),
      check: f.check,
      secrets: [...f.secrets].sort(),
    })),
  };
  return { path: MANIFEST, daemon: 'manifest', content: JSON.stringify(manifest, null, 2) + '\n', check: '', secrets: [] };
}
