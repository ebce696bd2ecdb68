import type { Model, Node, Vip } from '../3-model/types.js';
import { from, header } from './format.js';
import { render } from './templates.js';
import { outputFile, type Emitter, type OutputFile } from './types.js';

/**
 * Where the deploy tool writes a VRRP password: keepalived reads no environment, so the secret
 * reaches it through `include`. The file holds one line, `auth_pass <value>`.
 */
export const KEEPALIVED_SECRET_DIR = '/etc/hacompile/secrets';
export const keepalivedSecretPath = (secret: string): string => `${KEEPALIVED_SECRET_DIR}/${secret}.keepalived`;

/** Priority of the first member; each next member gets STEP less. */
const TOP = 200;
const STEP = 10;
/** Seconds a tracked process may be gone (or back) before it counts: rides out a quick restart, yet the VIP moves within about 4 s of a crash (measured in test/e2e). */
const TRACK_DELAY = 1;

/**
 * VRRP priorities in list order: 200, 190, 180, ... The schema allows at most 20 members, so the
 * last is at least 10: inside keepalived's 1..254 (255 is for an address owner) and above the
 * floor of 1 that a failing member is clamped to.
 */
export function vrrpPriorities(members: number): number[] {
  if (members < 1 || members > 20) throw new Error(`internal: a VIP has ${members} members (the schema allows 1 to 20)`);
  return Array.from({ length: members }, (_, i) => TOP - STEP * i);
}

/**
 * The weight of every tracked process: one more than the spread of the priorities, so a member
 * whose process dies drops below the lowest member whose processes run. At most 20 members give
 * -191, inside keepalived's -253..253.
 */
export function trackWeight(priorities: readonly number[]): number {
  return -(Math.max(...priorities) - Math.min(...priorities) + 1);
}

interface InstanceView {
  comment: string;
  name: string;
  interface: string;
  routerId: number;
  priority: number;
  advertInt: number;
  unicast: { src: string; peers: { address: string; comment: string }[] } | null;
  passwordFile: string | null;
  cidr: string;
  track: { weight: number; note: string[]; names: string[] } | null;
}

/**
 * keepalived.conf for every node in at least one VIP: one vrrp_instance per VIP. Priorities come
 * from list order (distinct by construction) and every member's peers are the other members
 * (consistent across nodes by construction), so neither needs a rule.
 */
export const keepalived: Emitter = {
  daemon: 'keepalived',
  emit(model) {
    const members = new Set(model.vips.flatMap((v) => v.nodes));
    return model.nodes
      .filter((n) => members.has(n.name))
      .map((node): OutputFile => {
        const vips = model.vips.filter((v) => v.nodes.includes(node.name));
        const processes = [...new Set(vips.flatMap((v) => v.track))].sort();
        const path = `nodes/${node.name}/keepalived/keepalived.conf`;
        const content = render('keepalived/keepalived.conf.hbs', {
          header: header('#', `keepalived on node ${node.name}.`).trimEnd(),
          routerId: node.name,
          secretDir: KEEPALIVED_SECRET_DIR,
          hasPassword: vips.some((v) => v.password !== undefined),
          trackers: processes.map((p) => {
            // Credited to the first VIP that tracks it.
            const v = vips.find((x) => x.track.includes(p))!;
            return { name: trackerName(p), process: p, comment: `process ${p}, tracked by VIP ${v.name}, from ${from({ path: [...v.origin.path, 'track'] })}` };
          }),
          trackDelay: TRACK_DELAY,
          instances: vips.map((v) => instance(model, v, node, from(v.origin))),
        });
        const secrets = [...new Set(vips.flatMap((v) => (v.password !== undefined ? [v.password] : [])))].sort();
        return outputFile({ path, node: node.name, daemon: 'keepalived', check: `keepalived -t -e -f ${path}`, secrets }, content);
      });
  },
};

const trackerName = (process: string): string => `track_${process}`;

function instance(model: Model, v: Vip, node: Node, origin: string): InstanceView {
  const priorities = vrrpPriorities(v.nodes.length);
  const self = v.nodes.indexOf(node.name);
  const others = v.nodes.flatMap((n, i) => (i === self ? [] : [{ node: model.node(n), priority: priorities[i]! }]));
  const order = v.nodes.map((n, i) => `${n} (${priorities[i]})`).join(' > ');
  const weight = trackWeight(priorities);
  const top = priorities[0]!;
  const bottom = priorities[priorities.length - 1]!;
  return {
    comment: `VIP ${v.name} ${v.cidr}: ${order}, from ${origin}`,
    name: `VI_${v.name}`,
    interface: node.interface!,
    routerId: v.routerId,
    priority: priorities[self]!,
    advertInt: v.advertInt,
    // One member has no peer: keepalived rejects unicast without one, so it holds the VIP alone.
    unicast:
      others.length === 0
        ? null
        : { src: node.address!, peers: others.map((o) => ({ address: o.node.address!, comment: `${o.node.name}, priority ${o.priority}` })) },
    passwordFile: v.password !== undefined ? keepalivedSecretPath(v.password) : null,
    cidr: v.cidr,
    track:
      v.track.length === 0
        ? null
        : {
            weight,
            note:
              others.length === 0
                ? [`Weight ${weight}: the only member, so there is no one to hand the VIP to.`]
                : [
                    `Weight ${weight}: priorities run from ${top} down to ${bottom}, so a member whose tracked process`,
                    `dies drops to at most ${top} - ${-weight} = ${top + weight}, below every member whose processes all run.`,
                    `More dead processes take more off; keepalived stops at 1, still below every priority here.`,
                  ],
            names: [...v.track].sort().map(trackerName),
          },
  };
}
