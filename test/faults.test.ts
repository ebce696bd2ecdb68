// The output tree under faults, with the real CLI (bin/hacompile.js, which runs dist/: `npm test`
// builds it first). A build killed at any moment leaves the previous tree whole (or, killed
// between its two renames, beside it, where the next build puts it back); a read-only, immutable
// or full target, or a file where a directory should be, gives a clear error and changes nothing.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeInventory } from '../bench/generate.mjs';
import { ROOT } from './support/cases.js';

const BIN = process.env.HACOMPILE_BIN ?? path.join(ROOT, 'bin/hacompile.js');
// (The builds swap a 2000-service tree for a 400-service one on purpose: past the removal guard.)
const SERIAL = ['--serial', '2026112300', '--allow-removal'];

let work: string;
const invA = () => path.join(work, 'inv-a');
const invB = () => path.join(work, 'inv-b');

/** Every file under `dir` with its sha256: a tree's identity. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex');
    }
  };
  walk('');
  return out;
}

function build(inventory: string, out: string, ...extra: string[]) {
  return spawnSync(process.execPath, [BIN, 'build', '-i', inventory, '-o', out, ...SERIAL, ...extra], { encoding: 'utf8', cwd: work });
}

/** Runs `script` (sh) in its own mount namespace, where it may mount what it likes. */
function inMountNamespace(script: string) {
  return spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', cwd: work, env: { ...process.env, NODE: process.execPath, BIN } });
}

let treeA: Record<string, string>;
let treeB: Record<string, string>;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'hacompile-faults-'));
  writeInventory(400, invA());
  writeInventory(2000, invB());
  for (const [inv, out] of [
    [invA(), 'ref-a'],
    [invB(), 'ref-b'],
  ] as const) {
    const r = build(inv, path.join(work, out));
    expect(r.status, r.stderr).toBe(0);
  }
  treeA = snapshot(path.join(work, 'ref-a'));
  treeB = snapshot(path.join(work, 'ref-b'));
  expect(treeA).not.toEqual(treeB);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a killed build', () => {
  it('leaves the previous tree whole, at every moment it can be killed', { timeout: 300_000 }, async () => {
    const out = path.join(work, 'out-kill');
    const fresh = `${out}.hacompile-new`;
    const old = `${out}.hacompile-old`;
    const landed = new Set<string>();
    rmSync(out, { recursive: true, force: true });
    expect(build(invA(), out).status).toBe(0);
    // Each round replaces the tree in place by the other inventory's: A, B, A, ...
    let [previous, next, nextInv] = [treeA, treeB, invB()];
    // Delays after the new tree appears beside the old one: before, during and after the writes.
    for (const delay of [-1, 0, 2, 5, 10, 20, 40, 60, 90, 130, 200, 400]) {
      const child = spawn(process.execPath, [BIN, 'build', '-i', nextInv, '-o', out, ...SERIAL], { stdio: 'ignore', cwd: work });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      let done = false;
      void exited.then(() => (done = true));
      if (delay >= 0) {
        while (!existsSync(fresh) && !done) await new Promise((r) => setTimeout(r, 1));
        await new Promise((r) => setTimeout(r, delay));
      } else await new Promise((r) => setTimeout(r, 150));
      const writing = existsSync(fresh);
      child.kill('SIGKILL');
      await exited;
      if (existsSync(out)) {
        // The previous tree, or (killed after the swap) the new one: never a mix.
        const now = snapshot(out);
        const which = JSON.stringify(now) === JSON.stringify(previous) ? 'previous' : JSON.stringify(now) === JSON.stringify(next) ? 'new' : 'MIXED';
        expect(which, `killed ${delay} ms into the write`).not.toBe('MIXED');
        landed.add(writing ? `while writing, ${which} tree in place` : `${which} tree in place`);
      } else {
        // Killed between the renames: the previous tree waits beside it, whole.
        expect(snapshot(old)).toEqual(previous);
        landed.add('between the renames');
      }
      // The next build puts everything right: the new tree, nothing left beside it.
      const again = build(nextInv, out);
      expect(again.status, again.stderr).toBe(0);
      expect(snapshot(out)).toEqual(next);
      expect(existsSync(fresh) || existsSync(old)).toBe(false);
      [previous, next, nextInv] = next === treeB ? [treeB, treeA, invA()] : [treeA, treeB, invB()];
    }
    // Some kills did land in the middle of writing the new tree.
    expect([...landed].some((l) => l.startsWith('while writing, previous'))).toBe(true);
  });

  it('between its two renames: the next build puts the previous tree back, then replaces it', () => {
    const out = path.join(work, 'out-renames');
    expect(build(invA(), out).status).toBe(0);
    // The state a build killed between `out → out.hacompile-old` and `new → out` leaves.
    renameSync(out, `${out}.hacompile-old`);
    mkdirSync(`${out}.hacompile-new/nodes`, { recursive: true });
    writeFileSync(`${out}.hacompile-new/nodes/half-written`, 'x');
    const check = build(invB(), out, '--check');
    expect(check.status).toBe(1); // nothing in place yet: every file is missing
    const r = build(invB(), out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote \d+ files/);
    expect(snapshot(out)).toEqual(treeB);
    expect(existsSync(`${out}.hacompile-old`) || existsSync(`${out}.hacompile-new`)).toBe(false);
  });
});

