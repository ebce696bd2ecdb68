// `hacompile import` on hand-made files in the real shapes (tailscale status --json, om node ls,
// Compose with include/interpolation/case variants/profiles, docker inspect): golden inventories
// that compile, warnings naming their sources, and refusals that write nothing.
// UPDATE_GOLDEN=1 rewrites expected/ (read the diff).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interpolate, parseEnvFile } from '../../src/import/interpolate.js';
import { parseRule } from '../../src/import/labels.js';
import { cli } from '../support/cli.js';

const FIX = 'test/import/fixtures';
const EXPECTED = path.join('test', 'import', 'expected');
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'hacompile-import-'));
  dirs.push(d);
  return d;
};

function golden(name: string, actual: string) {
  const file = path.join(EXPECTED, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const CASES: Record<string, string[]> = {
  // A tailnet with a phone and an offline node, OpenSVC's doubled domains, and Compose.
  platform: ['--tailscale', `${FIX}/tailscale-status.json`, '--om', `${FIX}/om-nodes.json`, '--compose', `${FIX}/compose/docker-compose.yml`, '--node', 'alpha', '--site', 'home', '--domain', 'example.org'],
  // docker inspect, with the tailnet's servers tagged k8s only.
  'docker-inspect': ['--tailscale', `${FIX}/tailscale-status.json`, '--only', 'k8s', '--docker-inspect', `${FIX}/docker-inspect.json`, '--node', 'delta', '--site', 'lab', '--domain', 'example.org'],
  // The debug profile included.
  profiles: ['--tailscale', `${FIX}/tailscale-status.json`, '--compose', `${FIX}/compose/docker-compose.yml`, '--profile', 'debug', '--node', 'bravo', '--site', 'home', '--domain', 'example.org'],
};

describe('import: golden inventories that compile', () => {
  for (const [name, args] of Object.entries(CASES)) {
    it(name, async () => {
      const inv = path.join(tmp(), 'inventory');
      const r = await cli('import', '-i', inv, ...args);
      const file = path.join(inv, 'imported.yaml');
      expect(r.code, r.stderr).toBe(0);
      golden(`${name}.yaml`, readFileSync(file, 'utf8'));
      golden(`${name}.txt`, r.stderr.replaceAll(path.relative(process.cwd(), inv).split(path.sep).join('/'), '<inventory>'));
      const build = await cli('build', '-i', inv, '-o', path.join(path.dirname(inv), 'out'));
      expect(build.code, build.stderr).toBe(0);
      // Written once: a second import never replaces it.
      const again = await cli('import', '-i', inv, ...args);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('exists; it is never replaced');
    });
  }

  it('every entry names its source; phones, offline nodes and other profiles are listed, not imported', () => {
    const text = readFileSync(path.join(EXPECTED, 'platform.yaml'), 'utf8');
    const entries = text.slice(text.indexOf('\nnodes:')).split('\n').filter((l) => /^ {2}[a-z]/.test(l));
    expect(entries.length).toBe(10);
    for (const line of entries) expect(line).toMatch(/# from /);
    expect(text).toMatch(/#\s+pixel-8: not a server \(no tag, android\)/);
    expect(text).toMatch(/#\s+charlie: offline/);
    expect(text).toMatch(/#\s+debug: only in profile debug/);
    expect(text).not.toMatch(/^ {2}(pixel-8|charlie|debug):/m);
  });
});

describe('import: refusals write nothing', () => {
  it('two containers claiming one L4 port: an error naming both', async () => {
    const inv = path.join(tmp(), 'inventory');
    const r = await cli('import', '-i', inv, '--compose', `${FIX}/compose/clash.yml`, '--node', 'alpha', '--domain', 'example.org');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${FIX}/compose/clash.yml:7:37: pg-b claims L4 port 5432, which pg-a claims at ${FIX}/compose/clash.yml:4:39; give one of them another osvc.l4.port`);
    expect(r.stderr).toContain('nothing was written');
    expect(existsSync(inv)).toBe(false);
  });

  it('${VAR:?msg} unset: the message at its place', async () => {
    const inv = path.join(tmp(), 'inventory');
    const r = await cli('import', '-i', inv, '--compose', `${FIX}/compose/required.yml`, '--env-file', `${FIX}/compose/.env`, '--node', 'alpha', '--domain', 'example.org');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${FIX}/compose/required.yml:5:38: required variable API_HOST is unset: set API_HOST in the env file`);
    expect(existsSync(inv)).toBe(false);
  });

  it('containers without --node, and a missing file', async () => {
    const inv = path.join(tmp(), 'inventory');
    const r = await cli('import', '-i', inv, '--compose', `${FIX}/compose/docker-compose.yml`, '--docker-inspect', `${FIX}/nope.json`, '--domain', 'example.org');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the containers run on a node no source names: give it with --node NODE');
    expect(r.stderr).toContain(`error: ${FIX}/nope.json: no such file`);
    expect(existsSync(inv)).toBe(false);
  });

  it('without --site the file is written and the command says what to add', async () => {
    const inv = path.join(tmp(), 'inventory');
    const r = await cli('import', '-i', inv, '--tailscale', `${FIX}/tailscale-status.json`, '--domain', 'example.org');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('imported.yaml:10:3: error missing-key: nodes.alpha needs "site"');
    expect(r.stderr).toContain('does not compile yet: add what the errors above name (every node needs a site: --site SITE, or write one per node)');
    expect(readFileSync(path.join(inv, 'imported.yaml'), 'utf8')).toContain('    # site: ?');
  });
});

describe('Compose interpolation and Traefik rules', () => {
  const vars = new Map([['A', 'x'], ['EMPTY', '']]);
  const unset: string[] = [];
  const i = (s: string) => interpolate(s, vars, (n) => unset.push(n));
  it('follows Compose', () => {
    expect(i('$$A ${A} $A ${B:-d} ${EMPTY:-d} ${EMPTY-d} ${A:+y} ${B+y} ${B:-${A}}')).toBe('$A x x d d  y  x');
    expect(() => i('${EMPTY:?needed}')).toThrow('required variable EMPTY is empty: needed');
    expect(i('${EMPTY?needed}')).toBe('');
    expect(i('${NOPE}')).toBe('');
    expect(unset).toEqual(['NOPE']);
    expect(parseEnvFile('A=1\n# c\nexport B="two $A" # x\nC=\'$A\'\nD=3 # x\n')).toEqual(new Map([['A', '1'], ['B', 'two 1'], ['C', '$A'], ['D', '3']]));
  });
  it('reads hosts and path prefixes from rules', () => {
    expect(parseRule("Host(`a.example.org`, `b.example.org`) && PathPrefix(`/api`) || Host(\"c.example.org\")")).toEqual({ hosts: ['a.example.org', 'b.example.org', 'c.example.org'], paths: ['/api'], other: ['|| with a path'] });
    expect(parseRule('HostRegexp(`{x:.+}`)').other).toEqual(['HostRegexp(`{x:.+}`)']);
  });
});

mkdirSync(EXPECTED, { recursive: true });
