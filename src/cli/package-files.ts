import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Files the package ships beside its code (schema/, examples/). This module sits two directories
 * below the package root in src/cli/, dist/cli/ and the bundle's dist/app/ alike.
 */
export const packageRoot = (): string => fileURLToPath(new URL('../../', import.meta.url));

/** The inventory schema the package ships. */
export const schemaFile = (): string => path.join(packageRoot(), 'schema', 'inventory.schema.json');

/** Every file of an examples/ folder (dot files included), as relative POSIX paths and texts, sorted. */
export function exampleFiles(name: string): { path: string; text: string }[] {
  const root = path.join(packageRoot(), 'examples', name);
  const out: { path: string; text: string }[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push({ path: r, text: readFileSync(path.join(root, r), 'utf8') });
    }
  };
  walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
