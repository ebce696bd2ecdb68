import { externalNames } from '../3-model/names.js';
import type { Model } from '../3-model/types.js';
import { outputFile, type OutputFile } from '../5-emit/types.js';
import { MANIFEST, manifestText } from './manifest.js';
import { summarize } from './summary.js';

export { MANIFEST, sha256, type Manifest, type ManifestEntry } from './manifest.js';
export { summarize, type Summary } from './summary.js';

/**
 * Phase 6: the emitted files in path order, each ending in a newline, plus the manifest, which
 * names the inventory they were built from (`inventory`: its path relative to the output directory)
 * and sums up what the model serves (`summary`).
 */
export function assemble(files: readonly OutputFile[], inventory: string, model: Model): OutputFile[] {
  const sorted = files
    .map((f) => (f.bytes.length > 0 && f.bytes[f.bytes.length - 1] === 0x0a ? f : { ...f, bytes: Buffer.concat([f.bytes, Buffer.from('\n')]) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.path === sorted[i - 1]!.path) throw new Error(`internal: two emitters wrote ${sorted[i]!.path}`);
  }
  const registrar = externalNames(model.names.names);
  const certificates = model.names.certs;
  return [...sorted, outputFile({ path: MANIFEST, daemon: 'manifest', check: '', secrets: [] }, manifestText(sorted, inventory, summarize(model), registrar, certificates))];
}
