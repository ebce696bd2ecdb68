import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { compile } from '../../index.js';
import { describeChange, diffModels, diffZoneFile, type Change } from '../../analysis/model-diff.js';
import { compileDir, inventoryFromOut } from '../compile-dir.js';
import { asMap, GitError, inventoryAt, outAt } from '../git.js';
import { UsageError } from '../usage.js';
import { displayPath } from '../read.js';
import { listTree } from '../tree.js';
import { EXIT, inventoryOption, percent, type CommandContext } from './shared.js';

interface DiffOptions {
  inventory: string;
  against: string;
  out?: string;
  format: string;
  maxRemoval: string;
}

/**
 * Compiles the inventory and compares it with the output at a git ref (default HEAD) or in a
 * directory: first a summary in inventory terms, then the unified diff of every file.
 * Exit 0 no change, 1 changes, 2 trouble (as diff(1)). With `--out DIR` no git is needed: without
 * a repository, the summary is the zone files' (no inventory at the ref to compare models with).
 */
export function registerDiff(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('diff').description('show what a change does: a semantic summary, then the diff of every generated file');
  inventoryOption(cmd)
    .option('--against <ref>', 'git ref whose inventory and out/ to compare with', 'HEAD')
    .option('--out <dir>', 'compare with this output directory instead of out/ at the ref')
    .option('--max-removal <percent>', 'call out a change removing more than this share of a service\'s backends, a zone\'s records or a VIP\'s members', '50')
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (o: DiffOptions, command: Command) => {
      const share = percent(o.maxRemoval, '--max-removal');
      if (o.out !== undefined && !isDirectory(o.out)) throw new UsageError(`--out ${o.out} is not a directory (it should hold a previous build's output)`);
      const out = o.out ?? 'out';
      const now = await compileDir({ inventory: o.inventory, out, format: 'text', quietWarnings: true }, io);
      if (!now.ok || !now.model) return exit(EXIT.invalid);
      const display = displayPath(o.inventory);
      // With --out, the inventory at the ref is read only when git has it (or --against was given).
      let thenFiles;
      try {
        thenFiles = inventoryAt(o.against, o.inventory, display);
      } catch (e) {
        if (!(e instanceof GitError) || o.out === undefined || command.getOptionValueSource('against') === 'cli') throw e;
      }
      const then = thenFiles ? compile(thenFiles, { inventory: inventoryFromOut(o.inventory, out) }) : undefined;
      const before = o.out ? await readTree(o.out) : outAt(o.against, 'out');
      const after = asMap(now.files);
      const changes: Change[] = !then ? [] : then.model ? diffModels(then.model, now.model, share) : [{ subject: 'inventory', text: `does not compile at ${o.against}` }];
      const files = [...new Set([...before.keys(), ...after.keys()])].sort().filter((f) => before.get(f) !== after.get(f));
      for (const f of files) {
        const zone = /^dns\/(.+)\.zone$/.exec(f)?.[1];
        if (zone) changes.push(...diffZoneFile(zone, before.get(f) ?? '', after.get(f) ?? '', share));
      }
      const alarms = changes.flatMap((c) => (c.alarm ? [c.alarm] : []));
      const { createTwoFilesPatch } = await import('diff'); // loaded here: `build` never needs it
      const patches = files.filter((f) => f !== 'manifest.json').map((f) => ({
        path: f,
        status: !before.has(f) ? 'added' : !after.has(f) ? 'removed' : 'changed',
        patch: createTwoFilesPatch(`a/${f}`, `b/${f}`, before.get(f) ?? '', after.get(f) ?? '', '', '', { context: 3 }),
      }));
      if (o.format === 'json') {
        io.out(JSON.stringify({ against: o.out ?? o.against, alarms, changes, files: patches }, null, 2) + '\n');
      } else {
        const c = pc.createColors(io.colorOut);
        const lines: string[] = [];
        for (const a of alarms) lines.push(c.red(c.bold(`! ${a}`)));
        if (alarms.length) lines.push('');
        lines.push(...(changes.length ? changes.map((x) => `  ${describeChange(x)}`) : files.length ? ['  (no change in inventory terms)'] : ['no changes']));
        for (const p of patches) lines.push('', colour(p.patch, c));
        io.out(lines.join('\n') + '\n');
      }
      return exit(files.length === 0 && changes.length === 0 ? EXIT.ok : EXIT.changes);
    });
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function readTree(dir: string): Promise<Map<string, string>> {
  const files = await listTree(dir);
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as [string, string])));
}

function colour(patch: string, c: ReturnType<typeof pc.createColors>): string {
  return patch
    .split('\n')
    .filter((l) => !l.startsWith('====='))
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
    .join('\n')
    .trimEnd();
}
