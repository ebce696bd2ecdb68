import type { Command } from 'commander';
import { verdicts, type Verdict } from '../../analysis/verdicts.js';
import { suggest } from '../../2-validate/schema.js';
import { compileDir } from '../compile-dir.js';
import { EXIT, inventoryOption, type CommandContext } from './shared.js';

/** `--down site:NAME --down node:NAME …`: what stays served, and by what. */
export function registerWhatIf(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('what-if').description('show what stays served when sites or nodes go down');
  inventoryOption(cmd)
    .requiredOption('--down <what>', 'site:NAME or node:NAME (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--format <format>', 'text or json', 'text')
    .action(async (o: { inventory: string; down: string[]; format: string }) => {
      const result = await compileDir({ inventory: o.inventory, format: 'text', quietWarnings: true, modelOnly: true }, io);
      if (!result.ok || !result.model) return exit(EXIT.invalid);
      const model = result.model;
      const sites = new Set<string>();
      const nodes = new Set<string>();
      for (const d of o.down) {
        const [kind, name = ''] = d.split(':', 2);
        const known = kind === 'site' ? model.sites.map((s) => s.name) : kind === 'node' ? model.nodes.map((n) => n.name) : undefined;
        if (!known) {
          io.err(`error: --down ${JSON.stringify(d)}: write site:NAME or node:NAME\n`);
          return exit(EXIT.invalid);
        }
        if (!known.includes(name)) {
          const s = suggest(name, known);
          io.err(`error: --down ${d}: there is no ${kind} ${JSON.stringify(name)}${s ? ` (did you mean ${kind}:${s}?)` : ''}\n`);
          return exit(EXIT.invalid);
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
  const width = Math.max(...all.map((v) => `${v.kind} ${v.name}`.length));
  const lines = [`what if ${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down:`];
  for (const v of [...lost, ...all.filter((x) => x.served)]) lines.push(`  ${v.served ? 'served' : 'LOST  '}  ${`${v.kind} ${v.name}`.padEnd(width)}  ${v.detail}`);
  lines.push(lost.length === 0 ? 'everything stays served' : `${lost.length} of ${all.length} lose service: ${lost.map((v) => `${v.kind} ${v.name}`).join(', ')}`);
  return lines.join('\n') + '\n';
}
