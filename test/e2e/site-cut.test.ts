// Scenario 1: a whole site cut at the edge. Caddy on edge1 runs the generated Caddyfile; the
// service `web` has backends on a1 (site a, preferred) and b1 (site b). A client sends 50
// requests per second for 30 s, each on its own connection with a 10 s client timeout; at 8 s
// every link of site a is cut so its packets vanish, at 18 s it is restored.
import { expect, test } from 'vitest';
import { verdicts } from '../../src/analysis/verdicts.js';
import { now, secs, settledAfter } from './support/figures.js';
import { useHarness, type Rec } from './support/harness.js';
import { sleep } from './support/procs.js';

const RATE = 50;
const DURATION_MS = 30_000;
const CUT_AT_MS = 8_000;
const RESTORE_AT_MS = 18_000;
const CLIENT_TIMEOUT_MS = 10_000;
/** A request "goes straight to site b" when b answers it in under this. */
const PROMPT_MS = 500;

const harness = useHarness('site-cut');

interface SiteCutFigures {
  sent: number;
  inFlightAtCut: number;
  failedBefore: number;
  failedInflight: Rec[];
  failedAfter: Rec[];
  slowestMs: number;
  toSiteBMs: number;
  backOnAMs: number;
}

function siteCutFigures(recs: Rec[], cutAt: number, restoreAt: number, siteA: string, siteB: string): SiteCutFigures {
  const sorted = [...recs].sort((x, y) => x.s - y.s);
  const failed = sorted.filter((r) => !r.ok);
  return {
    sent: sorted.length,
    inFlightAtCut: sorted.filter((r) => r.s < cutAt && r.e > cutAt).length,
    failedBefore: failed.filter((r) => r.e <= cutAt).length,
    failedInflight: failed.filter((r) => r.s < cutAt && r.e > cutAt),
    failedAfter: failed.filter((r) => r.s >= cutAt),
    slowestMs: Math.max(...sorted.map((r) => r.e - r.s)),
    toSiteBMs: settledAfter(sorted, cutAt, restoreAt, (r) => r.ok && r.body === siteB && r.e - r.s < PROMPT_MS),
    backOnAMs: settledAfter(sorted, restoreAt, Infinity, (r) => r.ok && r.body === siteA),
  };
}

test('site cut at the edge: Caddy moves to site b and back, no request started after the cut fails', async () => {
  const h = harness();
  const { net, procs, compiled } = h;
  const web = compiled.model.services.find((s) => s.name === 'web')!;
  const [a, b] = web.backends;
  expect(a?.site).toBe('a');
  expect(b?.site).toBe('b');
  h.backend(a!.node!, [`http:${a!.address}:${a!.port}`]);
  h.backend(b!.node!, [`http:${b!.address}:${b!.port}`]);

  const home = h.dir('caddy-home');
  const caddy = procs.start('caddy', 'caddy', ['run', '--adapter', 'caddyfile', '--config', compiled.file('edge1', 'caddy', 'Caddyfile')], {
    ns: net.ns('edge1'),
    env: { ...process.env, HOME: home, XDG_DATA_HOME: `${home}/data`, XDG_CONFIG_HOME: `${home}/config` },
  });
  const edge = compiled.model.node('edge1').address!;
  const url = `http://${edge}/`;
  const host = web.hosts[0]!;
  await h.wait('wait-caddy', ['wait-http', url, host, a!.node!, '15000'], 15_000).catch((e: unknown) => {
    throw new Error(`${String(e)}\ncaddy log:\n${procs.tail(caddy)}`);
  });

  const t0 = Date.now();
  const stream = h.client('stream', ['http-stream', url, host, String(RATE), String(DURATION_MS), String(CLIENT_TIMEOUT_MS)], DURATION_MS + CLIENT_TIMEOUT_MS + 10_000);
  await sleep(t0 + CUT_AT_MS - Date.now());
  const cutAt = now();
  net.cutSite('a');
  await sleep(t0 + RESTORE_AT_MS - Date.now());
  const restoreAt = now();
  net.restoreSite('a');
  const recs = await stream;

  const f = siteCutFigures(recs, cutAt, restoreAt, a!.node!, b!.node!);
  const slowestFailed = Math.max(0, ...f.failedInflight.map((r) => r.e - r.s));
  console.log(
    `site-cut: sent=${f.sent} in_flight_at_cut=${f.inFlightAtCut} failed_inflight=${f.failedInflight.length} failed_after=${f.failedAfter.length}` +
      ` slowest=${secs(f.slowestMs)} slowest_failed=${secs(slowestFailed)} to_site_b=${secs(f.toSiteBMs)} back_on_a=${secs(f.backOnAMs)}`,
  );
  const failures = [...f.failedInflight, ...f.failedAfter].map((r) => `  started ${((r.s - cutAt) / 1000).toFixed(2)}s from the cut, took ${secs(r.e - r.s)}: ${r.err ?? r.body}`);
  if (failures.length > 0) console.log(`site-cut failures:\n${failures.join('\n')}`);
  if (process.env.E2E_VERBOSE) {
    const slow = recs.filter((r) => r.e - r.s > 500).map((r) => `  ${((r.s - cutAt) / 1000).toFixed(3)}s from the cut: ${secs(r.e - r.s)} ${r.ok ? r.body : r.err}`);
    console.log(`site-cut requests slower than 0.5 s:\n${slow.join('\n')}`);
  }

  // What `hacompile what-if --down site:a` predicts is what the daemons did during the cut.
  const predicted = verdicts(compiled.model, { sites: new Set(['a']), nodes: new Set() }).find((v) => v.kind === 'service' && v.name === 'web')!;
  const observed = [...new Set(recs.filter((r) => r.ok && r.s >= cutAt + f.toSiteBMs && r.e <= restoreAt).map((r) => r.body))].sort();
  console.log(`site-cut what-if: predicted ${predicted.servedBy!.join(', ')} (${predicted.detail}); observed ${observed.join(', ')}`);
  expect(predicted.served).toBe(true);
  expect(observed).toEqual([...predicted.servedBy!].sort());

  expect(f.sent).toBeGreaterThan(RATE * (DURATION_MS / 1000) * 0.95);
  expect(f.failedBefore, 'requests failed before the cut').toBe(0);
  expect(f.failedAfter, 'requests started after the cut that failed').toEqual([]);
  expect(f.failedInflight.length).toBeLessThanOrEqual(f.inFlightAtCut);
  expect(slowestFailed, 'a request caught by the cut fails within 3 s instead of hanging').toBeLessThanOrEqual(3000);
  expect(f.slowestMs, 'slowest request').toBeLessThanOrEqual(4000);
  expect(f.toSiteBMs, 'time until requests go straight to site b').toBeLessThan(RESTORE_AT_MS - CUT_AT_MS);
  expect(f.backOnAMs, 'time from the restore until traffic is back on site a').toBeLessThanOrEqual(5000);
});
