// The edit commands on a copy of the example inventory: each changes exactly the lines it must in
// the file that defines the entity (comments, order, quoting, layout intact), refuses a bad target
// or a result the compiler rejects with nothing written, and --dry-run writes nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cases.js';
import { cli, scratch } from '../support/cli.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

const FILES = ['databases.yaml', 'dns.yaml', 'l4.yaml', 'nodes.yaml', 'platform.yaml', 'redis.yaml', 'vips.yaml', 'services/media.yaml', 'services/web.yaml'];
function setup() {
  const s = scratch(path.join(ROOT, 'inventory'));
  cleanups.push(s.done);
  const inv = path.join(s.dir, 'inventory');
  const read = () => Object.fromEntries(FILES.map((f) => [f, readFileSync(path.join(inv, f), 'utf8')]));
  return { dir: s.dir, inv, before: read(), read, run: (...a: string[]) => cli(...a, '-i', inv, '-o', path.join(s.dir, 'out')) };
}
/** Every file as before but `file`, where `from` became `to` (once). */
function expectOnly(now: Record<string, string>, before: Record<string, string>, file: string, from: string, to: string) {
  expect(before[file]).toContain(from);
  for (const f of FILES) expect(now[f], f).toBe(f === file ? before[f]!.replace(from, to) : before[f]);
}

