import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../4-emit/types.js';
import { MANIFEST } from '../5-output/index.js';

/** Every file under `dir` as POSIX paths relative to it. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else out.push(r);
    }
  };
  if (existsSync(dir)) await walk('');
  return out.sort();
}

export interface TreeDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

/** How the tree on disk differs from the files a build would write. */
export async function diffTree(dir: string, files: readonly OutputFile[]): Promise<TreeDiff> {
  const onDisk = new Set(await listTree(dir));
  const diff: TreeDiff = { changed: [], added: [], removed: [] };
  for (const f of files) {
    if (!onDisk.has(f.path)) diff.added.push(f.path);
    else if ((await readFile(path.join(dir, f.path), 'utf8')) !== f.content) diff.changed.push(f.path);
    onDisk.delete(f.path);
  }
  diff.removed = [...onDisk].sort();
  return diff;
}

export class NotOurTree extends Error {}

/**
 * Replaces `dir` with exactly `files`, all or nothing. The new tree is written beside it, then
 * swapped in by two renames; a build killed at any point leaves the previous tree (or, in the
 * instant between the renames, `<dir>.hacompile-old`, which the next build puts back).
 */
export async function writeTreeAtomic(dir: string, files: readonly OutputFile[]): Promise<void> {
  const abs = path.resolve(dir);
  const fresh = `${abs}.hacompile-new`;
  const old = `${abs}.hacompile-old`;
  await recover(abs);
  if (existsSync(abs)) {
    const entries = await readdir(abs);
    if (entries.length > 0 && !entries.includes(MANIFEST)) {
      throw new NotOurTree(`${dir} holds files but no ${MANIFEST}, so hacompile did not make it; refusing to replace it (choose another --out, or empty it)`);
    }
    if (!(await stat(abs)).isDirectory()) throw new NotOurTree(`${dir} is not a directory`);
  }
  await rm(fresh, { recursive: true, force: true });
  try {
    const dirs = new Set(files.map((f) => path.dirname(path.join(fresh, f.path))));
    await mkdir(fresh, { recursive: true });
    for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
    for (const f of files) await writeFile(path.join(fresh, f.path), f.content, { encoding: 'utf8', flush: true });
  } catch (e) {
    await rm(fresh, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(abs)) await rename(abs, old);
  await rename(fresh, abs);
  await rm(old, { recursive: true, force: true });
}

/** Puts back a tree left aside by a build that died between its two renames. */
async function recover(abs: string): Promise<void> {
  const old = `${abs}.hacompile-old`;
  if (!existsSync(old)) return;
  if (existsSync(abs)) await rm(old, { recursive: true, force: true });
  else await rename(old, abs);
}
