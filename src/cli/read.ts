import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { InputFile } from '../1-load/index.js';

/** The inventory as the user names it: a POSIX path relative to the working directory. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), path.resolve(p)) || '.';
  return rel.split(path.sep).join('/');
}

/**
 * Every `.yaml` and `.yml` file below `dir` (regular files only; no dot files or dot directories;
 * symbolic links not followed), in a stable order, with display paths for diagnostics.
 */
export function readInventory(dir: string): InputFile[] {
  const names: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch (e) {
      // A missing directory holds no files (the caller says "no inventory files found").
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) names.push(r);
    }
  };
  walk('');
  names.sort();
  const base = displayPath(dir);
  return names.map((name) => ({ path: base === '.' ? name : `${base}/${name}`, text: readFileSync(path.join(dir, name), 'utf8') }));
}
