import type { Command } from 'commander';
import type { FormatName } from '../../diagnostics/format/index.js';
import { compileDir } from '../compile-dir.js';
import { EXIT, formatOption, inventoryOption, type CommandContext } from './shared.js';

export function registerCheck(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('check').description('validate the inventory and report single points of failure; write nothing');
  inventoryOption(cmd)
    .option('--strict', 'every single point of failure is an error')
    .addOption(formatOption())
    .action(async (o: { inventory: string; strict?: boolean; format: FormatName }) => {
      const result = await compileDir(o, io);
      if (!result.ok) return exit(EXIT.invalid);
      if (o.format === 'text') io.err(`inventory is valid: ${result.files.length} file${result.files.length === 1 ? '' : 's'} would be written\n`);
    });
}
