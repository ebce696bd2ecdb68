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
  /** Served names outside every managed zone: what to set where the domain is registered. */
  registrar?: { name: string; addresses: string[] }[];
  /** The certificates each daemon will ask its ACME CA for (the name plan). */
  certificates?: { daemon: string; node: string; count: number }[];
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest lists every other file with what ships it, checks it and what secrets it needs. */
export function manifestText(files: readonly OutputFile[], inventory: string, summary: Summary, registrar: readonly { name: string; addresses: string[] }[] = [], certificates: readonly { daemon: string; node: string; count: number }[] = []): string {
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
    ...(registrar.length > 0 ? { registrar: registrar.map((r) => ({ name: r.name, addresses: [...r.addresses] })) } : {}),
    ...(certificates.length > 0 ? { certificates: certificates.map((c) => ({ daemon: c.daemon, node: c.node, count: c.count })) } : {}),
    summary,
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}
