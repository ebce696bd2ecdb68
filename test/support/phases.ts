import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The phase number of a file under `src`: `src/3-model/x.ts` → 3; undefined outside numbered folders. */
function phaseOf(src: string, file: string): number | undefined {
  const m = /^(\d+)-/.exec(path.relative(src, file).split(path.sep)[0]!);
  return m ? Number(m[1]) : undefined;
}

/** Every relative import or re-export of a TypeScript or JavaScript source, static or dynamic. */
const IMPORT = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** The imports under `src` that go from an earlier numbered phase folder to a later one, as `from -> spec`. */
export function upwardImports(src: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(e)) files.push(p);
    }
  };
  walk(src);
  const bad: string[] = [];
  for (const f of files.sort()) {
    const from = phaseOf(src, f);
    if (from === undefined) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      const to = phaseOf(src, path.resolve(path.dirname(f), spec));
      if (to !== undefined && to > from) bad.push(`${path.relative(src, f)} -> ${spec}`);
    }
  }
  return bad;
}
