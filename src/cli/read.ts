import { readFile, readdir } from 'node:fs/promises';
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
export async function readInventory(dir: string): Promise<InputFile[]> {
  const names: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (e) {
      // A missing directory holds no files (the caller says "no inventory files found").
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) names.push(r);
    }
  };
  await walk('');
  names.sort();
  const base = displayPath(dir);
  return Promise.all(
    names.map(async (name) => ({
      path: base === '.' ? name : `${base}/${name}`,
      text: await readFile(path.join(dir, name), 'utf8'),
    })),
  );
}
