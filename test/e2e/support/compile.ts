// Compiles the e2e inventory through the library API and writes the generated tree to a temp dir.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { compile, type Model, type OutputFile } from '../../../src/index.js';

export const E2E_DIR = path.resolve(import.meta.dirname, '..');
export const INVENTORY_DIR = path.join(E2E_DIR, 'inventory');
export const SUPPORT_DIR = path.join(E2E_DIR, 'support');

export interface Compiled {
  model: Model;
  files: OutputFile[];
  /** Where the tree was written. */
  outDir: string;
  /** Absolute path of the generated file of `daemon` on `node` whose path ends in `suffix`. */
  file(node: string, daemon: string, suffix?: string): string;
}

/** `inventoryDir`: another scenario's inventory (default: test/e2e/inventory). */
export function compileE2e(outDir: string, inventoryDir = INVENTORY_DIR): Compiled {
  const inputs = fg
    .sync(['*.yaml'], { cwd: inventoryDir })
    .sort()
    .map((f) => ({ path: `inventory/${f}`, text: readFileSync(path.join(inventoryDir, f), 'utf8') }));
  const result = compile(inputs, { serial: 1 });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.model) {
    throw new Error(`the e2e inventory does not compile:\n${errors.map((d) => `${d.code}: ${d.message}`).join('\n')}`);
  }
  for (const f of result.files) {
    const target = path.join(outDir, f.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.bytes.toString());
  }
  const files = result.files;
  return {
    model: result.model,
    files,
    outDir,
    file(node, daemon, suffix = '') {
      const hits = files.filter((f) => f.node === node && f.daemon === daemon && f.path.endsWith(suffix));
      if (hits.length !== 1) throw new Error(`expected one ${daemon} file${suffix ? ` ending in ${suffix}` : ''} for node ${node}, got ${hits.map((h) => h.path).join(', ') || 'none'}`);
      return path.join(outDir, hits[0]!.path);
    },
  };
}
