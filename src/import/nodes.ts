/** Nodes from `tailscale status --json` and `om node ls --format json` (pure: texts in). */
import type { Found, FoundNode } from './types.js';

/** A node name from a host or DNS name: its first label, lowercased, made a valid name. */
export function nodeName(host: string): string | undefined {
  const first = host.trim().replace(/\.$/, '').split('.')[0]!.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
  return first.length > 0 && first.length <= 63 ? first : undefined;
}

interface TailscalePeer {
  HostName?: string;
  DNSName?: string;
  TailscaleIPs?: string[];
  Online?: boolean;
  Tags?: string[];
  OS?: string;
}

function parseJson(text: string, file: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `${file}: not JSON (${(e as Error).message}); give the output of the command itself` };
  }
}

/**
 * `tailscale status --json`: Self and every Peer (an object keyed by node key, or a list). Offline
 * peers, and devices that are not servers (no tag, or not the `only` tag), are skipped and listed.
 */
export function fromTailscale(text: string, file: string, only?: string): Found<FoundNode> {
  const out: Found<FoundNode> = { items: [], skipped: [], findings: [] };
  const { value, error } = parseJson(text, file);
  if (error) return { ...out, findings: [{ level: 'error', message: error }] };
  const status = value as { Self?: TailscalePeer; Peer?: Record<string, TailscalePeer> | TailscalePeer[] };
  if (typeof status !== 'object' || status === null || (!status.Self && !status.Peer)) {
    return { ...out, findings: [{ level: 'error', message: `${file}: no Self or Peer: is it \`tailscale status --json\`?` }] };
  }
  const peers: [string, TailscalePeer, boolean][] = [];
  if (status.Self) peers.push(['Self', status.Self, true]);
  const p = status.Peer ?? {};
  for (const [k, v] of Array.isArray(p) ? p.map((x, i) => [String(i), x] as const) : Object.entries(p).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) peers.push([`Peer ${JSON.stringify(k)}`, v, false]);
  const tag = only === undefined ? undefined : only.startsWith('tag:') ? only : `tag:${only}`;
  for (const [where, peer, self] of peers) {
    const source = `${file}: ${where}`;
    const name = nodeName(peer.DNSName || peer.HostName || '');
    const label = `${peer.DNSName || peer.HostName || '(no name)'} (${source})`;
    if (!name) {
      out.findings.push({ level: 'warning', message: `${source}: no usable DNSName or HostName; skipped` });
      continue;
    }
    if (!self && peer.Online === false) {
      out.skipped.push(`${name}: offline, ${label}`);
      continue;
    }
    const tags = peer.Tags ?? [];
    if (tag !== undefined ? !tags.includes(tag) : tags.length === 0) {
      out.skipped.push(`${name}: not a server (${tag !== undefined ? `no ${tag}` : 'no tag'}${peer.OS ? `, ${peer.OS}` : ''}), ${label}`);
      continue;
    }
    const address = (peer.TailscaleIPs ?? []).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
    if (!address) out.findings.push({ level: 'warning', message: `${source}: ${name} has no IPv4 in TailscaleIPs; give it an \`address:\`` });
    out.items.push({ name, ...(address ? { address } : {}), source: `${source} (${peer.DNSName || peer.HostName})` });
  }
  return out;
}

/** `om node ls --format json`: an array of names (doubled domains cut to the first label). */
export function fromOpenSvc(text: string, file: string): Found<FoundNode> {
  const out: Found<FoundNode> = { items: [], skipped: [], findings: [] };
  const { value, error } = parseJson(text, file);
  if (error) return { ...out, findings: [{ level: 'error', message: error }] };
  if (!Array.isArray(value)) return { ...out, findings: [{ level: 'error', message: `${file}: expected an array of node names (\`om node ls --format json\`)` }] };
  value.forEach((v, i) => {
    const name = typeof v === 'string' ? nodeName(v) : undefined;
    if (!name) out.findings.push({ level: 'warning', message: `${file}: item ${i} (${JSON.stringify(v)}) is not a node name; skipped` });
    else out.items.push({ name, source: `${file}: item ${i} (${v})` });
  });
  return out;
}

/** Nodes found by several sources are one node: the first address wins, every source is named. */
export function mergeNodes(lists: FoundNode[][]): FoundNode[] {
  const by = new Map<string, FoundNode>();
  for (const n of lists.flat()) {
    const had = by.get(n.name);
    if (!had) by.set(n.name, { ...n });
    else by.set(n.name, { name: n.name, ...((had.address ?? n.address) ? { address: (had.address ?? n.address)! } : {}), source: `${had.source}; ${n.source}` });
  }
  return [...by.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
