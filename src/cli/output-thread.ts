import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { isStamped, stampInto, type Stamped } from '../4-emit/body.js';
import type { OutputFile } from '../4-emit/types.js';
import { knownDigest, MANIFEST } from '../5-output/index.js';
import { failed, freshOf, NotOurTree, oldOf, type TreeDiff } from './tree.js';

/**
 * The second thread of a build. It is sent each generated file as soon as its emitter has made
 * it, while this thread goes on emitting, and for each: works out its sha256 (for the manifest),
 * compares it with the file of the same path in the tree on disk, and (unless only checking)
 * writes it into the new tree beside that one when it differs. At the end it hard-links the
 * unchanged files and writes the manifest there. Its first file, in write mode, first puts back
 * a tree a killed build left aside, refuses a directory hacompile did not make, and removes a
 * half-written new tree. Files come before the last rules have run: when they find an error,
 * the CLI stops the thread and removes the new tree, and the tree on disk is as it was.
 *
 * The bytes are in shared memory (BodyWriter's buffers) or moved, never copied: 130 MB at 10,000
 * services. A stamped piece (body.ts) is made here, into memory reused from file to file, so that
 * the build thread never holds a copy per node. Plain CommonJS, evaluated as is: the thread needs
 * nothing of the bundle but stampInto, whose source is put in.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { out, fresh, old, shown, manifest, write } = workerData;
const chunk = Buffer.allocUnsafe(1 << 20);
const stampInto = (${stampInto.toString()});
/** Where the k-th stamped piece of a file is made (each file is done before the next comes). */
const scratch = [];
const made = new Set();
let onDisk;
let error;
const digests = [];
const states = [];

function refuse(message) {
  const e = new Error(message);
  e.notOurs = true;
  return e;
}

function list(dir) {
  const found = new Set();
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? rel + '/' + e.name : e.name;
      if (e.isDirectory()) walk(r);
      else found.add(r);
    }
  };
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) walk('');
  return found;
}

function prepare() {
  if (write) {
    if (fs.existsSync(old)) {
      if (fs.existsSync(out)) fs.rmSync(old, { recursive: true, force: true });
      else fs.renameSync(old, out);
    }
    if (fs.existsSync(out)) {
      if (!fs.statSync(out).isDirectory()) throw refuse(shown + ' is not a directory');
      const entries = fs.readdirSync(out);
      if (entries.length > 0 && !entries.includes(manifest)) {
        throw refuse(shown + ' holds files but no ' + manifest + ', so hacompile did not make it; refusing to replace it (choose another --out, or empty it)');
      }
    }
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  onDisk = list(out);
}

function directory(d) {
  if (made.has(d)) return;
  if (d === fresh) {
    fs.mkdirSync(path.dirname(fresh), { recursive: true });
    fs.mkdirSync(fresh);
  } else {
    directory(path.dirname(d));
    fs.mkdirSync(d);
  }
  made.add(d);
}

function same(file, body, size) {
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.fstatSync(fd).size !== size) return false;
    let offset = 0;
    for (const segment of body) {
      for (let at = 0; at < segment.length; ) {
        const read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, segment.length - at), offset);
        if (read === 0 || chunk.compare(segment, at, at + read, 0, read) !== 0) return false;
        at += read;
        offset += read;
      }
    }
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

