import { endsWithNewline, outputFile } from '../4-emit/body.js';
import type { OutputFile } from '../4-emit/types.js';
import { manifestFile } from './manifest.js';

export { knownDigest, MANIFEST, recordedDigest, sha256, type Manifest, type ManifestEntry } from './manifest.js';

const NEWLINE = Buffer.from('\n');

/** Phase 5: the emitted files in path order, each ending in a newline, plus the manifest. */
export function assemble(files: readonly OutputFile[], source: string): OutputFile[] {
  const sorted = files
    .map((f) => (endsWithNewline(f.pieces) ? f : outputFile(f, [...f.pieces, NEWLINE])))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.path === sorted[i - 1]!.path) throw new Error(`internal: two emitters wrote ${sorted[i]!.path}`);
  }
  return [...sorted, manifestFile(sorted, source)];
}
