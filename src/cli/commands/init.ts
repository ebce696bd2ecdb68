import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { starterFiles } from '../../init/plan.js';
import { exampleFiles, schemaFile } from '../package-files.js';
import type { CommandContext } from './shared.js';

/**
 * The schema an editor should read from `dir`: the copy in the nearest node_modules/hacompile
 * (where a user installed the package), else the one this program runs from.
 */
function schemaFor(target: string): string {
  for (let d = path.resolve(target); ; d = path.dirname(d)) {
    const f = path.join(d, 'node_modules', 'hacompile', 'schema', 'inventory.schema.json');
    if (existsSync(f)) return f;
    if (path.dirname(d) === d) return schemaFile();
  }
}

/** `hacompile init [DIR]`: a commented starter inventory, CI workflows and a .gitignore; never replaces a file. */
export function registerInit(program: Command, { io }: CommandContext): void {
  program
    .command('init')
    .description('write a commented starter inventory, example CI workflows and a .gitignore (never replaces a file)')
    .argument('[dir]', 'where to write them', '.')
    .action((dir: string) => {
      const schema = schemaFor(dir);
      const rel = (sub: string) => path.relative(path.resolve(dir, sub), schema).split(path.sep).join('/');
      const files = starterFiles(exampleFiles('init'), rel);
      const shown = (p: string) => (dir === '.' ? p : `${dir.replace(/\/+$/, '')}/${p}`);
      const kept = files.filter((f) => existsSync(path.join(dir, f.path)));
      const written: string[] = [];
      for (const f of files) {
        if (kept.includes(f)) continue;
        mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        writeFileSync(path.join(dir, f.path), f.text, { flag: 'wx' });
        written.push(f.path);
      }
      const lines = written.map((p) => `  wrote ${shown(p)}`);
      for (const f of kept) {
        lines.push(`  kept  ${shown(f.path)} (exists; not replaced)`);
        if (f.path === '.gitignore' && !readFileSync(path.join(dir, f.path), 'utf8').includes('node_modules')) lines.push(`        add to it: node_modules/ (and keep out/ committed: reviewers read its diff)`);
      }
      io.out(`${lines.join('\n')}\n`);
      if (written.length === 0) return io.err(`nothing written: every file exists in ${dir}\n`);
      const inv = shown('inventory');
      io.out(`next: edit ${inv}/inventory.yaml (or \`hacompile import\` what runs), then \`hacompile build${dir === '.' ? '' : ` -i ${inv} -o ${shown('out')}`}\` and commit inventory/ and out/\n`);
    });
}
