// The e2e network: one namespace per node, a hub and a client, all named `hac-e2e<pid>-*`.
// Each site is its own segment (a bridge in the hub, like a WireGuard hub and its spokes); the
// hub routes between the segments. Addresses come from the compiled model's nodes (198.18.0.0/15);
// every node of a site must sit in the same /24, whose .1 is the hub.
//
//        client 198.18.99.10 ── hub ── br for site a (198.18.1.0/24): a1, a2, ...
//                               ├──── br for site b (198.18.2.0/24): b1, ...
//                               └──── br for site edge (198.18.0.0/24): edge1
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';

/**
 * `hac-e2e<pid>-`: the namespaces of one test process, so that runs on one machine (several
 * checkouts) never remove each other's; leftovers are those whose process is gone.
 */
export const PREFIX = `hac-e2e${process.pid}-`;
const ANY_RUN = /^hac-e2e(\d+)-/;
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};
export const HUB = `${PREFIX}hub`;
export const CLIENT = `${PREFIX}client`;
export const CLIENT_ADDRESS = '198.18.99.10';
const CLIENT_SUBNET = '198.18.99';

export interface NetNode {
  name: string;
  site: string;
  address: string;
}

export interface Network {
  /** Namespace of a node. */
  ns(node: string): string;
  /** Cuts every link of a site: its packets vanish (no reset, no ICMP). */
  cutSite(site: string): void;
  restoreSite(site: string): void;
  remove(): void;
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function inNs(ns: string, cmd: string, args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const subnetOf = (address: string): string => {
  const m = /^198\.(18|19)\.(\d+)\.(\d+)$/.exec(address);
  if (!m) throw new Error(`e2e node address ${address} is not an IPv4 address in 198.18.0.0/15`);
  return address.split('.').slice(0, 3).join('.');
};

/** Names of the e2e namespaces that exist now: this process's, and those of runs whose process is gone. */
export function e2eNamespaces(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => {
      const m = ANY_RUN.exec(n);
      return m !== null && (Number(m[1]) === process.pid || !alive(Number(m[1])));
    });
}

/**
 * Removes this run's namespaces and those of runs whose process is gone, first killing (by PID) the processes still inside it:
 * leftovers of an earlier run that died before its own cleanup (kill -9 of the test runner).
 */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  for (const ns of e2eNamespaces()) {
    let pids: number[] = [];
    try {
      pids = ip(['netns', 'pids', ns])
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      // no pids
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    try {
      ip(['netns', 'del', ns]);
      removed.push(ns);
    } catch {
      // raced with another removal
    }
  }
  // keepalived -s NS makes /run/keepalived/NS (empty) and leaves it when it is killed.
  try {
    for (const d of readdirSync('/run/keepalived')) if (d.startsWith(PREFIX) || (ANY_RUN.test(d) && !alive(Number(ANY_RUN.exec(d)![1])))) rmSync(`/run/keepalived/${d}`, { recursive: true, force: true });
  } catch {
    // no such directory
  }
  return removed;
}

/** Builds the namespaces, bridges and veth pairs for these nodes. */
export function createNetwork(nodes: readonly NetNode[]): Network {
  removeLeftovers();
  const sites = new Map<string, string>();
  for (const n of nodes) {
    const subnet = subnetOf(n.address);
    const known = sites.get(n.site);
    if (known !== undefined && known !== subnet) throw new Error(`site ${n.site} spans ${known}.0/24 and ${subnet}.0/24`);
    sites.set(n.site, subnet);
  }
  const siteIndex = new Map([...sites.keys()].sort().map((s, i) => [s, i]));
  const bridge = (site: string): string => `br${siteIndex.get(site)}`;
  const nodeIndex = new Map(nodes.map((n, i) => [n.name, i]));
  const hubPort = (node: string): string => `vn${nodeIndex.get(node)}`;
  const ns = (node: string): string => {
    if (!nodeIndex.has(node)) throw new Error(`no e2e namespace for node ${node}`);
    return `${PREFIX}${node}`;
  };

  const addNs = (name: string): void => {
    ip(['netns', 'add', name]);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  };
  addNs(HUB);
  inNs(HUB, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  const segment = (br: string, subnet: string): void => {
    ip(['-n', HUB, 'link', 'add', br, 'type', 'bridge']);
    ip(['-n', HUB, 'addr', 'add', `${subnet}.1/24`, 'dev', br]);
    ip(['-n', HUB, 'link', 'set', br, 'up']);
  };
  const attach = (name: string, port: string, br: string, address: string, subnet: string): void => {
    addNs(name);
    ip(['-n', HUB, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
    ip(['-n', HUB, 'link', 'set', port, 'master', br, 'up']);
    ip(['-n', name, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    ip(['-n', name, 'link', 'set', 'eth0', 'up']);
    ip(['-n', name, 'route', 'add', 'default', 'via', `${subnet}.1`]);
  };
  for (const [site, subnet] of sites) segment(bridge(site), subnet);
  for (const n of nodes) attach(ns(n.name), hubPort(n.name), bridge(n.site), n.address, sites.get(n.site)!);
  segment('brc', CLIENT_SUBNET);
  attach(CLIENT, 'vc', 'brc', CLIENT_ADDRESS, CLIENT_SUBNET);

  const siteNodes = (site: string): NetNode[] => {
    const members = nodes.filter((n) => n.site === site);
    if (members.length === 0) throw new Error(`no e2e node on site ${site}`);
    return members;
  };
  return {
    ns,
    // The hub-side end of every link of the site goes down, and the hub silently drops what it
    // would route to or from the site (a blackhole rule, like a dead WireGuard peer: no ICMP
    // unreachable once ARP gives up), so the edge sees packets vanish, never a reset.
    cutSite(site) {
      const subnet = `${sites.get(site)}.0/24`;
      ip(['-n', HUB, 'rule', 'add', 'to', subnet, 'blackhole', 'pref', '100']);
      ip(['-n', HUB, 'rule', 'add', 'from', subnet, 'blackhole', 'pref', '101']);
      for (const n of siteNodes(site)) ip(['-n', HUB, 'link', 'set', hubPort(n.name), 'down']);
    },
    restoreSite(site) {
      const subnet = `${sites.get(site)}.0/24`;
      for (const n of siteNodes(site)) ip(['-n', HUB, 'link', 'set', hubPort(n.name), 'up']);
      ip(['-n', HUB, 'rule', 'del', 'to', subnet, 'blackhole', 'pref', '100']);
      ip(['-n', HUB, 'rule', 'del', 'from', subnet, 'blackhole', 'pref', '101']);
    },
    remove() {
      removeLeftovers();
    },
  };
}
