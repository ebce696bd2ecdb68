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

/** A file's sha256 and size in bytes, from its segments. */
function hashed(f: OutputFile): { sha256: string; bytes: number } {
  const hash = createHash('sha256');
  for (const b of f.body) hash.update(b);
  return { sha256: hash.digest('hex'), bytes: bodyBytes(f.body) };
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
  return outputFile({ path: MANIFEST, daemon: 'manifest', check: '', secrets: [] }, JSON.stringify(manifest, null, 2) + '\n');
}
