import { createHash } from 'node:crypto';
import { bodyBytes, outputFile } from '../4-emit/body.js';
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

/** Digests worked out elsewhere (the CLI hashes each file on its output thread), by file. */
const known = new WeakMap<OutputFile, string>();

/** Records a file's sha256, computed from its body by other means, for the manifest to use. */
export function knownDigest(f: OutputFile, sha256: string): void {
  known.set(f, sha256);
}

/** The sha256 recorded for a file by knownDigest, if any. */
export function recordedDigest(f: OutputFile): string | undefined {
  return known.get(f);
}

/** A file's sha256 and size in bytes, from its segments. */
function hashed(f: OutputFile): { sha256: string; bytes: number } {
  let sha256 = known.get(f);
  if (sha256 === undefined) {
    const hash = createHash('sha256');
    for (const b of f.body) hash.update(b);
    sha256 = hash.digest('hex');
  }
  return { sha256, bytes: bodyBytes(f.pieces) };
}

/**
 * The manifest lists every other file with what ships it, checks it and what secrets it needs.
 * It is made when first read, so that the digests of its files may be worked out meanwhile.
 */
export function manifestFile(files: readonly OutputFile[], source: string): OutputFile {
  return outputFile({ path: MANIFEST, daemon: 'manifest', check: '', secrets: [] }, () => manifestText(files, source));
}

function manifestText(files: readonly OutputFile[], source: string): string {
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
  return JSON.stringify(manifest, null, 2) + '\n';
}
