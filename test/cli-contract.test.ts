// The CLI's promises to scripts (issue 20): one exit-code convention for every command (0 yes,
// 1 no, 2 could not), usage errors alike, colour decided per stream, a closed pipe or a full
// device ending quietly. What the README's CLI section and --help state, checked here.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInventory } from '../bench/generate.mjs';
import { colorFor } from '../src/cli/io.js';
import { HELP_AFTER } from '../src/cli/main.js';
import { ROOT } from './support/cases.js';
import { invalidCase, useScratch, validCase } from './support/cli.js';

const BIN = path.join(ROOT, 'bin/hacompile.js');
const valid = validCase;
const invalid = invalidCase;
const work = useScratch();
/** The real bin, as a script runs it (no terminal; the environment given). */
function run(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const env = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...opts.env } as NodeJS.ProcessEnv;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('exit codes: 0 yes, 1 no, 2 could not (item 8)', () => {
  it.each([
    ['check a valid inventory', ['check', '-i', valid('http-round-robin')], 0],
    ['check an invalid inventory', ['check', '-i', invalid('unknown-node')], 1],
    ['build --check on the committed out/', ['build', '--check'], 0],
    ['an unknown option', ['build', '--frobnicate'], 2],
    ['build --serial abc', ['build', '--check', '--serial', 'abc'], 2],
    ['a format build does not support', ['build', '--check', '--format', 'mermaid'], 2],
    ['diff --format it does not support', ['diff', '--format', 'github'], 2],
    ['build --max-removal abc', ['build', '--check', '--max-removal', 'abc'], 2],
    ['diff --max-removal abc', ['diff', '--max-removal', 'abc'], 2],
    ['diff --max-removal 150', ['diff', '--max-removal', '150'], 2],
    ['diff against a ref that does not exist', ['diff', '--against', 'no-such-ref-xyz'], 2],
    ['diff --out a directory that does not exist', ['diff', '--out', '/nonexistent/out'], 2],
    ['what-if without --down', ['what-if'], 2],
    ['what-if --down vps (no kind)', ['what-if', '--down', 'vps'], 2],
    ['what-if --down node:nope', ['what-if', '--down', 'node:nope'], 2],
    ['what-if --format dot', ['what-if', '--down', 'node:vps', '--format', 'dot'], 2],
    ['graph --format json', ['graph', '--format', 'json'], 2],
    ['a missing --inventory folder', ['check', '-i', '/nonexistent/inventory'], 2],
    ['explain with no line', ['explain', 'out/manifest.json'], 2],
    ['explain a fixed-layout line', ['explain', 'out/nodes/vps/caddy/Caddyfile:1'], 1],
  ])('%s', (_, args, code) => {
    const r = run(args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    if (code === 2) expect(r.stderr).toMatch(/^error: /);
    // Every usage error reads alike: `error: ...` and where to find the usage.
    if (code === 2 && !args.includes('no-such-ref-xyz')) expect(r.stderr).toMatch(/^error: [^\n]+\n(?:[\s\S]*\n)?\(run `hacompile help` or `hacompile <command> --help` for usage\)\n$/);
  });

  it('what-if text names no internal names', () => {
    const r = run(['what-if', '--down', 'node:vps']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LOST +the edge \(Caddy\) +no edge node \(Caddy\) left/);
    expect(r.stdout).not.toMatch(/edge caddy/);
    expect(run(['what-if']).stderr).toMatch(/^error: what-if needs at least one --down site:NAME or --down node:NAME/);
  });

  it('diff --out DIR needs no git: 0 for the same tree, 1 for changes', () => {
    const dir = work(valid('http-round-robin'));
    expect(run(['build', '-i', 'inventory', '-o', 'out'], { cwd: dir }).code).toBe(0);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
    const same = run(['diff', '-i', 'inventory', '--out', 'out'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(dir) } });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe('no changes\n');
    const other = run(['diff', '-i', valid('http-backup'), '--out', 'out'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(dir) } });
    expect(other.code, other.stderr).toBe(1);
    expect(other.stdout).toMatch(/^\+\+\+ b\/nodes\//m);
  });

  it('--help states the convention the README states', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(HELP_AFTER.trim());
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const line of HELP_AFTER.trim().split('\n')) expect(readme).toContain(line);
  });
});

describe('colour (item 9)', () => {
  it.each([
    [{}, false, false],
    [{}, true, true],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ TERM: 'dumb' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('%j, terminal %s: colour %s', (env, tty, want) => {
    expect(colorFor({ isTTY: tty }, env)).toBe(want);
  });

  it('is decided per stream: a diff redirected to a file gets no escape, stderr on a terminal keeps its own', () => {
    // stdout to a file, stderr to a terminal (script(1) gives the command a pty for stderr only).
    const dir = work(valid('http-round-robin'));
    expect(run(['build', '-i', 'inventory', '-o', 'out'], { cwd: dir }).code).toBe(0);
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" diff -i "${valid('http-backup')}" --out out > diff.txt; "${process.execPath}" "${BIN}" check -i "${invalid('unknown-node')}"`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm', GIT_CEILING_DIRECTORIES: path.dirname(dir) } as NodeJS.ProcessEnv,
    });
    const file = readFileSync(path.join(dir, 'diff.txt'), 'utf8');
    expect(file).toMatch(/^\+\+\+ b\//m);
    expect(file).not.toContain('\u001b');
    expect(r.stdout).toContain('\u001b['); // the terminal's diagnostics are coloured
  });
});

describe('a closed pipe or a full device (item 9)', () => {
  it('graph | head -1 ends quietly, with the usual code', { timeout: 60_000 }, () => {
    const dir = work();
    writeInventory(2000, path.join(dir, 'inventory'));
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" graph | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toBe('flowchart LR\n');
    expect(r.stderr).toBe('status 0\n');
  });

  it('a full stdout says so once and exits 2; a build whose stderr is closed still completes its tree', { timeout: 60_000 }, async () => {
    const full = run(['graph'], {});
    expect(full.code).toBe(0);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" graph > /dev/full`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: cannot write to standard output: no space left on the device\n');
    // stderr a pipe closed at once: the build writes its whole tree and leaves nothing beside it.
    const dir = work();
    writeInventory(400, path.join(dir, 'inventory'));
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['inventory', 'out']);
    const again = run(['build', '--check'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
  });
});
