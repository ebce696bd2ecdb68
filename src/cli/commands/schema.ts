import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { schemaFile } from '../package-files.js';
import type { CommandContext } from './shared.js';

/** `hacompile schema`: prints the inventory's JSON Schema (also node_modules/hacompile/schema/). */
export function registerSchema(program: Command, { io }: CommandContext): void {
  program
    .command('schema')
    .description('print the inventory JSON Schema (editors: node_modules/hacompile/schema/inventory.schema.json)')
    .option('--path', 'print the path of the schema file instead')
    .action((o: { path?: boolean }) => io.out(o.path ? `${schemaFile()}\n` : readFileSync(schemaFile(), 'utf8')));
}
