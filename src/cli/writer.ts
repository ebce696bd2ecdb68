import { closeSync, constants, existsSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, realpathSync, renameSync, rmSync, unlinkSync, writeFileSync, copyFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../index.js';
import { MANIFEST, type Summary } from '../6-assemble/index.js';
import { summaryOf } from './removal.js';
import { failed, freshOf, NotOurTree, oldOf, OutputError, type TreeDiff } from './tree.js';
import { UsageError } from './usage.js';

/**
 * A file's bytes. The one place the CLI reads them (the output file type is the core's; when it
 * changes, this line does).
 */
export const bytesOf = (f: OutputFile): Uint8Array => f.bytes;


/** Where a build writes: the directory as the user named it, and the real one behind it. */
export interface Target {
  /** As the user wrote it (messages). */
  shown: string;
  /** Absolute, with a symbolic link given as --out followed to its target (the tree is swapped there). */
  abs: string;
}

/** The lock a writing build holds beside the output directory, so two builds never interleave. */
export const lockOf = (abs: string): string => `${abs}.hacompile-lock`;

/**
 * The output directory of a build: `--out ""` is refused; a symbolic link is followed (its target
 * gets the new tree, the link stays); an output directory inside the inventory, or an inventory
 * inside the output directory, is refused (the next build would read its own output, or this one
 * would delete the inventory it just read).
 */
export function resolveTarget(out: string, inventory: string): Target {
  if (out.trim() === '') throw new UsageError('--out must name a directory (it was empty); to write into the current directory, say --out .');
  let abs = path.resolve(out);
  const stat = lstatOrUndefined(abs);
  if (stat?.isSymbolicLink()) {
    try {
      abs = realpathSync(abs);
    } catch {
      throw new UsageError(`--out ${out} is a symbolic link to a directory that does not exist; create it, or choose another --out`);
    }
  }
  const outReal = realish(abs);
  const invReal = realish(path.resolve(inventory));
  const inside = (a: string, b: string): boolean => a === b || a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
  if (inside(invReal, outReal)) {
    throw new UsageError(`the inventory ${inventory} is inside the output directory ${out}: replacing ${out} would delete it; put the output elsewhere (--out)`);
  }
  if (inside(outReal, invReal)) {
    throw new UsageError(`the output directory ${out} is inside the inventory ${inventory}: the next build would read its own output; put the output elsewhere (--out)`);
  }
  return { shown: out.replace(/\/+$/, '') || '/', abs };
}

/** The real path of `p`, or of its nearest existing parent with the rest appended. */
function realish(p: string): string {
  const rest: string[] = [];
  for (let d = p; ; d = path.dirname(d)) {
    try {
      return path.join(realpathSync(d), ...rest.reverse());
    } catch {
      if (path.dirname(d) === d) return p;
      rest.push(path.basename(d));
    }
  }
}

function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** What is in an output directory: each entry by its POSIX path, with whether it is a regular file. */
interface OnDisk {
  /** Every entry that is not a directory (files, links, FIFOs, sockets, devices). */
  entries: Map<string, 'file' | 'other'>;
  /** Every directory. */
  dirs: string[];
}

function scan(abs: string): OnDisk {
  const entries = new Map<string, 'file' | 'other'>();
  const dirs: string[] = [];
  const st = lstatOrUndefined(abs);
  if (!st || !st.isDirectory()) return { entries, dirs };
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(abs, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      // (Symbolic links are not followed: a link to a directory is one entry, not a tree.)
      if (e.isDirectory()) {
        dirs.push(r);
        walk(r);
      } else entries.set(r, e.isFile() ? 'file' : 'other');
    }
  };
  walk('');
  return { entries, dirs };
}

/** Whether `file` is a regular file holding exactly `bytes` (never follows a link, never opens a FIFO for long). */
function holds(file: string, bytes: Uint8Array, chunk: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== bytes.length) return false;
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, bytes.length - at), at);
      if (n === 0 || chunk.compare(bytes, at, at + n, 0, n) !== 0) return false;
      at += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** The comparison of a build's files with the tree on disk. */
