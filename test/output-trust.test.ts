// What a build may replace (issue 20): only a tree hacompile wrote, never the inventory, never
// through a link; one build at a time; links, FIFOs and mount points get defined behaviour.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInventory } from '../bench/generate.mjs';
import { ROOT } from './support/cases.js';
import { cli, useScratch, validCase } from './support/cli.js';

const BIN = path.join(ROOT, 'bin/hacompile.js');
const valid = validCase;
const work = useScratch();
/** Every entry under `dir` (links and FIFOs as what they are, not followed) with its sha256. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isSymbolicLink()) out[r] = `-> ${readlinkSync(path.join(dir, r))}`;
      else if (!e.isFile()) out[r] = 'special';
      else out[r] = createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex');
    }
  };
  walk('');
  return out;
}
/** Whether `dir` is exactly the tree its manifest lists, byte for byte. */
function matchesManifest(dir: string): boolean {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
  const want: Record<string, string> = { 'manifest.json': tree(dir)['manifest.json']! };
  for (const f of manifest.files) want[f.path] = f.sha256;
  return JSON.stringify(tree(dir)) === JSON.stringify(Object.fromEntries(Object.entries(want).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

describe('never deletes what hacompile did not write (item 1)', () => {
  it('a directory with a manifest.json of its own is refused, and its files stay', async () => {
    const dir = work(valid('http-round-robin'));
    const out = path.join(dir, 'webapp');
    mkdirSync(path.join(out, 'static'), { recursive: true });
    writeFileSync(path.join(out, 'manifest.json'), '{ "name": "my web app", "start_url": "/" }\n');
    writeFileSync(path.join(out, 'index.html'), '<h1>mine</h1>\n');
    writeFileSync(path.join(out, 'static/app.js'), 'alert(1)\n');
    const before = tree(out);
    const run = await cli('build', '-i', path.join(dir, 'inventory'), '-o', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no manifest\.json written by hacompile[^\n]*refusing to replace it/);
    expect(tree(out)).toEqual(before);
  });

  it('a hacompile tree with a file its manifest does not list is refused, naming the file', async () => {
    const dir = work(valid('http-round-robin'));
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
    mkdirSync(path.join(out, 'nodes/n1/private'));
    const before = tree(out);
    const run = await cli('build', '-i', valid('http-backup'), '-o', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${out}/ holds 2 entries its manifest.json does not list (${out}/nodes/n1/private/, ${out}/notes.txt)`);
    expect(tree(out)).toEqual(before);
    expect(existsSync(`${out}.hacompile-new`) || existsSync(`${out}.hacompile-lock`)).toBe(false);
    // A listed file edited by hand is still hacompile's: the build replaces it.
    rmSync(path.join(out, 'notes.txt'));
    rmSync(path.join(out, 'nodes/n1/private'), { recursive: true });
    writeFileSync(path.join(out, 'nodes/n1/traefik/hacompile.yaml'), 'edited\n');
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    expect(matchesManifest(out)).toBe(true);
  });

  it('--out "" is a usage error, and the current directory is untouched', () => {
    const dir = work(valid('http-round-robin'));
    const before = tree(dir);
    const run = spawnSync(process.execPath, [BIN, 'build', '-i', 'inventory', '--out', ''], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: --out must name a directory/);
    expect(tree(dir)).toEqual(before);
  });
});

describe('the inventory and the output never overlap (item 2)', () => {
  it('an inventory inside the output directory is refused, and stays', async () => {
    const dir = work(valid('http-round-robin'));
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    // The inventory moved into the previous output (as when --out names its parent).
    const inv = path.join(dir, 'inventory');
    const run = await cli('build', '-i', inv, '-o', dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the inventory ${inv} is inside the output directory ${dir}: replacing ${dir} would delete it`);
    expect(existsSync(path.join(inv, 'inventory.yaml'))).toBe(true);
    expect((await cli('build', '-i', inv, '-o', inv)).code).toBe(2);
  });

  it('an output directory inside the inventory is refused, and nothing is written', async () => {
    const dir = work(valid('http-round-robin'));
    const inv = path.join(dir, 'inventory');
    const run = await cli('build', '-i', inv, '-o', path.join(inv, 'out'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is inside the inventory [^\n]*: the next build would read its own output/);
    expect(existsSync(path.join(inv, 'out'))).toBe(false);
    // The same through a link to the inventory.
    symlinkSync(inv, path.join(dir, 'link'));
    expect((await cli('build', '-i', inv, '-o', path.join(dir, 'link', 'out'))).code).toBe(2);
  });
});

describe('one build at a time (item 4)', () => {
  it('a build while another holds the lock fails cleanly; a lock left by a killed build is taken over', async () => {
    const dir = work(valid('http-round-robin'));
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    const before = tree(out);
    // A live process holds it (this one).
    writeFileSync(`${out}.hacompile-lock`, `${process.pid}\n`);
    const run = await cli('build', '-i', valid('http-backup'), '-o', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`another hacompile build (process ${process.pid}) is writing ${out}/`);
    expect(tree(out)).toEqual(before);
    // A process that has ended held it.
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(`${out}.hacompile-lock`, `${gone}\n`);
    const again = await cli('build', '-i', valid('http-backup'), '-o', out);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(`${out}.hacompile-lock`)).toBe(false);
    expect(matchesManifest(out)).toBe(true);
  });

  it('concurrent builds into one directory: each either writes its whole tree or fails; the tree always matches its manifest', { timeout: 180_000 }, async () => {
    const dir = work();
    writeInventory(600, path.join(dir, 'a'));
    writeInventory(700, path.join(dir, 'b'));
    const out = path.join(dir, 'out');
    const run = (inv: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'build', '-i', path.join(dir, inv), '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.once('close', (code) => resolve({ code, stderr }));
      });
    const codes: number[] = [];
    for (let pair = 0; pair < 6; pair++) {
      const [a, b] = await Promise.all([run('a'), run('b')]);
      for (const r of [a, b]) {
        codes.push(r.code!);
        if (r.code !== 0) expect(r.stderr).toMatch(/^error: another hacompile build \(process \d+\) is writing/m);
      }
      expect(matchesManifest(out), `pair ${pair}`).toBe(true);
      expect(existsSync(`${out}.hacompile-new`) || existsSync(`${out}.hacompile-lock`)).toBe(false);
    }
    expect(codes.every((c) => c === 0 || c === 2)).toBe(true);
  });
});

describe('links, FIFOs and mount points (item 5)', () => {
  it('--out a symbolic link: its target gets the new tree, whole; the link stays a link', async () => {
    const dir = work(valid('http-round-robin'));
    const real = path.join(dir, 'real');
    expect((await cli('build', '-i', valid('http-backup'), '-o', real)).code).toBe(0);
    symlinkSync('real', path.join(dir, 'out'));
    const run = await cli('build', '-i', path.join(dir, 'inventory'), '-o', path.join(dir, 'out'));
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(path.join(dir, 'out')).isSymbolicLink()).toBe(true);
    expect(matchesManifest(real)).toBe(true);
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', path.join(dir, 'plain'))).code).toBe(0);
    expect(tree(real)).toEqual(tree(path.join(dir, 'plain'))); // none of http-backup's files is left
    expect((await cli('build', '--check', '-i', path.join(dir, 'inventory'), '-o', path.join(dir, 'out'))).code).toBe(0);
    // A link to nowhere is refused.
    symlinkSync('nowhere', path.join(dir, 'dangling'));
    const bad = await cli('build', '-i', path.join(dir, 'inventory'), '-o', path.join(dir, 'dangling'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is a symbolic link to a directory that does not exist/);
  });

  it('a link inside out/ in place of a generated file: --check calls it changed, build replaces it by the file', async () => {
    const dir = work(valid('http-round-robin'));
    const inv = path.join(dir, 'inventory');
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', inv, '-o', out)).code).toBe(0);
    const file = path.join(out, 'nodes/n1/traefik/hacompile.yaml');
    writeFileSync(path.join(dir, 'elsewhere.yaml'), readFileSync(file));
    rmSync(file);
    symlinkSync(path.join(dir, 'elsewhere.yaml'), file);
    const check = await cli('build', '--check', '-i', inv, '-o', out);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/changed +nodes\/n1\/traefik\/hacompile\.yaml/);
    expect((await cli('build', '-i', inv, '-o', out)).code).toBe(0);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(matchesManifest(out)).toBe(true);
    // A link where no generated file goes is not hacompile's: refused, and --check calls it extra.
    symlinkSync('/etc', path.join(out, 'etc'));
    expect((await cli('build', '--check', '-i', inv, '-o', out)).stderr).toMatch(/extra +etc/);
    const run = await cli('build', '-i', inv, '-o', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`(${out}/etc)`);
  });

  it('a FIFO in out/ never hangs a build: replaced where a file goes, refused elsewhere', { timeout: 30_000 }, async () => {
    const dir = work(valid('http-round-robin'));
    const inv = path.join(dir, 'inventory');
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', inv, '-o', out)).code).toBe(0);
    const file = path.join(out, 'nodes/n1/traefik/hacompile.yaml');
    rmSync(file);
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    const build = (...extra: string[]) => spawnSync(process.execPath, [BIN, 'build', '-i', inv, '-o', out, ...extra], { encoding: 'utf8', timeout: 15_000 });
    const check = build('--check');
    expect(check.status, check.stderr).toBe(1);
    expect(check.stderr).toMatch(/changed +nodes\/n1\/traefik\/hacompile\.yaml/);
    const r = build();
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(spawnSync('mkfifo', [path.join(out, 'pipe')]).status).toBe(0);
    const refused = build();
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`(${out}/pipe)`);
  });

  it('--out a mount point: refused before anything is written, with what to do', () => {
    const dir = work(valid('http-round-robin'));
    const script = [
      'mkdir out && mount -t tmpfs tmpfs out || exit 1',
      '"$NODE" "$BIN" build -i inventory -o out --format json > /dev/null 2> first.txt; echo $? > first.code',
      '"$NODE" "$BIN" build -i inventory -o out --format json > /dev/null 2> second.txt; echo $? > second.code',
      'ls -A out > listing.txt',
    ].join('\n');
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE: process.execPath, BIN } });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'first.code'), 'utf8').trim()).toBe('2');
    expect(readFileSync(path.join(dir, "first.txt"), "utf8")).toMatch(/^error: out\/ is a mount point: [^\n]*use a directory inside it \(e\.g\. --out out\/out\)/);
    expect(readFileSync(path.join(dir, 'second.code'), 'utf8').trim()).toBe('2');
    expect(readFileSync(path.join(dir, 'listing.txt'), 'utf8')).toBe('');
    expect(existsSync(path.join(dir, 'out.hacompile-new')) || existsSync(path.join(dir, 'out.hacompile-lock'))).toBe(false);
  });
});
