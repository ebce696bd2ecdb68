/** The imported inventory as YAML text: every entry with a comment naming where it came from. */
import type { ImportedService, ImportedTcp } from './labels.js';
import type { FoundNode } from './types.js';

export interface ImportPlan {
  sources: string[];
  platform?: { domain: string; contact: string };
  site?: string;
  nodes: FoundNode[];
  /** The node the containers run on. */
  node?: string;
  services: ImportedService[];
  tcp: ImportedTcp[];
  /** Lines for the end of the file: what was skipped, and why. */
  skipped: string[];
}

const comment = (s: string): string => `# ${s.replace(/\n/g, ' ')}`;

export function render(p: ImportPlan): string {
  const out: string[] = [
    '# Written by `hacompile import` from what runs:',
    ...p.sources.map((s) => `#   ${s}`),
    '# Review it (the comments name each entry\'s source), then `hacompile build` and commit.',
  ];
  if (p.platform) out.push('', 'platform:', `  domain: ${p.platform.domain}`, `  contact: ${p.platform.contact}`);
  if (p.site) out.push('', 'sites:', `  ${p.site}: {}                     ${comment('from --site: no source knows sites')}`);
  if (p.nodes.length) {
    out.push('', 'nodes:');
    for (const n of p.nodes) {
      out.push(`  ${n.name}:   ${comment(`from ${n.source}`)}`);
      out.push(p.site ? `    site: ${p.site}` : '    # site: ?                       # no source knows sites: give one (or import with --site)');
      if (n.address) out.push(`    address: ${n.address}`);
    }
  }
  if (p.services.length) {
    out.push('', 'services:');
    for (const s of p.services) {
      out.push(`  ${s.name}:   ${comment(`from ${s.source}`)}`);
      out.push(s.port !== undefined ? `    port: ${s.port}   ${comment(`from ${s.portSource}`)}` : '    # port: ?                       # no label or exposed port gives it');
      out.push(`    backends: [${p.node ?? ''}]`);
      if (s.hosts.length) out.push(`    hosts: [${s.hosts.join(', ')}]`);
      if (s.local) out.push(`    local: ${s.local}   # the container by name, for Traefik on its own node`);
      const h = Object.entries(s.health).filter(([, v]) => v !== undefined);
      if (h.length) out.push(`    health: { ${h.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
      for (const n of s.notes) out.push(`    # ${n}`);
    }
  }
  if (p.tcp.length) {
    out.push('', 'tcp:');
    for (const t of p.tcp) out.push(`  ${t.name}: { port: ${t.port}, check: tcp, backends: [${p.node ?? ''}] }   ${comment(`from ${t.source}`)}`);
  }
  if (p.skipped.length) out.push('', '# Not imported:', ...p.skipped.map((s) => `#   ${s}`));
  return `${out.join('\n')}\n`;
}
