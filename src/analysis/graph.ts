import type { Backend, Model } from '../3-model/types.js';

export type GraphFormat = 'mermaid' | 'dot';

interface Edge {
  from: string;
  to: string;
  label?: string;
  dashed?: boolean;
}

interface Graph {
  /** site → [id, label] of its nodes and hand-made backends */
  sites: Map<string, [string, string][]>;
  /** id, label, shape */
  things: [string, string, 'service' | 'tcp' | 'group' | 'vip'][];
  edges: Edge[];
}

const id = (kind: string, name: string): string => `${kind}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;

function build(model: Model): Graph {
  const sites = new Map<string, [string, string][]>(model.sites.map((s) => [s.name, []]));
  for (const n of model.nodes) sites.get(n.site)!.push([id('node', n.name), n.roles.length ? `${n.name} (${n.roles.join(', ')})` : n.name]);
  const manual = new Set<string>();
  const target = (b: Backend): string => {
    if (b.node) return id('node', b.node);
    const i = id('addr', b.key);
    if (!manual.has(i)) {
      manual.add(i);
      sites.get(b.site)!.push([i, b.key]);
    }
    return i;
  };
  const things: Graph['things'] = [];
  const edges: Edge[] = [];
  for (const s of model.services) {
    const how = [s.balance, ...(s.localFirst ? ['local first'] : []), ...(s.reach === 'ingress' ? ['via ingress'] : [])];
    things.push([id('svc', s.name), `${s.name} (${how.join(', ')})`, 'service']);
    // With reach: ingress an edge names the node's ingress (<svc>.<node>.<domain>), not the instance's address.
    const via = (b: Backend): string[] => (s.reach === 'ingress' && b.node !== undefined ? [`via ${s.name}.${b.node}`] : []);
    for (const b of s.backends) {
      const labels = [...(b.backup ? ['backup'] : s.active !== undefined && b.node === s.active ? ['active'] : []), ...via(b)];
      edges.push({ from: id('svc', s.name), to: target(b), ...(labels.length ? { label: labels.join(', ') } : {}), ...(b.backup ? { dashed: true } : {}) });
    }
  }
  for (const t of model.tcp) {
    things.push([id('tcp', t.name), `tcp ${t.name} :${t.port}${t.sni.length ? ` SNI ${t.sni.join(' ')}` : ''}`, 'tcp']);
    if (t.target.kind === 'plain') for (const b of t.backends) edges.push({ from: id('tcp', t.name), to: target(b), ...(b.backup ? { label: 'backup', dashed: true } : {}) });
    else edges.push({ from: id('tcp', t.name), to: id(t.target.kind, t.target.group), label: t.target.kind === 'redis' ? 'master' : 'primary' });
  }
  for (const [kind, groups] of [['redis', model.redis], ['mongo', model.mongo], ['postgres', model.postgres]] as const) {
    for (const g of groups) {
      things.push([id(kind, g.name), `${kind} ${g.name}`, 'group']);
      g.nodes.forEach((n, i) => edges.push({ from: id(kind, g.name), to: id('node', n), ...(kind === 'redis' && i === 0 ? { label: 'initial master' } : {}) }));
    }
  }
  for (const v of model.vips) {
    things.push([id('vip', v.name), `VIP ${v.name} ${v.cidr}`, 'vip']);
    v.nodes.forEach((n, i) => edges.push({ from: id('vip', v.name), to: id('node', n), label: `${i + 1}`, dashed: i > 0 }));
  }
  return { sites, things, edges };
}

/** Sites, nodes, services and groups as Mermaid (GitHub renders it in a pull request) or Graphviz dot. */
export function renderGraph(model: Model, format: GraphFormat): string {
  const g = build(model);
  return format === 'mermaid' ? mermaid(g) : dot(g);
}

function mermaid(g: Graph): string {
  const esc = (s: string) => s.replace(/"/g, '#quot;');
  const shape: Record<string, (l: string) => string> = {
    service: (l) => `(["${esc(l)}"])`,
    tcp: (l) => `[/"${esc(l)}"/]`,
    group: (l) => `[("${esc(l)}")]`,
    vip: (l) => `{{"${esc(l)}"}}`,
  };
  const lines = ['flowchart LR'];
  for (const [site, members] of g.sites) {
    lines.push(`  subgraph ${id('site', site)}["site ${esc(site)}"]`);
    for (const [i, label] of members) lines.push(`    ${i}["${esc(label)}"]`);
    lines.push('  end');
  }
  for (const [i, label, kind] of g.things) lines.push(`  ${i}${shape[kind]!(label)}`);
  for (const e of g.edges) lines.push(`  ${e.from} ${e.dashed ? '-.->' : '-->'}${e.label ? `|${esc(e.label)}|` : ''} ${e.to}`);
  return lines.join('\n') + '\n';
}

function dot(g: Graph): string {
  const q = (s: string) => JSON.stringify(s);
  const shape = { service: 'ellipse', tcp: 'parallelogram', group: 'cylinder', vip: 'hexagon' };
  const lines = ['digraph hacompile {', '  rankdir=LR;', '  node [fontname="sans-serif"];'];
  for (const [site, members] of g.sites) {
    lines.push(`  subgraph ${q(`cluster_${site}`)} {`, `    label=${q(`site ${site}`)};`);
    for (const [i, label] of members) lines.push(`    ${i} [label=${q(label)}, shape=box];`);
    lines.push('  }');
  }
  for (const [i, label, kind] of g.things) lines.push(`  ${i} [label=${q(label)}, shape=${shape[kind]}];`);
  for (const e of g.edges) {
    const attrs = [...(e.label ? [`label=${q(e.label)}`] : []), ...(e.dashed ? ['style=dashed'] : [])];
    lines.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