describe('an unusable target', () => {
  it('on a read-only file system: a clear error, nothing changed', () => {
    const dir = path.join(work, 'ro');
    mkdirSync(dir, { recursive: true });
    expect(build(invA(), path.join(dir, 'out')).status).toBe(0);
    const before = snapshot(path.join(dir, 'out'));
    const r = inMountNamespace(`mount --bind -o ro ${dir} ${dir} && "$NODE" "$BIN" build -i ${invB()} -o ${dir}/out --serial 2026112300; echo "exit=$?"`);
    expect(r.stdout).toMatch(/exit=2/);
    expect(r.stderr).toMatch(/^error: cannot write .*\/out\/: the file system is read-only \[EROFS\] .*; .*\/out\/ was left as it was$/m);
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('in an immutable directory (chattr +i): a clear error, nothing changed', () => {
    const dir = path.join(work, 'immutable');
    mkdirSync(dir, { recursive: true });
    expect(build(invA(), path.join(dir, 'out')).status).toBe(0);
    const before = snapshot(path.join(dir, 'out'));
    const lock = spawnSync('chattr', ['+i', dir], { encoding: 'utf8' });
    expect(lock.status, `chattr +i: ${lock.stderr}`).toBe(0);
    try {
      const r = build(invB(), path.join(dir, 'out'));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: cannot write .*\/out\/: operation not permitted \[EPERM\] .*; .*\/out\/ was left as it was$/m);
    } finally {
      spawnSync('chattr', ['-i', dir]);
    }
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('a file where the output directory should be, or where one of its parents should be', () => {
    const file = path.join(work, 'a-file');
    writeFileSync(file, 'not a directory\n');
    const r = build(invA(), file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*a-file is not a directory$/m);
    const below = build(invA(), path.join(file, 'out'));
    expect(below.status).toBe(2);
    expect(below.stderr).toMatch(/^error: cannot write .*a-file\/out\/: a file stands where a directory is needed \[ENOTDIR\]/m);
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
  });

  it('on a full file system: a clear error, the previous tree whole, nothing left beside it', () => {
    const dir = path.join(work, 'full');
    mkdirSync(dir, { recursive: true });
    // Room for the previous tree (in 4 KiB pages) and a fraction of the next one.
    const pages = Object.keys(treeA).reduce((n, f) => n + Math.ceil(readFileSync(path.join(work, 'ref-a', f)).length / 4096), 0);
    const size = pages * 4 + 1024;
    const r = inMountNamespace(
      [
        `mount -t tmpfs -o size=${size}k tmpfs ${dir}`,
        `"$NODE" "$BIN" build -i ${invA()} -o ${dir}/out --serial 2026112300 2>/dev/null; echo "first=$?"`,
        `(cd ${dir}/out && find . -type f | sort | xargs sha256sum) > ${work}/full-before`,
        `"$NODE" "$BIN" build -i ${invB()} -o ${dir}/out --serial 2026112300; echo "second=$?"`,
        `(cd ${dir}/out && find . -type f | sort | xargs sha256sum) > ${work}/full-after`,
        `ls -a ${dir} > ${work}/full-ls`,
      ].join('; '),
    );
    expect(r.stdout).toMatch(/first=0/);
    expect(r.stdout).toMatch(/second=2/);
    expect(r.stderr).toMatch(/^error: cannot write .*\/out\/: the file system is full \[ENOSPC\] .*; .*\/out\/ was left as it was$/m);
    const before = readFileSync(path.join(work, 'full-before'), 'utf8');
    expect(before.split('\n').filter(Boolean).length).toBe(Object.keys(treeA).length);
    expect(readFileSync(path.join(work, 'full-after'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(work, 'full-ls'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['.', '..', 'out']);
  });
});
