// `hacompile diff` in a throwaway git repository: a one-line inventory change prints the semantic
// line and the file diffs and exits 2; no change exits 0.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './support/cases.js';
import { cli, scratch } from './support/cli.js';

describe('hacompile diff', () => {
  const s = scratch(path.join(CASES, 'valid/http-round-robin/inventory'));
  const dir = s.dir;
  const cwd = process.cwd();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  beforeAll(async () => {
    process.chdir(dir);
    git('init', '-q');
    git('config', 'user.email', 'test@example.org');
    git('config', 'user.name', 'test');
    expect((await cli('build')).code).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'base');
  });
  afterAll(() => {
    process.chdir(cwd);
    s.done();
  });

  it('exits 0 when nothing changed', async () => {
    const run = await cli('diff');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('no changes\n');
  });

  it('after a one-line change: the semantic line, then the file diffs, exit 2', async () => {
    const file = path.join(dir, 'inventory/inventory.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace('backends: [n1, n2, n3]', 'backends: [n1, n2]'));
    try {
      const run = await cli('diff');
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout.split('\n')[0]).toBe('  service web: backend n3 removed');
      expect(run.stdout).toMatch(/^--- a\/nodes\/edge1\/caddy\/Caddyfile/m);
      expect(run.stdout).toMatch(/^-\t\tto 100\.64\.0\.1:8080 100\.64\.0\.2:8080 100\.64\.0\.3:8080$/m);
      expect(run.stdout).toMatch(/^\+\t\tto 100\.64\.0\.1:8080 100\.64\.0\.2:8080$/m);
      const json = JSON.parse((await cli('diff', '--format', 'json')).stdout) as { changes: { text: string }[]; files: { path: string; status: string }[] };
      expect(json.changes.map((c) => c.text)).toEqual(['backend n3 removed']);
      expect(json.files.find((f) => f.path === 'nodes/edge1/caddy/Caddyfile')?.status).toBe('changed');
    } finally {
      writeFileSync(file, before);
    }
  });

  it('calls out a change that removes most of a service\'s backends', async () => {
    const file = path.join(dir, 'inventory/inventory.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace('backends: [n1, n2, n3]', 'backends: [n1]'));
    try {
      const run = await cli('diff');
      expect(run.code).toBe(2);
      expect(run.stdout.split('\n')[0]).toBe('! service web loses 2 of 3 backends');
    } finally {
      writeFileSync(file, before);
    }
  });

  it('names a missing ref clearly', async () => {
    const run = await cli('diff', '--against', 'no-such-ref');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read no-such-ref/);
  });
});
