// Secrets are names in the inventory; their values never reach out/, a diagnostic or a log.
// The test plants known values in the environment (where deploy tools keep them) and looks for
// them everywhere the compiler writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listTree } from '../src/cli/tree.js';
import { ROOT } from './support/cases.js';
import { cli, scratch } from './support/cli.js';

const PLANTED: Record<string, string> = {
  REDIS_CACHE_PASSWORD: 'planted-redis-4f1c9a',
  VRRP_INGRESS_PASSWORD: 'pl4nt3dV',
};

describe('secrets', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('no planted value appears in out/, in the manifest or in what the CLI prints', async () => {
    const s = scratch(path.join(ROOT, 'inventory'));
    try {
      Object.assign(process.env, PLANTED);
      const out = path.join(s.dir, 'out');
      const run = await cli('build', '-i', path.join(s.dir, 'inventory'), '-o', out);
      expect(run.code, run.stderr).toBe(0);
      const files = await listTree(out);
      expect(files.length).toBeGreaterThan(10);
      const printed = run.stdout + run.stderr;
      for (const value of Object.values(PLANTED)) {
        expect(printed).not.toContain(value);
        for (const f of files) expect(readFileSync(path.join(out, f), 'utf8'), f).not.toContain(value);
      }
      // The names are there instead, and the manifest says which file needs which.
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: { path: string; secrets: string[] }[] };
      const needing = (name: string) => manifest.files.filter((f) => f.secrets.includes(name)).map((f) => f.path);
      expect(needing('REDIS_CACHE_PASSWORD')).toEqual(expect.arrayContaining(['nodes/micklethefickle/haproxy/haproxy.cfg', 'nodes/micklethefickle/redis/cache/sentinel.conf']));
      expect(needing('VRRP_INGRESS_PASSWORD')).toEqual(['nodes/beatapostapita/keepalived/keepalived.conf', 'nodes/micklethefickle/keepalived/keepalived.conf']);
      for (const f of needing('REDIS_CACHE_PASSWORD')) expect(readFileSync(path.join(out, f), 'utf8')).toContain('REDIS_CACHE_PASSWORD');
    } finally {
      s.done();
    }
  });

  it('the environment does not change a single byte', async () => {
    const s = scratch(path.join(ROOT, 'inventory'));
    try {
      const snapshot = async (dir: string) => Promise.all((await listTree(dir)).map((f) => `${f}\n${readFileSync(path.join(dir, f), 'utf8')}`));
      expect((await cli('build', '-i', path.join(s.dir, 'inventory'), '-o', path.join(s.dir, 'a'))).code).toBe(0);
      Object.assign(process.env, PLANTED);
      expect((await cli('build', '-i', path.join(s.dir, 'inventory'), '-o', path.join(s.dir, 'b'))).code).toBe(0);
      expect(await snapshot(path.join(s.dir, 'b'))).toEqual(await snapshot(path.join(s.dir, 'a')));
    } finally {
      s.done();
    }
  });

  it('a value written where a secret name belongs is refused with its place', async () => {
    const s = scratch(path.join(ROOT, 'inventory'));
    try {
      const file = path.join(s.dir, 'inventory/redis.yaml');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, readFileSync(file, 'utf8').replace('{ secret: REDIS_CACHE_PASSWORD }', '"hunter2-value"'));
      const run = await cli('check', '-i', path.join(s.dir, 'inventory'));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/redis\.yaml:\d+:\d+: error wrong-type: redis\.cache\.password must be a mapping/);
    } finally {
      s.done();
    }
  });
});
