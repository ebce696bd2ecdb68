// Golden cases: test/cases/valid/<name>/{inventory/,expected/} and
// test/cases/invalid/<name>/{inventory/,expected.txt}. One feature or one cause per case.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { compile, type CompileResult, type InputFile } from '../../src/index.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CASES = path.join(ROOT, 'test/cases');
export const UPDATE = process.env.UPDATE_GOLDEN === '1';

export function caseNames(kind: 'valid' | 'invalid'): string[] {
  const dir = path.join(CASES, kind);
  return existsSync(dir) ? readdirSync(dir).filter((n) => existsSync(path.join(dir, n, 'inventory'))).sort() : [];
}

/** Inventory files with display paths `inventory/<file>`, as the CLI would name them. */
export function readInventoryDir(dir: string): InputFile[] {
  return fg
    .sync(['**/*.yaml', '**/*.yml'], { cwd: dir })
    .sort()
    .map((f) => ({ path: `inventory/${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
}

export function compileCase(kind: 'valid' | 'invalid', name: string, serial = 2026112300): CompileResult {
  return compile(readInventoryDir(path.join(CASES, kind, name, 'inventory')), { serial });
}

/** Every file of the example's committed out/ tree, with its manifest entry. */
export function committedOut(): { path: string; daemon: string; node: string | null; content: string }[] {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'out/manifest.json'), 'utf8')) as { files: { path: string; daemon: string; node: string | null }[] };
  return manifest.files.map((f) => ({ ...f, content: readFileSync(path.join(ROOT, 'out', f.path), 'utf8') }));
}
