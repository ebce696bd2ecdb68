// The new entities in the review commands: the semantic diff names a service's middleware
// changes and raises an alarm when a service loses its auth; explain finds a middleware.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { diffModels } from '../src/analysis/model-diff.js';
import { compile } from '../src/index.js';
import { CASES } from './support/cases.js';
import { cli, scratch } from './support/cli.js';

const inventory = (text: string) => compile([{ path: 'inventory/inventory.yaml', text }], { serial: 1 }).model!;
const base = readFileSync(path.join(CASES, 'valid/http-mw-auth/inventory/inventory.yaml'), 'utf8');

describe('semantic diff of middlewares', () => {
  test('a service losing forward auth is an alarm', () => {
    const after = inventory(base.replace('middlewares: [lan-only, sso]', 'middlewares: [lan-only]'));
    const changes = diffModels(inventory(base), after);
    const c = changes.find((x) => x.subject === 'service portainer' && x.text === 'middleware sso removed');
    expect(c?.alarm).toBe('service portainer loses forward_auth sso: it is served without it');
  });
  test('reordering is named, a changed middleware setting too', () => {
    const reordered = inventory(base.replace('middlewares: [lan-only, sso]', 'middlewares: [sso, lan-only]').replace('192.168.0.0/16, ', ''));
    const texts = diffModels(inventory(base), reordered).map((c) => `${c.subject}: ${c.text}`);
    expect(texts).toContain('service portainer: middleware order lan-only, sso → sso, lan-only');
    expect(texts.some((t) => t.startsWith('middleware lan-only: settings'))).toBe(true);
  });
  test('path, upstream and sticky changes are named', () => {
    const a = inventory(base);
    const b = inventory(base.replace('    port: 8080\n    middlewares: [admins]', '    port: 8080\n    middlewares: [admins]\n    path: { prefix: /logs }\n    sticky: { cookie: s }\n    upstream: { scheme: https }'));
    const texts = diffModels(a, b).filter((c) => c.subject === 'service dozzle').map((c) => c.text.split(' ')[0]);
    expect(texts).toEqual(['path', 'upstream', 'sticky']);
  });
});

describe('explain', () => {
  test('resolves a generated middleware line, in Caddy and in Traefik, to the middleware', async () => {
    const s = scratch(path.join(CASES, 'valid/http-mw-auth/inventory'));
    const cwd = process.cwd();
    process.chdir(s.dir);
    try {
      expect((await cli('build')).code).toBe(0);
      for (const [file, marker] of [
        ['out/nodes/edge1/caddy/Caddyfile', 'forward_auth http://100.64.0.9:9091 {'],
        ['out/nodes/n1/traefik/hacompile.yaml', 'forwardAuth:'],
      ] as const) {
        const line = readFileSync(path.join(s.dir, file), 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
        expect(line).toBeGreaterThan(0);
        const run = await cli('explain', `${file}:${line}`);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/from middlewares\.sso$/m);
        expect(run.stdout).toMatch(/^ +\d+ \|   sso:$/m);
      }
    } finally {
      process.chdir(cwd);
      s.done();
    }
  });
});
