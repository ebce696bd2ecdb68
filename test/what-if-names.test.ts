// `what-if` follows the way in on the example: losing the vps edge loses the names only it serves
// (the k3s workers' and cloudserver3's node names) while their services stay served through the
// VIP; losing the VIP's site loses the names the VIP answers. Text and JSON say the same.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cases.js';
import { cli } from './support/cli.js';

const INV = path.join(ROOT, 'inventory');

interface V {
  kind: string;
  name: string;
  served: boolean;
  detail: string;
}

async function json(...down: string[]): Promise<V[]> {
  const r = await cli('what-if', '-i', INV, ...down.flatMap((d) => ['--down', d]), '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { verdicts: V[] }).verdicts;
}

describe('what-if per hostname', () => {
  it('site ovh (the edge): its 10 node names are lost, their services stay served', async () => {
    const v = await json('site:ovh');
    const lostNames = v.filter((x) => x.kind === 'name' && !x.served).map((x) => x.name);
    expect(lostNames).toEqual([
      'grafana.cloudserver3.bolabaden.org',
      'prometheus-metrics.cloudserver3.bolabaden.org',
      'prometheus-ui.cloudserver3.bolabaden.org',
      'prometheus.cloudserver3.bolabaden.org',
      'prowlarr.k3s-w1.bolabaden.org',
      'prowlarr.k3s-w2.bolabaden.org',
      'radarr.k3s-w1.bolabaden.org',
      'radarr.k3s-w2.bolabaden.org',
      'sonarr.k3s-w1.bolabaden.org',
      'sonarr.k3s-w2.bolabaden.org',
    ]);
    expect(v.find((x) => x.name === 'sonarr.k3s-w1.bolabaden.org')!.detail).toBe('no way in: edge node vps is down');
    expect(v.filter((x) => x.kind === 'service' && !x.served)).toEqual([]);
    const text = await cli('what-if', '-i', INV, '--down', 'site:ovh');
    expect(text.stdout).toMatch(/LOST {4}name sonarr\.k3s-w1\.bolabaden\.org +no way in: edge node vps is down/);
    expect(text.stdout).toMatch(/served {2}name sonarr\.bolabaden\.org +Traefik on micklethefickle \(VIP ingress\), served by k3s-w1/);
  });

  it('site dijon (both VIP members): every name the VIP answers is lost, node names elsewhere stay', async () => {
    const v = await json('site:dijon');
    const byName = new Map(v.filter((x) => x.kind === 'name').map((x) => [x.name, x]));
    expect(byName.get('grafana.bolabaden.org')).toMatchObject({ served: false, detail: 'no way in: VIP ingress has no member left' });
    expect(byName.get('api.example.com')!.served).toBe(false);
    expect(byName.get('grafana.cloudserver1.bolabaden.org')!.served).toBe(true);
    expect(byName.get('grafana.cloudserver3.bolabaden.org')!.served).toBe(true); // through the edge
  });
});
