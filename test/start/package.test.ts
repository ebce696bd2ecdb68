// The package as a user installs it: `npm pack`'s tarball into an empty folder, then `npx hacompile
// init` and `npx hacompile build` with no arguments. Offline: the tarball needs no dependency (the
// CLI is one bundle), so nothing is fetched.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cases.js';

let dir: string;
let app: string;
const env = { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
const run = (cmd: string, args: string[], cwd = app) => spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hacompile-pack-'));
  app = path.join(dir, 'app');
  mkdirSync(app);
  // `npm test` built dist/ already; the prepare script would build it again.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, env, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(dir, packed[0]!.filename);
  writeFileSync(path.join(app, 'package.json'), '{ "name": "my-platform", "private": true }\n');
  const install = run('npm', ['install', '--no-save', '--omit=dev', tarball]);
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed tarball in an empty folder', () => {
  it('installs without any dependency and runs from node_modules/.bin', () => {
    expect(readFileSync(path.join(app, 'node_modules', 'hacompile', 'package.json'), 'utf8')).not.toContain('"dependencies"');
    const v = run('npx', ['--no-install', 'hacompile', '--version']);
    expect(v.stderr).toBe('');
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('prints its schema, which is also at node_modules/hacompile/schema/', () => {
    const s = run('npx', ['--no-install', 'hacompile', 'schema']);
    expect(s.status).toBe(0);
    expect(s.stdout).toBe(readFileSync(path.join(app, 'node_modules', 'hacompile', 'schema', 'inventory.schema.json'), 'utf8'));
    expect(s.stdout).toBe(readFileSync(path.join(ROOT, 'schema', 'inventory.schema.json'), 'utf8'));
  });

  it('init, then build with no arguments: a compiled out/ and a $schema line that resolves', () => {
    const init = run('npx', ['--no-install', 'hacompile', 'init']);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote inventory/inventory.yaml');
    const inv = readFileSync(path.join(app, 'inventory', 'inventory.yaml'), 'utf8');
    const schema = /\$schema=(\S+)/.exec(inv)![1]!;
    expect(schema).toBe('../node_modules/hacompile/schema/inventory.schema.json');
    expect(existsSync(path.resolve(app, 'inventory', schema))).toBe(true);
    const build = run('npx', ['--no-install', 'hacompile', 'build']);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr).toContain('wrote 2 files to out/');
    expect(build.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(path.join(app, 'out', 'nodes', 'edge1', 'caddy', 'Caddyfile'))).toBe(true);
    expect(run('npx', ['--no-install', 'hacompile', 'build', '--check']).status).toBe(0);
  });
});
