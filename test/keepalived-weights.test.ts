// The VRRP arithmetic of the keepalived emitter: distinct priorities in list order, and a tracking
// weight that drops a member whose process died below every other member. Checked on the functions
// and on the emitted files of a compiled inventory (the numbers keepalived actually reads).
import { describe, expect, it } from 'vitest';
import { trackWeight, vrrpPriorities } from '../src/5-emit/keepalived.js';
import { compile } from '../src/index.js';

/** keepalived: priority 1..254 (255 only for an address owner), track weight -253..253. */
function expectSound(priorities: readonly number[], weight: number): void {
  expect(new Set(priorities).size).toBe(priorities.length);
  expect([...priorities].sort((a, b) => b - a)).toEqual(priorities);
  for (const p of priorities) expect(p >= 1 && p <= 254, `priority ${p}`).toBe(true);
  expect(weight >= -253 && weight < 0, `weight ${weight}`).toBe(true);
  priorities.forEach((p, i) => {
    const others = priorities.filter((_, j) => j !== i);
    if (others.length === 0) return;
    expect(p + weight, `member ${i}: ${p} ${weight}`).toBeLessThan(Math.min(...others));
    // keepalived clamps an effective priority at 1: that must not tie with a running member.
    expect(Math.max(1, p + weight), `member ${i}: ${p} ${weight}`).toBeLessThan(Math.min(...others));
  });
}

describe('keepalived priorities and weights', () => {
  for (let n = 1; n <= 20; n++) {
    it(`${n} member(s)`, () => {
      const priorities = vrrpPriorities(n);
      expect(priorities).toHaveLength(n);
      expectSound(priorities, trackWeight(priorities));
    });
  }

  it('refuses a member count the schema does not allow', () => {
    expect(() => vrrpPriorities(0)).toThrow();
    expect(() => vrrpPriorities(21)).toThrow();
  });

  it('the emitted files of a 20-member VIP agree with each other', () => {
    const names = Array.from({ length: 20 }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
    const nodes = names.map((n, i) => `  ${n}: { site: s${i}, address: 100.64.0.${i + 1}, interface: eth0 }`).join('\n');
    const sites = names.map((_, i) => `  s${i}: {}`).join('\n');
    const text = `platform: { domain: example.org, contact: ops@example.org }
sites:
${sites}
nodes:
${nodes}
vips:
  big: { address: 192.0.2.10/24, nodes: [${[...names].reverse().join(', ')}], router_id: 9, track: [haproxy, traefik] }
`;
    const result = compile([{ path: 'inventory/inventory.yaml', text }]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = result.files.filter((f) => f.daemon === 'keepalived');
    expect(files).toHaveLength(20);
    const address = new Map(names.map((n, i) => [n, `100.64.0.${i + 1}`]));
    const read = files.map((f) => {
      const c = f.bytes.toString();
      const weights = [...c.matchAll(/^\s+track_\S+ weight (-?\d+)$/gm)].map((x) => Number(x[1]));
      expect(weights).toHaveLength(2);
      expect(new Set(weights).size).toBe(1);
      const peers = /unicast_peer \{\n([^}]*)\}/.exec(c)![1]!.match(/^\s+(\S+)/gm)!.map((s) => s.trim());
      return { node: f.node!, priority: Number(/^\s+priority (\d+)$/m.exec(c)![1]), weight: weights[0]!, src: /unicast_src_ip (\S+)/.exec(c)![1]!, peers };
    });
    // List order is priority order: the last name listed (n20 reversed first) has the highest.
    const byList = [...names].reverse().map((n) => read.find((r) => r.node === n)!);
    expectSound(byList.map((r) => r.priority), byList[0]!.weight);
    expect(new Set(read.map((r) => r.weight)).size).toBe(1);
    // Peers: every member sends from its own overlay address to every other member's.
    for (const r of read) {
      expect(r.src).toBe(address.get(r.node));
      expect([...r.peers].sort()).toEqual(names.filter((n) => n !== r.node).map((n) => address.get(n)!).sort());
    }
  });
});
