// Traefik has no binary here, so its files are judged statically, on every golden case and on
// out/: the vendored schema (strict ajv) and the references (services, middlewares, servers
// transports: each exists in the file or is an explicit name@provider), via src/verify/traefik.ts,
// and every router rule under Traefik v3's grammar (test/support/traefik-rule.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { checkTraefik } from '../src/verify/traefik.js';
import { parseRule } from './support/traefik-rule.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FILES = fg.sync(['test/cases/valid/*/expected/nodes/*/traefik/*.yaml', 'out/nodes/*/traefik/*.yaml'], { cwd: ROOT }).sort();

type Obj = Record<string, Record<string, Record<string, unknown>> | undefined>;

describe('every generated Traefik file', () => {
  test('there are files to judge, among them middlewares, path routes and servers transports', () => {
    expect(FILES.length).toBeGreaterThan(40);
    const all = FILES.map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    for (const s of ['  middlewares:\n', 'PathPrefix(', 'serversTransport:', 'forwardAuth:', 'basicAuth:', 'rateLimit:', '@docker']) expect(all).toContain(s);
  });
  for (const file of FILES) {
    test(file, () => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      expect(checkTraefik(text)).toEqual([]);
      const config = parse(text) as { http?: Obj; tcp?: Obj };
      for (const [kind, section] of [['http', config.http], ['tcp', config.tcp]] as const) {
        for (const [name, router] of Object.entries(section?.routers ?? {})) {
          expect(() => parseRule(String(router.rule), kind), `${kind} router ${name}`).not.toThrow();
        }
      }
    });
  }
});

describe('the rule parser refuses what Traefik v3 refuses', () => {
  const good = ['Host(`a.example.org`)', 'Host(`a`) || Host(`b`)', '(Host(`a`) || Host(`b`)) && (Path(`/web`) || PathPrefix(`/web/`))', '!ClientIP(`10.0.0.0/8`) && Host("a")', 'Query(`x`)'];
  const bad = ['Host(a.example.org)', "Host('a')", 'Host(`a`) &&', 'Host(`a`, `b`)', 'PathPrefix(`web`)', 'Hots(`a`)', '(Host(`a`)', 'Host(`a`) Host(`b`)', 'Header(`X`)', 'Host(``)'];
  for (const r of good) test(`accepts ${r}`, () => expect(() => parseRule(r)).not.toThrow());
  for (const r of bad) test(`refuses ${r}`, () => expect(() => parseRule(r)).toThrow());
  test('tcp rules use HostSNI', () => {
    expect(() => parseRule('HostSNI(`*`)', 'tcp')).not.toThrow();
    expect(() => parseRule('Host(`a`)', 'tcp')).toThrow();
  });
  test('the reference checks see a router naming a missing middleware or transport', () => {
    const yaml = (mw: string, st: string) =>
      `http:\n  routers:\n    r:\n      rule: "Host(\`a\`)"\n      middlewares:\n        - ${mw}\n      service: s\n  middlewares:\n    m:\n      compress: {}\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://10.0.0.1"\n        serversTransport: ${st}\n  serversTransports:\n    t:\n      insecureSkipVerify: true\n`;
    expect(checkTraefik(yaml('m', 't'))).toEqual([]);
    expect(checkTraefik(yaml('m@file', 't'))).toEqual([]);
    expect(checkTraefik(yaml('missing', 't'))).toEqual(['http: router r uses unknown middleware "missing"']);
    expect(checkTraefik(yaml('m', 'nope'))).toEqual(['http: service s uses serversTransport "nope", which is not defined']);
  });
});
