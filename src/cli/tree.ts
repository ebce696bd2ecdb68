import { existsSync, statSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

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
  // (A file where the tree should be holds no tree; writing it says so.)
  if (existsSync(dir) && statSync(dir).isDirectory()) await walk('');
  return out.sort();
}

/** How the tree on disk differs from the files a build makes (bytes compared), in the build's file order. */
export interface TreeDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

/** Where a build writes its new tree: beside the old one, on the same file system. */
export const freshOf = (abs: string): string => `${abs}.hacompile-new`;
/** Where the old tree waits between the two renames of a swap (the next build puts it back if one is killed there). */
export const oldOf = (abs: string): string => `${abs}.hacompile-old`;

export class NotOurTree extends Error {}

/** The output tree could not be written; the previous tree is still in place. */
export class OutputError extends Error {}

/**
 * Removes the new tree, written or half-written, beside `dir`: `dir` stays as it was. `made` is
 * the outermost of `dir`'s parents that the build made (see missingParent): it goes too.
 */
export async function discard(dir: string, made?: string): Promise<void> {
  await quietly(() => rm(freshOf(path.resolve(dir)), { recursive: true, force: true }));
  if (made !== undefined) await quietly(() => rm(made, { recursive: true, force: true }));
}

/** The outermost of `dir`'s parents that does not exist yet (a build writing `dir` makes it), if any. */
export function missingParent(dir: string): string | undefined {
  let missing: string | undefined;
  for (let d = path.dirname(path.resolve(dir)); !existsSync(d); d = path.dirname(d)) missing = d;
  return missing;
}

async function quietly(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch {
    // Best effort: what is left, the next build removes.
  }
}

/** A file-system error as users read it: what could not be written, why, and that nothing changed. */
export function failed(dir: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  if (!err.code) return err as Error;
  const why: Record<string, string> = {
    ENOSPC: 'the file system is full',
    EDQUOT: 'the disk quota is exhausted',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a file stands where a directory is needed',
    EEXIST: 'a file stands where a directory is needed',
    EISDIR: 'a directory stands where a file is needed',
    EBUSY: 'it is in use (a mount point cannot be replaced; use a directory inside it)',
  };
  const where = err.path ? ` (${err.syscall ?? 'writing'} ${err.path})` : err.syscall ? ` (${err.syscall})` : '';
  return new OutputError(`cannot write ${dir}/: ${why[err.code] ?? err.message} [${err.code}]${where}; ${dir}/ was left as it was`);
}