export interface Compared extends TreeDiff {
  /** Paths whose file on disk is already these bytes (hard-linked into the new tree). */
  same: Set<string>;
}

/** How the tree at `abs` differs from `files` (the manifest included), bytes compared, in the files' order. */
export function compareTree(abs: string, files: readonly OutputFile[]): Compared {
  const disk = scan(abs);
  const chunk = Buffer.allocUnsafe(1 << 20);
  const result: Compared = { changed: [], added: [], removed: [], same: new Set() };
  const left = new Set(disk.entries.keys());
  for (const f of files) {
    left.delete(f.path);
    const kind = disk.entries.get(f.path);
    if (kind === undefined) result.added.push(f.path);
    else if (kind === 'file' && holds(path.join(abs, f.path), bytesOf(f), chunk)) result.same.add(f.path);
    else result.changed.push(f.path);
  }
  result.removed = [...left].sort();
  return result;
}

/** What a previous build's manifest says, if the directory holds one hacompile wrote. */
export interface PreviousManifest {
  files: { path: string; daemon?: string; node?: string | null }[];
  /** What that build served (manifests before the removal guard have none). */
  summary?: Summary;
}

/** The manifest.json hacompile wrote in `abs`, or undefined when there is none or it is not hacompile's. */
export function readManifest(abs: string): PreviousManifest | undefined {
  const file = path.join(abs, MANIFEST);
  const st = lstatOrUndefined(file);
  if (!st?.isFile()) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as { generator?: unknown; files?: unknown };
    if (m.generator !== 'hacompile' || !Array.isArray(m.files)) return undefined;
    if (!m.files.every((f: unknown) => typeof f === 'object' && f !== null && typeof (f as { path?: unknown }).path === 'string')) return undefined;
    const summary = summaryOf(m);
    return { files: m.files as PreviousManifest['files'], ...(summary ? { summary } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Refuses a directory hacompile did not write: it must be empty, or hold a manifest.json that
 * hacompile wrote and nothing its manifest does not list (directories that lead to listed files
 * aside). A file edited by hand is still hacompile's (the build replaces it); anything else is not.
 */
export function assertOurs(target: Target): void {
  const st = lstatOrUndefined(target.abs);
  if (!st) return;
  if (!st.isDirectory()) throw new NotOurTree(`${target.shown} is not a directory`);
  const disk = scan(target.abs);
  if (disk.entries.size === 0 && disk.dirs.length === 0) return;
  const manifest = readManifest(target.abs);
  if (!manifest) {
    throw new NotOurTree(`${target.shown}/ holds files but no ${MANIFEST} written by hacompile, so hacompile did not make it; refusing to replace it (choose another --out, or empty it)`);
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  listed.add(MANIFEST);
  const parents = new Set<string>();
  for (const p of listed) for (let d = path.posix.dirname(p); d !== '.'; d = path.posix.dirname(d)) parents.add(d);
  const foreign = [...[...disk.entries.keys()].filter((p) => !listed.has(p)), ...disk.dirs.filter((d) => !parents.has(d)).map((d) => `${d}/`)].sort();
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).map((f) => `${target.shown}/${f}`).join(', ');
    throw new NotOurTree(
      `${target.shown}/ holds ${foreign.length === 1 ? 'an entry' : `${foreign.length} entries`} its ${MANIFEST} does not list (${shown}${foreign.length > 5 ? ', …' : ''}), so hacompile did not write ${foreign.length === 1 ? 'it' : 'them'}; refusing to replace the directory (move ${foreign.length === 1 ? 'it' : 'them'} away, or choose another --out)`,
    );
  }
}

/** Mount points, from /proc/self/mountinfo (none known where it cannot be read). */
function isMountPoint(abs: string): boolean {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return false;
  }
  const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text.split('\n').some((line) => unescape(line.split(' ')[4] ?? '') === abs);
}

/** A lock held by this process (released by `release`, and when the process exits). */
export interface Lock {
  release(): void;
}

/**
 * Takes the lock beside the output directory: a file created exclusively, holding this process's
 * id. A lock whose process is gone (a killed build) is taken over; one whose process runs is
 * another build writing the same directory: this one fails, changing nothing.
 */
export function lock(target: Target): Lock {
  const file = lockOf(target.abs);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        process.off('exit', release);
        try {
          if (readFileSync(file, 'utf8') === `${process.pid}\n`) unlinkSync(file);
        } catch {
          // Gone already.
        }
      };
      process.on('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw failed(target.shown, e);
    }
    const pid = Number(readOr(file).trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new OutputError(`another hacompile build (process ${pid}) is writing ${target.shown}/; ${target.shown}/ was left as it was (run this build again when that one has ended)`);
    }
    // A build that was killed left its lock: take it over.
    try {
      unlinkSync(file);
    } catch {
      // Another build took it over first; the next attempt sees its lock.
    }
  }
  throw new OutputError(`another hacompile build is writing ${target.shown}/; ${target.shown}/ was left as it was`);
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Before a build writes (with the lock held): puts back a tree a build killed between its two
 * renames left aside, removes a half-written new tree, and refuses a mount point or a directory
 * hacompile did not write.
 */
