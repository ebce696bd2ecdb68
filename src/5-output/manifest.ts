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

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
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
      sha256: sha256(f.content),
      bytes: Buffer.byteLength(f.content, 'utf8'),
      check: f.check,
      secrets: [...f.secrets].sort(),
    })),
  };
  return { path: MANIFEST, daemon: 'manifest', content: JSON.stringify(manifest, null, 2) + '\n', check: '', secrets: [] };
}
