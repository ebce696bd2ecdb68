import { Option, type Command } from 'commander';
import { verdicts, type Verdict } from '../../analysis/verdicts.js';
import { suggest } from '../../2-validate/schema.js';
import { compileDir } from '../compile-dir.js';
import { UsageError } from '../usage.js';
import { EXIT, inventoryOption, type CommandContext } from './shared.js';

/** `--down site:NAME --down node:NAME …`: what stays served, and by what. */
export function registerWhatIf(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('what-if').description('show what stays served when sites or nodes go down');
  inventoryOption(cmd)
    .option('--down <what>', 'site:NAME or node:NAME (repeatable; at least one)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (o: { inventory: string; down?: string[]; format: string }) => {
      const down = o.down ?? [];
      if (down.length === 0) throw new UsageError('what-if needs at least one --down site:NAME or --down node:NAME (what goes down)');
      for (const d of down) if (!/^(site|node):./.test(d)) throw new UsageError(`--down ${JSON.stringify(d)}: write site:NAME or node:NAME`);
      const result = await compileDir({ inventory: o.inventory, format: 'text', quietWarnings: true, modelOnly: true }, io);
      if (!result.ok || !result.model) return exit(EXIT.invalid);
      const model = result.model;
      const sites = new Set<string>();
      const nodes = new Set<string>();
      for (const d of down) {
        const [kind, name = ''] = d.split(':', 2);
        const known = kind === 'site' ? model.sites.map((s) => s.name) : model.nodes.map((n) => n.name);
        if (!known.includes(name)) {
          const s = suggest(name, known);
          throw new UsageError(`--down ${d}: there is no ${kind} ${JSON.stringify(name)} in the inventory${s ? ` (did you mean ${kind}:${s}?)` : ''}`);
        }
        (kind === 'site' ? sites : nodes).add(name);
      }
      const all = verdicts(model, { sites, nodes });
      // Drained nodes are already out of every answer below: said, so nobody counts on them.
      const drained = model.nodes.filter((n) => n.drained).map((n) => n.name);
      if (o.format === 'json') return io.out(JSON.stringify({ down: { sites: [...sites].sort(), nodes: [...nodes].sort() }, drained, verdicts: all.map(({ path: _, ...v }) => v) }, null, 2) + '\n');
      if (drained.length) io.out(`drained (no new traffic, not counted below): ${drained.map((n) => `node ${n}`).join(', ')}\n`);
      io.out(report([...sites].map((s) => `site ${s}`).concat([...nodes].map((n) => `node ${n}`)), all));
    });
}

function report(down: string[], all: Verdict[]): string {
  const lost = all.filter((v) => !v.served);
  const label = (v: Verdict): string => (v.kind === 'edge' ? 'the edge (Caddy)' : `${v.kind} ${v.name}`);
  const width = Math.max(...all.map((v) => label(v).length));
  const lines = [`what if ${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down:`];
  for (const v of [...lost, ...all.filter((x) => x.served)]) lines.push(`  ${v.served ? 'served' : 'LOST  '}  ${label(v).padEnd(width)}  ${v.detail}`);
  lines.push(lost.length === 0 ? 'everything stays served' : `${lost.length} of ${all.length} lose service: ${lost.map(label).join(', ')}`);
  return lines.join('\n') + '\n';
}