export function prepare(target: Target): void {
  const { abs } = target;
  const old = oldOf(abs);
  if (lstatOrUndefined(old)) {
    if (lstatOrUndefined(abs)) rmSync(old, { recursive: true, force: true });
    else renameSync(old, abs);
  }
  rmSync(freshOf(abs), { recursive: true, force: true });
  if (existsSync(abs) && isMountPoint(abs)) {
    throw new NotOurTree(`${target.shown}/ is a mount point: a build swaps in a whole new directory, which cannot replace a mount point; use a directory inside it (e.g. --out ${target.shown}/out)`);
  }
  assertOurs(target);
}

/**
 * Writes the new tree beside the old one: the changed and new files written, the unchanged ones
 * hard-linked (copied where links are not possible), then swaps it in with two renames. A build
 * killed at any point leaves the previous tree (or, between the renames, `<dir>.hacompile-old`,
 * which the next build puts back). Files are not fsync'ed: `hacompile verify` or `build --check`
 * shows a tree damaged by a machine crash, and a rebuild repairs it.
 */
export function writeTree(target: Target, files: readonly OutputFile[], compared: Compared): void {
  const { abs } = target;
  const fresh = freshOf(abs);
  const old = oldOf(abs);
  const made = new Set<string>();
  const dir = (d: string): void => {
    if (made.has(d)) return;
    if (d !== fresh) dir(path.dirname(d));
    mkdirSync(d);
    made.add(d);
  };
  try {
    for (const f of files) {
      const to = path.join(fresh, f.path);
      dir(path.dirname(to));
      if (compared.same.has(f.path)) {
        try {
          linkSync(path.join(abs, f.path), to);
          continue;
        } catch {
          // No hard links here (another file system, or one without them): copy it.
          copyFileSync(path.join(abs, f.path), to);
          continue;
        }
      }
      writeWhole(to, bytesOf(f));
    }
  } catch (e) {
    rmSync(fresh, { recursive: true, force: true });
    throw failed(target.shown, e);
  }
  try {
    if (lstatOrUndefined(abs)) renameSync(abs, old);
    renameSync(fresh, abs);
  } catch (e) {
    // Put the previous tree back if it was moved aside, and drop the new one.
    if (!lstatOrUndefined(abs) && lstatOrUndefined(old)) quietly(() => renameSync(old, abs));
    quietly(() => rmSync(fresh, { recursive: true, force: true }));
    throw failed(target.shown, e);
  }
  quietly(() => rmSync(old, { recursive: true, force: true }));
}

function writeWhole(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, 'wx');
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  } catch (e) {
    // (A failed write names no file of its own.)
    const err = e as NodeJS.ErrnoException;
    if (err.path === undefined) err.path = file;
    throw err;
  } finally {
    closeSync(fd);
  }
}

function quietly(step: () => unknown): void {
  try {
    step();
  } catch {
    // Best effort: what is left, the next build removes.
  }
}
