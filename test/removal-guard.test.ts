// The removal guard (issue 20, item 10): a build that would remove more than --max-removal (50%) of
// the services, backends, a zone's records or the VIP members that the previous out/ serves (by its
// manifest's summary) fails with the list and writes nothing, unless --allow-removal is given.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../src/6-assemble/index.js';
import { removals } from '../src/cli/removal.js';
import { ROOT } from './support/cases.js';
import { cli, scratch } from './support/cli.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** A copy of the example inventory without its admin services (thirteen services and TCP entries are left), built once into out/. */
async function built(): Promise<{ inv: string; out: string; manifest: () => string }> {
  const s = scratch(path.join(ROOT, 'inventory'));
  cleanups.push(s.done);
  const inv = path.join(s.dir, 'inventory');
  rmSync(path.join(inv, 'services/admin.yaml'));
  const out = path.join(s.dir, 'out');
  const first = await cli('build', '-i', inv, '-o', out, '--serial', '1');
  expect(first.code).toBe(0);
  return { inv, out, manifest: () => readFileSync(path.join(out, 'manifest.json'), 'utf8') };
}

describe('the manifest records what the tree serves', () => {
  it('services with their backend counts, TCP entries, zone record counts and VIP members', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'out/manifest.json'), 'utf8')) as { summary: Summary };
    expect(manifest.summary.services).toMatchObject({ whoami: 3, sonarr: 2 });
    expect(manifest.summary.tcp).toMatchObject({ redis: 3 });
    expect(manifest.summary.zones['bolabaden.org']).toBeGreaterThan(10);
    expect(manifest.summary.vips).toEqual({ ingress: ['beatapostapita', 'micklethefickle'] });
  });
});

describe('build refuses a large removal', () => {
  it('an emptied services file and a truncated one: exit 1, the list, nothing written', async () => {
    const { inv, out, manifest } = await built();
    const before = manifest();
    writeFileSync(path.join(inv, 'services/media.yaml'), '');
    const web = readFileSync(path.join(inv, 'services/web.yaml'), 'utf8');
    // Cut after the first service, as an interrupted copy would.
    writeFileSync(path.join(inv, 'services/web.yaml'), web.slice(0, web.indexOf('\n  api:') + 1));
    const run = await cli('build', '-i', inv, '-o', out, '--serial', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: this build would remove more than 50% of what .*out\/ serves:\n {2}7 of 13 services \(54%\): api, grafana, prowlarr, radarr, sonarr, stream, wiki\n/);
    expect(run.stderr).toMatch(/nothing was written; if this is intended, run again with --allow-removal/);
    expect(manifest()).toBe(before);
    // Told so, it writes.
    const allowed = await cli('build', '-i', inv, '-o', out, '--serial', '1', '--allow-removal');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(manifest()).summary.services).toEqual({ whoami: 3 });
  });

  it('an emptied zone file: the whole zone is named', async () => {
    const { inv, out, manifest } = await built();
    const before = manifest();
    writeFileSync(path.join(inv, 'dns.yaml'), '');
    // (The replica set's mongodb+srv records need the zone.)
    writeFileSync(path.join(inv, 'databases.yaml'), readFileSync(path.join(inv, 'databases.yaml'), 'utf8').replace(/\n *srv: .*/, ''));
    const run = await cli('build', '-i', inv, '-o', out, '--serial', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ {2}\d+ of \d+ records of zone bolabaden\.org \(100%\): the whole zone$/m);
    expect(manifest()).toBe(before);
  });

  it('--max-removal raises the threshold; an ordinary removal passes', async () => {
    const { inv, out } = await built();
    writeFileSync(path.join(inv, 'services/media.yaml'), '');
    expect((await cli('build', '-i', inv, '-o', out, '--serial', '1', '--max-removal', '20')).code).toBe(1);
    expect((await cli('build', '-i', inv, '-o', out, '--serial', '1', '--max-removal', '100')).code).toBe(0);
    // One service of thirteen gone: under the threshold.
    const web = readFileSync(path.join(inv, 'services/web.yaml'), 'utf8');
    writeFileSync(path.join(inv, 'services/web.yaml'), web.replace(/\n {2}stream:\n(?: {4}.*\n)+/, '\n'));
    const run = await cli('build', '-i', inv, '-o', out, '--serial', '1');
    expect(run.stderr).not.toMatch(/would remove/);
    expect(run.code).toBe(0);
  });

  it('--max-removal takes a percentage from 0 to 100 (exit 2 otherwise)', async () => {
    const { inv, out } = await built();
    for (const bad of ['abc', '150', '-1']) {
      const run = await cli('build', '-i', inv, '-o', out, '--max-removal', bad);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--max-removal must be a percentage from 0 to 100/);
    }
  });

  it('a previous manifest without a summary (an older hacompile) is no reason to refuse', async () => {
    const { inv, out } = await built();
    const file = path.join(out, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    delete m.summary;
    writeFileSync(file, JSON.stringify(m));
    writeFileSync(path.join(inv, 'services/media.yaml'), '');
    expect((await cli('build', '-i', inv, '-o', out, '--serial', '1')).code).toBe(0);
  });
});

describe('removals()', () => {
  const s = (over: Partial<Summary> = {}): Summary => ({ services: { a: 2, b: 2 }, tcp: { a: 4 }, zones: { 'x.org': 10 }, vips: { v: ['n1', 'n2', 'n3'] }, ...over });

  it('nothing above the share: nothing to say', () => {
    expect(removals(s(), s({ services: { a: 2 } }), 0.5)).toEqual([]);
    expect(removals(s(), s({ zones: { 'x.org': 5 } }), 0.5)).toEqual([]);
  });

  it('backends summed over services and TCP entries, a same-named TCP entry kept apart', () => {
    expect(removals(s(), s({ services: { a: 1, b: 1 }, tcp: { a: 1 } }), 0.5)).toEqual(['5 of 8 backends (63%): a -1, b -1, tcp a -3']);
  });

  it('VIP members, and a VIP that is gone loses all of them; names a prototype property too', () => {
    expect(removals(s(), s({ vips: { v: ['n1'] } }), 0.5)).toEqual(['2 of 3 VIP members (67%): v:n2, v:n3']);
    expect(removals(s({ vips: { constructor: ['n1', 'n2'] } }), s({ vips: {} }), 0.5)).toEqual(['2 of 2 VIP members (100%): constructor:n1, constructor:n2']);
    expect(removals(s({ services: { constructor: 1 }, tcp: {} }), s({ services: {}, tcp: {} }), 0.5)).toEqual(['1 of 1 services (100%): constructor', '1 of 1 backends (100%): constructor -1']);
  });

  it('0 refuses any removal', () => {
    expect(removals(s(), s({ zones: { 'x.org': 9 } }), 0)).toEqual(['1 of 10 records of zone x.org (10%)']);
  });
});
