// The CLI as a user meets it: exit codes, all-or-nothing output, --check, formats, no stack traces.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTree } from '../src/cli/tree.js';
import { generateInventory } from '../bench/generate.mjs';
import { ROOT } from './support/cases.js';
import { cli, invalidCase, useScratch, validCase } from './support/cli.js';

const valid = validCase;
const invalid = invalidCase;
const work = useScratch();
const snapshot = async (dir: string) => Object.fromEntries(await Promise.all((await listTree(dir)).map(async (f) => [f, readFileSync(path.join(dir, f), 'utf8')])));

describe('hacompile build', () => {
  it('writes the tree and the manifest, then reports no changes on a second run', async () => {
    const dir = work(valid('http-backup'));
    const out = path.join(dir, 'out');
    const first = await cli('build', '--inventory', path.join(dir, 'inventory'), '--out', out);
    expect(first.code, first.stderr).toBe(0);
    const files = await listTree(out);
    expect(files).toContain('manifest.json');
    expect(files).toContain('nodes/edge1/caddy/Caddyfile');
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(files.filter((f) => f !== 'manifest.json'));
    const second = await cli('build', '--inventory', path.join(dir, 'inventory'), '--out', out);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/no changes/);
  });

  it('writes only what changed: the other files of the new tree are the previous ones, hard-linked', async () => {
    const dir = work(path.join(ROOT, 'inventory'));
    const inv = path.join(dir, 'inventory');
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', inv, '-o', out)).code).toBe(0);
    const files = await listTree(out);
    const inode = (f: string) => statSync(path.join(out, f)).ino;
    const before = Object.fromEntries(files.map((f) => [f, inode(f)]));
    // Another port for one tcp entry: the HAProxy files and the manifest change, nothing else.
    const file = path.join(inv, 'l4.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('port: 1883', 'port: 1884'));
    const run = await cli('build', '-i', inv, '-o', out);
    expect(run.code, run.stderr).toBe(0);
    const changed = files.filter((f) => inode(f) !== before[f]);
    expect(changed.filter((f) => !f.endsWith('haproxy.cfg'))).toEqual(['manifest.json']);
    expect(changed.length).toBe(4);
    expect(run.stderr).toContain(`wrote ${files.length} files to ${out}/ (4 changed, 0 new, 0 removed)`);
    expect(await listTree(out)).toEqual(files);
    expect(existsSync(`${out}.hacompile-new`) || existsSync(`${out}.hacompile-old`)).toBe(false);
    // What was linked holds what a build from scratch writes.
    const fresh = path.join(dir, 'fresh');
    expect((await cli('build', '-i', inv, '-o', fresh)).code).toBe(0);
    expect(await snapshot(out)).toEqual(await snapshot(fresh));
  });

  it('removes files that are no longer produced', async () => {
    const dir = work(valid('http-round-robin'));
    const inv = path.join(dir, 'inventory');
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', inv, '-o', out)).code).toBe(0);
    expect(existsSync(path.join(out, 'nodes/n2/traefik/hacompile.yaml'))).toBe(true);
    const file = path.join(inv, 'inventory.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('roles: [ingress] }\n  n3', 'roles: [] }\n  n3'));
    const run = await cli('build', '-i', inv, '-o', out);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(out, 'nodes/n2/traefik/hacompile.yaml'))).toBe(false);
    expect(run.stderr).toMatch(/1 removed/);
  });

  // Bad inputs the core must refuse: exit 1, file:line:column, out/ untouched and nothing left
  // beside it, whichever phase (load, validate, check) finds the error.
  it.each([
    ['unknown-node', /inventory\.yaml:12:20: error unknown-reference/],
    ['defined-in-two-files', /b\.yaml:2:3: error duplicate-definition[\s\S]*a\.yaml:10:3: note: first defined here/],
    ['unknown-key-did-you-mean', /inventory\.yaml:13:24: error unknown-key: unknown key "intervall"[\s\S]*did you mean "interval"/],
    ['name-with-newline', /inventory\.yaml:10:3: error invalid-name: "api\\nx"/],
    ['name-with-brace', /inventory\.yaml:10:3: error invalid-name: "api}"/],
    ['l4-duplicate-port', /inventory\.yaml:14:21: error tcp-duplicate-port/],
    ['dns-record-bad-value', /inventory\.yaml:17:41: error dns-record-value/],
    ['mongo-srv-shared', /inventory\.yaml:19:10: error mongo-srv-txt-twice/],
  ])('refuses %s with a placed error and leaves out/ untouched', async (name, message) => {
    const dir = work(invalid(name));
    const out = path.join(dir, 'out');
    // A previous good build in out/.
    expect((await cli('build', '-i', valid('http-round-robin'), '-o', out)).code).toBe(0);
    const before = await snapshot(out);
    const run = await cli('build', '-i', path.join(dir, 'inventory'), '-o', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/nothing was written/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await snapshot(out)).toEqual(before);
    expect(existsSync(`${out}.hacompile-new`)).toBe(false);
  });

  it('an error a rule finds in a large inventory: out/ untouched, nothing left beside it', async () => {
    // 2,000 services, two TCP entries on one port.
    const dir = work();
    const files = generateInventory(2_000);
    for (const f of files) {
      const text = f.path.endsWith('tcp.yaml') ? f.text.replace('port: 20001', 'port: 20000') : f.text;
      mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), text);
    }
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', valid('http-round-robin'), '-o', out)).code).toBe(0);
    const before = await snapshot(out);
    const run = await cli('build', '-i', path.join(dir, 'inventory'), '-o', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/tcp\.yaml:\d+:\d+: error tcp-duplicate-port: tcp entry "tcp-0001" has port 20000/);
    expect(await snapshot(out)).toEqual(before);
    expect(existsSync(`${out}.hacompile-new`)).toBe(false);
    // Into directories that do not exist yet: the thread makes them to write, and they go too.
    const deep = await cli('build', '-i', path.join(dir, 'inventory'), '-o', path.join(dir, 'a', 'b', 'out'));
    expect(deep.code).toBe(1);
    expect(existsSync(path.join(dir, 'a'))).toBe(false);
  });

  it('--strict: a single point of failure found after the files were made is an error, and out/ stays as it was', async () => {
    const dir = work(valid('http-backup'));
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', valid('http-round-robin'), '-o', out)).code).toBe(0);
    const before = await snapshot(out);
    const run = await cli('build', '--strict', '-i', path.join(dir, 'inventory'), '-o', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error spof-/);
    expect(run.stderr).toMatch(/nothing was written/);
    expect(await snapshot(out)).toEqual(before);
    expect(existsSync(`${out}.hacompile-new`)).toBe(false);
    // Without --strict it is a warning, and the build writes.
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    expect(await snapshot(out)).not.toEqual(before);
  });

  it('refuses to replace a directory it did not make', async () => {
    const dir = work(valid('http-round-robin'));
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'precious.txt'), 'mine');
    const run = await cli('build', '-i', path.join(dir, 'inventory'), '-o', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refusing to replace it/);
    expect(readFileSync(path.join(out, 'precious.txt'), 'utf8')).toBe('mine');
  });

  it('puts back a tree left aside by a build killed between its two renames', async () => {
    const dir = work(valid('http-round-robin'));
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    const before = await snapshot(out);
    rmSync(`${out}.hacompile-old`, { recursive: true, force: true });
    // Simulate the instant between the renames: out/ moved aside, the new tree not yet in place.
    spawnSync('mv', [out, `${out}.hacompile-old`]);
    expect((await cli('build', '--check', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(1);
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    expect(await snapshot(out)).toEqual(before);
    expect(existsSync(`${out}.hacompile-old`)).toBe(false);
  });
});

describe('hacompile build --check', () => {
  it('passes on a fresh tree and names every stale file otherwise, writing nothing', async () => {
    const dir = work(valid('http-round-robin'));
    const inv = path.join(dir, 'inventory');
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', inv, '-o', out)).code).toBe(0);
    expect((await cli('build', '--check', '-i', inv, '-o', out)).code).toBe(0);
    writeFileSync(path.join(out, 'nodes/n1/traefik/hacompile.yaml'), 'edited by hand\n');
    writeFileSync(path.join(out, 'stray.txt'), 'x');
    rmSync(path.join(out, 'nodes/edge1/caddy/Caddyfile'));
    const before = await snapshot(out);
    const run = await cli('build', '--check', '-i', inv, '-o', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/changed +nodes\/n1\/traefik\/hacompile\.yaml/);
    expect(run.stderr).toMatch(/missing +nodes\/edge1\/caddy\/Caddyfile/);
    expect(run.stderr).toMatch(/extra +stray\.txt/);
    expect(await snapshot(out)).toEqual(before);
  });

  it('the committed example out/ is up to date with inventory/', async () => {
    const run = await cli('build', '--check', '-i', path.join(ROOT, 'inventory'), '-o', path.join(ROOT, 'out'));
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('hacompile check and formats', () => {
  it('check validates without writing', async () => {
    const dir = work(valid('http-round-robin'));
    const run = await cli('check', '-i', path.join(dir, 'inventory'));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/inventory is valid/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('--format json prints the diagnostics as JSON on stdout', async () => {
    const run = await cli('check', '-i', invalid('unknown-node'), '--format', 'json');
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { diagnostics: { code: string; location: { line: number; column: number } }[] };
    expect(json.diagnostics[0]).toMatchObject({ code: 'unknown-reference', severity: 'error', location: { line: 12, column: 20 } });
  });

  it('--format github prints workflow annotations', async () => {
    const run = await cli('check', '-i', invalid('unknown-node'), '--format', 'github');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=test\/cases\/invalid\/unknown-node\/inventory\/inventory\.yaml,line=12,col=20,endLine=12,endColumn=24,title=unknown-reference::service "api" names node "db-3"/m);
  });

  it('an empty inventory directory is an error, not a crash', async () => {
    const dir = work();
    mkdirSync(path.join(dir, 'inventory'));
    const run = await cli('check', '-i', path.join(dir, 'inventory'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no-inventory/);
  });

  it('a missing inventory directory is a usage error saying it does not exist', async () => {
    const run = await cli('check', '-i', '/nonexistent/inventory');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: the inventory directory \/nonexistent\/inventory does not exist; pass --inventory DIR$/m);
  });

  it('an unknown option exits 2 with usage', async () => {
    const run = await cli('build', '--frobnicate');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option/);
  });
});

describe('hacompile verify', () => {
  it('runs every file\'s check and catches a file edited after the build', async () => {
    const dir = work(valid('http-backup'));
    const out = path.join(dir, 'out');
    expect((await cli('build', '-i', path.join(dir, 'inventory'), '-o', out)).code).toBe(0);
    const ok = await cli('verify', '-o', out);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok +nodes\/edge1\/caddy\/Caddyfile$/m);
    expect(ok.stdout).toMatch(/^ok +nodes\/n1\/traefik\/hacompile\.yaml$/m);
    const file = path.join(out, 'nodes/n1/traefik/hacompile.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('service: web', 'service: nowhere'));
    const bad = await cli('verify', '-o', out, '--daemon', 'traefik');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL +nodes\/n1\/traefik\/hacompile\.yaml\n +changed since it was generated/);
  });
});

describe('the installed bin', () => {
  it('runs from dist/ with the documented exit codes', () => {
    const bin = path.join(ROOT, 'bin/hacompile.js');
    const ok = spawnSync(process.execPath, [bin, 'check', '-i', valid('http-round-robin')], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    const bad = spawnSync(process.execPath, [bin, 'check', '-i', invalid('unknown-node')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown-node\/inventory\/inventory\.yaml:12:20/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/hacompile.js'), '--version'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });
});