describe('promote and demote', () => {
  it('promote moves active to the next backend by priority: one line, and prints both diffs', async () => {
    const t = setup();
    const r = await t.run('promote', 'sonarr');
    expect(r.code, r.stderr).toBe(0);
    expectOnly(t.read(), t.before, 'services/media.yaml', '    backends: [k3s-w1, k3s-w2]\n    active: k3s-w1\n  radarr:', '    backends: [k3s-w1, k3s-w2]\n    active: k3s-w2\n  radarr:');
    expect(r.stdout).toContain('promote sonarr to k3s-w2\n');
    expect(r.stdout).toContain('-    active: k3s-w1\n+    active: k3s-w2\n');
    expect(r.stdout).toContain('  service sonarr: active "k3s-w1" → "k3s-w2"\n');
    expect(r.stdout).toContain('  changed nodes/micklethefickle/traefik/hacompile.yaml\n');
  });

  it('promote --to names the backend; demote goes back to the declared primary', async () => {
    const t = setup();
    expect((await t.run('promote', 'radarr', '--to', 'k3s-w2')).code).toBe(0);
    const mid = t.read();
    expectOnly(mid, t.before, 'services/media.yaml', '    backends: [k3s-w1, k3s-w2]\n    active: k3s-w1\n  prowlarr:', '    backends: [k3s-w1, k3s-w2]\n    active: k3s-w2\n  prowlarr:');
    const d = await t.run('demote', 'radarr');
    expect(d.code, d.stderr).toBe(0);
    expect(t.read()).toEqual(t.before);
    const again = await t.run('demote', 'radarr');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already active on its declared primary k3s-w1');
  });

  it('refuses a bad target, a service without active and an unknown service, changing nothing', async () => {
    const t = setup();
    const bad = await t.run('promote', 'sonarr', '--to', 'k3s-w3');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('refused: node "k3s-w3" is not a primary backend of service "sonarr"');
    expect(bad.stderr).toContain('nothing was written');
    expect((await t.run('promote', 'whoami')).stderr).toContain('service "whoami" is not active/standby');
    expect((await t.run('demote', 'sonar')).stderr).toContain('did you mean "sonarr"?');
    expect(t.read()).toEqual(t.before);
  });

  it('--dry-run prints the change and writes nothing', async () => {
    const t = setup();
    const r = await t.run('promote', 'sonarr', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('promote sonarr to k3s-w2 (dry run: nothing written)');
    expect(t.read()).toEqual(t.before);
  });
});

describe('drain and undrain', () => {
  it('drain adds one line to the node; undrain takes it away again', async () => {
    const t = setup();
    const r = await t.run('drain', 'beatapostapita');
    expect(r.code, r.stderr).toBe(0);
    expectOnly(t.read(), t.before, 'nodes.yaml', '    priority: 10\n    roles: [ingress, l4]\n  cloudserver1:', '    priority: 10\n    roles: [ingress, l4]\n    drain: true\n  cloudserver1:');
    expect(r.stdout).toContain('  node beatapostapita: drained (takes no new traffic)\n');
    expect(r.stdout).toContain('  VIP ingress: holder beatapostapita removed\n');
    expect(r.stdout).toContain('  service stream: backend beatapostapita removed\n');
    const w = await cli('what-if', '--down', 'node:micklethefickle', '-i', t.inv);
    expect(w.stdout).toContain('drained (no new traffic, not counted below): node beatapostapita\n');
    expect((await t.run('undrain', 'beatapostapita')).code).toBe(0);
    expect(t.read()).toEqual(t.before);
  });

  it('refuses an unknown node, and a drain that leaves a service with no backend', async () => {
    const t = setup();
    const r = await t.run('drain', 'cloudserver9');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused: there is no node "cloudserver9"');
    // grafana's backends are cloudserver1-3: drain two of them, then the last is refused.
    expect((await t.run('drain', 'cloudserver2')).code).toBe(0);
    expect((await t.run('drain', 'cloudserver3')).code).toBe(0);
    const mid = t.read();
    const last = await t.run('drain', 'cloudserver1');
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('error drain-leaves-nothing: service "grafana" has nothing left to send traffic to');
    expect(last.stderr).toContain('refused: drain cloudserver1 would not compile (above); nothing was written');
    expect(t.read()).toEqual(mid);
  });
});

describe('add-backend and remove-backend', () => {
  it('adds a node to a flow list and an address to a block list, keeping the layout', async () => {
    const t = setup();
    expect((await t.run('add-backend', 'stream', 'k3s-w1')).code).toBe(0);
    expectOnly(t.read(), t.before, 'services/web.yaml', '    backends: [beatapostapita, cloudserver1, cloudserver2]\n', '    backends: [beatapostapita, cloudserver1, cloudserver2, k3s-w1]\n');
    const mid = t.read();
    const r = await t.run('add-backend', 'whoami', '10.200.1.50:8080', '--site', 'dijon');
    expect(r.code, r.stderr).toBe(0);
    expectOnly(t.read(), mid, 'services/web.yaml', '      - { node: cloudserver1, port: 8080, backup: true }\n', '      - { node: cloudserver1, port: 8080, backup: true }\n      - { address: 10.200.1.50, port: 8080, site: dijon }\n');
    expect(r.stdout).toContain('  service whoami: backend 10.200.1.50:8080 added\n');
  });

  it('removes a block item and a flow item', async () => {
    const t = setup();
    expect((await t.run('remove-backend', 'api', '10.200.1.23:8080')).code).toBe(0);
    expectOnly(t.read(), t.before, 'services/web.yaml', '      - { address: 10.200.1.23, port: 8080, site: dijon }   # made by hand, on no managed node\n', '');
    const mid = t.read();
    expect((await t.run('remove-backend', 'stream', 'cloudserver1')).code).toBe(0);
    expectOnly(t.read(), mid, 'services/web.yaml', '[beatapostapita, cloudserver1, cloudserver2]', '[beatapostapita, cloudserver2]');
  });

  it('refuses unknown nodes, missing sites, absent backends and results the compiler rejects', async () => {
    const t = setup();
    expect((await t.run('add-backend', 'stream', 'cloudserver7')).stderr).toContain('refused: there is no node "cloudserver7"');
    expect((await t.run('add-backend', 'stream', '10.0.0.9:80')).stderr).toContain('add --site SITE');
    expect((await t.run('add-backend', 'stream', '10.0.0.9:80', '--site', 'mars')).stderr).toContain('error unknown-reference');
    expect((await t.run('remove-backend', 'stream', 'k3s-w1')).stderr).toContain('its backends: beatapostapita, cloudserver1, cloudserver2');
    const active = await t.run('remove-backend', 'sonarr', 'k3s-w1');
    expect(active.code).toBe(1);
    expect(active.stderr).toContain('error active-not-backend');
    expect(active.stderr).toContain('nothing was written');
    expect(t.read()).toEqual(t.before);
  });
});

describe('--commit and out/', () => {
  it('rebuilds out/ and commits both with a message naming the change', async () => {
    const t = setup();
    const git = (...a: string[]) => execFileSync('git', a, { cwd: t.dir, encoding: 'utf8' });
    git('init', '-q');
    git('config', 'user.email', 'ops@example.org');
    git('config', 'user.name', 'ops');
    expect((await cli('build', '-i', t.inv, '-o', path.join(t.dir, 'out'))).code).toBe(0);
    writeFileSync(path.join(t.dir, 'unrelated.txt'), 'not committed\n');
    git('add', '-A');
    git('commit', '-qm', 'start');
    writeFileSync(path.join(t.dir, 'unrelated.txt'), 'changed, not committed by promote\n');
    const r = await t.run('promote', 'prowlarr', '--commit');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('committed: hacompile: promote prowlarr to k3s-w2');
    expect(git('log', '-1', '--format=%s')).toBe('hacompile: promote prowlarr to k3s-w2\n');
    expect(git('show', '--name-only', '--format=', 'HEAD')).toContain('inventory/services/media.yaml\nout/manifest.json\n');
    expect(git('status', '--porcelain')).toBe(' M unrelated.txt\n');
    expect((await cli('build', '--check', '-i', t.inv, '-o', path.join(t.dir, 'out'))).code).toBe(0);
  });
});
