import { Worker } from 'node:worker_threads';
import { bodyBytes } from '../4-emit/body.js';
import type { OutputFile } from '../4-emit/types.js';
import { knownDigest, MANIFEST } from '../5-output/index.js';

/** Below this much output, a second thread costs more to start than hashing on this one. */
const WORTH_A_THREAD = 16 << 20;

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
 * Hashes the large files of a build on a second thread while this one compares and writes them
 * (their bytes are in shared memory: nothing is copied), and records each digest for the
 * manifest. Resolves, with how many files it hashed, once every digest is in, or at once when the
 * output is small. Should the thread fail, the manifest hashes what it lacks itself: the result is
 * the same either way.
 */
export function hashAside(files: readonly OutputFile[]): Promise<number> {
  const large = files.filter((f) => f.path !== MANIFEST && bodyBytes(f.body) >= 1 << 20);
  if (large.reduce((n, f) => n + bodyBytes(f.body), 0) < WORTH_A_THREAD) return Promise.resolve(0);
  return new Promise((resolve) => {
    let hashed = 0;
    const worker = new Worker(WORKER, { eval: true });
    const done = (): void => {
      void worker.terminate();
      resolve(hashed);
    };
    worker.on('message', ({ i, sha256 }: { i: number; sha256: string }) => {
      knownDigest(large[i]!, sha256);
      if (++hashed === large.length) done();
    });
    worker.on('error', done);
    worker.on('exit', () => resolve(hashed));
    large.forEach((f, i) => worker.postMessage({ i, body: f.body }));
  });
}
