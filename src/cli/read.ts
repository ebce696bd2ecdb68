import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { InputFile } from '../1-load/index.js';

/** The inventory as the user names it: a POSIX path relative to the working directory. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), path.resolve(p)) || '.';
  return rel.split(path.sep).join('/');
}

/** Every `*.yaml`/`*.yml` under `dir`, in a stable order, with display paths for diagnostics. */
export async function readInventory(dir: string): Promise<InputFile[]> {
  const names = await fg(['**/*.yaml', '**/*.yml'], { cwd: dir, dot: false, onlyFiles: true, followSymbolicLinks: false });
  names.sort();
  const base = displayPath(dir);
  return Promise.all(
    names.map(async (name) => ({
      path: base === '.' ? name : `${base}/${name}`,
      text: await readFile(path.join(dir, name), 'utf8'),
    })),
  );
}
