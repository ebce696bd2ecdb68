import { Worker } from 'node:worker_threads';
import { bodyBytes } from '../4-emit/body.js';
import type { OutputFile } from '../4-emit/types.js';
import { knownDigest, MANIFEST } from '../5-output/index.js';

/** Files this large are hashed on the second thread; smaller ones cost less to hash here than to send. */
const LARGE = 4 << 20;

/** The second thread: sha256 of each file it is sent, segment by segment. */
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ i, body }) => {
  const hash = createHash('sha256');
  for (const segment of body) hash.update(segment);
  parentPort.postMessage({ i, sha256: hash.digest('hex') });
});
`;

/**
 * Hashes the large files of a build on a second thread, from the moment each emitter has made
 * them, while this thread goes on emitting, compares and writes (their bytes are in shared memory:
 * nothing is copied); each digest is recorded for the manifest. The thread starts with the first
 * large file, so a small build never starts it. Should it fail, the manifest hashes what it lacks
 * itself: the result is the same either way.
 */
export class HashAside {
  private worker: Worker | undefined;
  private sent: OutputFile[] = [];
  private hashed = 0;
  private failed = false;
  private settle: (() => void) | undefined;

  /** Sends the large ones among `files` to the second thread. */
  add(files: readonly OutputFile[]): void {
    for (const f of files) {
      if (this.failed || f.path === MANIFEST || bodyBytes(f.body) < LARGE) continue;
      this.post(f);
    }
  }

  /** Resolves, with how many files the second thread hashed, once every file sent is back. */
  done(): Promise<number> {
    if (this.worker === undefined) return Promise.resolve(0);
    // Waited for from here on: the thread keeps the process alive until it is through.
    this.worker.ref();
    return new Promise((resolve) => {
      this.settle = () => {
        void this.worker?.terminate();
        resolve(this.hashed);
      };
      if (this.failed || this.hashed === this.sent.length) this.settle();
    });
  }

  private post(f: OutputFile): void {
    if (this.worker === undefined) {
      const worker = new Worker(WORKER, { eval: true });
      worker.on('message', ({ i, sha256 }: { i: number; sha256: string }) => {
        knownDigest(this.sent[i]!, sha256);
        if (++this.hashed === this.sent.length) this.settle?.();
      });
      const stop = (): void => {
        this.failed = true;
        this.settle?.();
      };
      worker.on('error', stop);
      worker.on('exit', stop);
      // Until someone waits for it, the thread does not keep the process alive (a build that
      // fails on the way does not hang on it).
      worker.unref();
      this.worker = worker;
    }
    this.worker.postMessage({ i: this.sent.length, body: f.body });
    this.sent.push(f);
  }
}
