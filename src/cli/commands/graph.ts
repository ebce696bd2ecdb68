import { Option, type Command } from 'commander';
import { renderGraph, type GraphFormat } from '../../analysis/graph.js';
import { compileDir } from '../compile-dir.js';
import { EXIT, inventoryOption, type CommandContext } from './shared.js';

export function registerGraph(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('graph').description('print sites, nodes, services and groups as Mermaid or Graphviz dot');
  inventoryOption(cmd)
    .addOption(new Option('--format <format>', 'mermaid (GitHub renders it) or dot').choices(['mermaid', 'dot']).default('mermaid'))
    .action(async (o: { inventory: string; format: GraphFormat }) => {
      const result = await compileDir({ inventory: o.inventory, format: 'text', quietWarnings: true, modelOnly: true }, io);
      if (!result.ok || !result.model) return exit(EXIT.invalid);
      io.out(renderGraph(result.model, o.format));
    });
}
