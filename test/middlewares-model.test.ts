// The new entities in the review commands: the semantic diff names a service's middleware
// changes and raises an alarm when a service loses its auth; explain finds a middleware.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { diffModels } from '../src/analysis/model-diff.js';
import { compile } from '../src/index.js';
import { CASES } from './support/cases.js';

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
