import { closeSync, copyFileSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../index.js';
import { MANIFEST } from '../6-assemble/index.js';
import { freshOf, NotOurTree, oldOf, type TreeDiff } from './tree.js';

/** A generated file's bytes (the one place the CLI reads them). */
export const bytesOf = (f: OutputFile): Uint8Array => f.bytes;

/**
 * Before a build looks at the tree on disk: puts back a tree a killed build left aside between
 * its two renames, refuses a directory hacompile did not make, and removes a half-written new
 * tree. Changes nothing when `write` is false (`build --check`).
 */
export function prepareTree(shown: string, abs: string, write: boolean): void {
  if (!write) return;
  const old = oldOf(abs);
  if (existsSync(old)) {
    if (existsSync(abs)) rmSync(old, { recursive: true, force: true });
    else renameSync(old, abs);
  }
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new NotOurTree(`${shown} is not a directory`);
    const entries = readdirSync(abs);
    if (entries.length > 0 && !entries.includes(MANIFEST)) {
      throw new NotOurTree(`${shown} holds files but no ${MANIFEST}, so hacompile did not make it; refusing to replace it (choose another --out, or empty it)`);
    }
  }
  rmSync(freshOf(abs), { recursive: true, force: true });
}

/** Every file under `dir`, as POSIX paths relative to it (none when it is not a directory). */
function filesUnder(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else found.add(r);
    }
  };
  if (existsSync(dir) && statSync(dir).isDirectory()) walk('');
  return found;
}

/** Whether the file at `file` holds exactly `bytes`. */
function same(file: string, bytes: Uint8Array): boolean {
  const fd = openSync(file, 'r');
  try {
    if (fstatSync(fd).size !== bytes.length) return false;
    const chunk = Buffer.allocUnsafe(Math.min(bytes.length, 1 << 20));
    for (let at = 0; at < bytes.length; ) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, bytes.length - at), at);
      if (read === 0 || chunk.compare(bytes, at, at + read, 0, read) !== 0) return false;
      at += read;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** How the tree at `abs` differs from `files` (bytes compared), in the build's file order. */
export function compareTree(abs: string, files: readonly OutputFile[]): TreeDiff {
  const onDisk = filesUnder(abs);
  const diff: TreeDiff = { changed: [], added: [], removed: [] };
  for (const f of files) {
    if (!onDisk.has(f.path)) diff.added.push(f.path);
    else if (!same(path.join(abs, f.path), bytesOf(f))) diff.changed.push(f.path);
    onDisk.delete(f.path);
  }
  diff.removed = [...onDisk].sort();
  return diff;
}

/**
 * Writes the new tree beside the one at `abs`: the changed and new files written, the unchanged
 * ones hard-linked (copied where links cannot be made). tree.ts's swapIn then puts it in place.
 */
export function writeFresh(abs: string, files: readonly OutputFile[], diff: TreeDiff): void {
  const fresh = freshOf(abs);
  const rewritten = new Set([...diff.changed, ...diff.added]);
  mkdirSync(path.dirname(fresh), { recursive: true });
  const made = new Set<string>();
  const directory = (d: string): void => {
    if (made.has(d)) return;
    if (d !== fresh) directory(path.dirname(d));
    mkdirSync(d);
    made.add(d);
  };
  for (const f of files) {
    const target = path.join(fresh, f.path);
    directory(path.dirname(target));
    if (!rewritten.has(f.path)) {
      try {
        linkSync(path.join(abs, f.path), target);
      } catch {
        copyFileSync(path.join(abs, f.path), target);
      }
      continue;
    }
    const fd = openSync(target, 'wx');
    try {
      const bytes = bytesOf(f);
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    } catch (e) {
      // (A failed write names no file of its own.)
      const err = e as NodeJS.ErrnoException;
      if (err.path === undefined) err.path = target;
      throw err;
    } finally {
      closeSync(fd);
    }
  }
}
