import { createHash } from 'node:crypto';
import type { OutputFile } from '../5-emit/types.js';
import type { Summary } from './summary.js';

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
  /** The inventory these files were built from, relative to the output directory (POSIX). */
  inventory: string;
  files: ManifestEntry[];
  /** What the files serve (services, zones, VIPs), for the next build's removal guard. */
  summary: Summary;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest lists every other file with what ships it, checks it and what secrets it needs. */
export function manifestText(files: readonly OutputFile[], inventory: string, summary: Summary): string {
  const manifest: Manifest = {
    generator: 'hacompile',
    inventory,
    files: files.map((f) => ({
      path: f.path,
      node: f.node ?? null,
      daemon: f.daemon,
      sha256: sha256(f.bytes),
      bytes: f.bytes.length,
      check: f.check,
      secrets: [...f.secrets].sort(),
    })),
    summary,
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}