function writeNew(rel, body) {
  const file = path.join(fresh, rel);
  directory(path.dirname(file));
  const fd = fs.openSync(file, 'wx');
  try {
    for (const segment of body) for (let at = 0; at < segment.length; ) at += fs.writeSync(fd, segment, at);
  } catch (e) {
    // (A failed write names no file of its own.)
    if (e.path === undefined) e.path = file;
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

function bytesOf(pieces) {
  let k = 0;
  return pieces.map((p) => {
    if (p instanceof Uint8Array) return p;
    const n = p.to - p.from;
    if (scratch[k] === undefined || scratch[k].length < n) scratch[k] = Buffer.allocUnsafeSlow(n);
    return stampInto(scratch[k++], 0, p);
  });
}

function file(i, rel, pieces) {
  if (onDisk === undefined) prepare();
  const body = bytesOf(pieces);
  const hash = createHash('sha256');
  let size = 0;
  for (const segment of body) {
    hash.update(segment);
    size += segment.length;
  }
  digests[i] = hash.digest('hex');
  const state = onDisk.has(rel) ? (same(path.join(out, rel), body, size) ? 'same' : 'changed') : 'added';
  states[i] = state;
  if (write && state !== 'same') writeNew(rel, body);
}

function finish(keep, manifestBytes) {
  for (const rel of keep) {
    const target = path.join(fresh, rel);
    directory(path.dirname(target));
    try {
      fs.linkSync(path.join(out, rel), target);
    } catch {
      // No hard links here (another file system, or one without them): copy it.
      fs.copyFileSync(path.join(out, rel), target);
    }
  }
  writeNew(manifest, [manifestBytes]);
}

const failure = (e) => ({ message: e.message, code: e.code, path: e.path, syscall: e.syscall, notOurs: e.notOurs === true });

parentPort.on('message', (m) => {
  if (m.kind === 'file') {
    if (error === undefined) {
      try {
        file(m.i, m.path, m.body);
      } catch (e) {
        error = failure(e);
      }
    }
  } else if (m.kind === 'results') {
    if (error === undefined && onDisk === undefined) {
      try {
        prepare();
      } catch (e) {
        error = failure(e);
      }
    }
    parentPort.postMessage({ error, digests, states, onDisk: onDisk ? [...onDisk] : [] });
  } else if (m.kind === 'finish') {
    try {
      finish(m.keep, m.manifest);
      parentPort.postMessage({});
    } catch (e) {
      parentPort.postMessage({ error: failure(e) });
    }
  }
});
`;

interface Failure {
  message: string;
  code?: string;
  path?: string;
  syscall?: string;
  notOurs: boolean;
}

interface Results {
  error?: Failure;
  digests: string[];
  states: ('same' | 'changed' | 'added')[];
  onDisk: string[];
}

export class OutputThread {
  private readonly worker: Worker;
  /** The files sent, in order (the thread answers by index). */
  private readonly sent: OutputFile[] = [];
  /** Who waits for the thread's next answer. */
  private readonly replies: ((m: unknown) => void)[] = [];
  private crashed: Error | undefined;
  /** Unchanged files, to link into the new tree. */
  private keep: string[] = [];
  private manifest: OutputFile | undefined;

  /**
   * @param dir the output directory as the user named it (for messages)
   * @param abs the same, absolute
   * @param write false to compare only (`build --check`): nothing is created, moved or removed
   */
  constructor(
    private readonly dir: string,
    private readonly abs: string,
    write: boolean,
  ) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { out: abs, fresh: freshOf(abs), old: oldOf(abs), shown: dir, manifest: MANIFEST, write } });
    this.worker.on('message', (m) => this.replies.shift()?.(m));
    const stop = (e: Error): void => {
      this.crashed ??= e;
      for (const reply of this.replies.splice(0)) reply({ crashed: true });
    };
    this.worker.on('error', stop);
    this.worker.on('exit', () => stop(new Error('the output thread stopped')));
    // Until someone waits for it, the thread does not keep the process alive.
    this.worker.unref();
  }

  /** Sends a file to the thread (not the manifest, which is made from the others' digests at the end). */
  add(f: OutputFile): void {
    if (f.path === MANIFEST) return;
    // Shared memory is seen by both threads; anything else is moved there as a copy of just its bytes.
    const moved: ArrayBuffer[] = [];
    const share = <T extends Uint8Array | Int32Array>(s: T): T => {
      if (s.buffer instanceof SharedArrayBuffer) return s;
      // (A copy: Buffer's slice() is a view, and moving the memory under it would take it from other Buffers.)
      const copy = (s instanceof Int32Array ? new Int32Array(s) : new Uint8Array(s)) as T;
      moved.push(copy.buffer as ArrayBuffer);
      return copy;
    };
    const body = f.pieces.map((p): Uint8Array | Stamped => (isStamped(p) ? { ...p, base: share(p.base), at: share(p.at), value: share(p.value) } : share(p)));
    this.worker.postMessage({ kind: 'file', i: this.sent.length, path: f.path, body }, moved);
    this.sent.push(f);
  }

  /**
   * Once every file sent is hashed, compared and (in write mode) written: how the tree on disk
   * differs from `files` (all of the build's, the manifest included, whose digests are now known).
   */
  async results(files: readonly OutputFile[]): Promise<TreeDiff> {
    const r = (await this.ask({ kind: 'results' })) as Results;
    if (r.error) throw this.failure(r.error);
    r.digests.forEach((sha256, i) => knownDigest(this.sent[i]!, sha256));
    const state = new Map(this.sent.map((f, i) => [f.path, r.states[i]!]));
    const onDisk = new Set(r.onDisk);
    const diff: TreeDiff = { changed: [], added: [], removed: [] };
    this.keep = [];
    for (const f of files) {
      const s = f.path !== MANIFEST ? state.get(f.path) : !onDisk.has(MANIFEST) ? 'added' : readFileSync(path.join(this.abs, MANIFEST)).equals(Buffer.concat(f.body)) ? 'same' : 'changed';
      if (s === 'changed') diff.changed.push(f.path);
      else if (s === 'added') diff.added.push(f.path);
      else if (s === 'same' && f.path !== MANIFEST) this.keep.push(f.path);
      onDisk.delete(f.path);
    }
    diff.removed = [...onDisk].sort();
    this.manifest = files.find((f) => f.path === MANIFEST);
    return diff;
  }

  /** Completes the new tree beside the old one: the unchanged files linked, the manifest written. */
  async finish(): Promise<void> {
    const manifest = Buffer.concat(this.manifest!.body);
    const r = (await this.ask({ kind: 'finish', keep: this.keep, manifest })) as { error?: Failure };
    if (r.error) throw this.failure(r.error);
  }

  /** Stops the thread; resolves once it has stopped (it writes nothing more). */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  /** Stops the thread, not waiting for it. */
  close(): void {
    void this.stop();
  }

  private ask(message: unknown): Promise<unknown> {
    if (this.crashed) return Promise.reject(this.crashed);
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.replies.push((m) => {
        this.worker.unref();
        if ((m as { crashed?: boolean }).crashed) reject(this.crashed);
        else resolve(m);
      });
      this.worker.postMessage(message);
    });
  }

  private failure(f: Failure): Error {
    if (f.notOurs) return new NotOurTree(f.message);
    return failed(this.dir, Object.assign(new Error(f.message), f.code ? { code: f.code, path: f.path, syscall: f.syscall } : {}));
  }
}
