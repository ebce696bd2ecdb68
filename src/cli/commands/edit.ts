import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { compile, type CompileResult, type InputFile, type OutputFile } from '../../index.js';
import { describeChange, diffModels } from '../../analysis/model-diff.js';
import { FORMATTERS } from '../../diagnostics/format/index.js';
import { hasErrors } from '../../diagnostics/types.js';
import { addBackend, demote, drain, promote, removeBackend, type EditResult } from '../../edit/ops.js';
import type { Model } from '../../3-model/types.js';
import { displayPath, readInventory } from '../read.js';
import { EXIT, inventoryOption, type CommandContext } from './shared.js';

interface EditOptions {
  inventory: string;
  out: string;
  build: boolean;
  dryRun?: boolean;
  commit?: boolean;
}

/** A generated file's text (one place to change if the output type changes). */
const textOf = (f: OutputFile): string => f.bytes.toString('utf8');

/**
 * The edit commands: each changes only the lines it must in the file that defines the entity,
 * prints the inventory diff and what it does in inventory terms, and writes nothing when the
 * compiler rejects the result (or under --dry-run). Then out/ is rebuilt (when it exists) and,
 * with --commit, both are committed.
 */
export function registerEdit(program: Command, ctx: CommandContext): void {
  const edit = (name: string, description: string, args: string[], make: (files: InputFile[], model: Model, args: string[], o: EditOptions & { to?: string; site?: string }) => EditResult) => {
    const cmd = program.command(name).description(description);
    for (const a of args) cmd.argument(a);
    inventoryOption(cmd)
      .option('-o, --out <dir>', 'output directory to rebuild after the change (when it exists)', 'out')
      .option('--no-build', 'leave the output directory as it is')
      .option('--dry-run', 'print the change and what it does; write nothing')
      .option('--commit', 'commit the change (and the rebuilt output) with a message naming it');
    if (name === 'promote') cmd.option('--to <node>', 'the backend node to make active (default: the next by priority)');
    if (name === 'add-backend') cmd.option('--site <site>', 'the site of a backend given as address:port');
    cmd.action(async (...all: unknown[]) => {
      const values = all.slice(0, args.length) as string[];
      const o = all[args.length] as EditOptions & { to?: string; site?: string };
      await run(ctx, o, (files, model) => make(files, model, values, o));
    });
  };
  edit('promote', 'make another backend of an active/standby service the active one', ['<service>'], (f, m, [s], o) => promote(f, m, s!, o.to));
  edit('demote', 'make the declared primary of an active/standby service active again', ['<service>'], (f, m, [s]) => demote(f, m, s!));
  edit('drain', 'take a node out of rotation in every daemon (drain: true); it stays in the inventory', ['<node>'], (f, m, [n]) => drain(f, m, n!, true));
  edit('undrain', 'put a drained node back into rotation', ['<node>'], (f, m, [n]) => drain(f, m, n!, false));
  edit('add-backend', 'add a backend (a node, or address:port --site S) to a service', ['<service>', '<target>'], (f, m, [s, t], o) => addBackend(f, m, s!, t!, o.site));
  edit('remove-backend', 'remove a backend (a node, or address:port) from a service', ['<service>', '<target>'], (f, m, [s, t]) => removeBackend(f, m, s!, t!));
}

async function run({ io, exit }: CommandContext, o: EditOptions, make: (files: InputFile[], model: Model) => EditResult): Promise<void> {
  const files = readInventory(o.inventory);
  const source = `${displayPath(o.inventory)}/`;
  const before = compile(files);
  const print = (r: CompileResult, inputs: readonly InputFile[]) => {
    const texts = new Map(inputs.map((f) => [f.path, f.text]));
    io.err(FORMATTERS.text(r.diagnostics.filter((d) => d.severity === 'error'), { source: (f) => texts.get(f) ?? r.locator.source(f), color: io.colorErr }));
  };
  if (!before.model || hasErrors(before.diagnostics)) {
    print(before, files);
    io.err(`refused: the inventory in ${source} does not compile as it is; fix it first (nothing was written)\n`);
    return exit(EXIT.invalid);
  }
  const result = make(files, before.model);
  if ('refused' in result) {
    io.err(`refused: ${result.refused}${result.hint ? `\n  hint: ${result.hint}` : ''}\nnothing was written\n`);
    return exit(EXIT.invalid);
  }
  if ('unchanged' in result) return io.out(`${result.unchanged}: nothing to change\n`);
  const inputs = files.map((f) => (f.path === result.path ? { path: f.path, text: result.text } : f));
  const after = compile(inputs);
  if (!after.model || hasErrors(after.diagnostics)) {
    print(after, inputs);
    io.err(`refused: ${result.summary} would not compile (above); nothing was written\n`);
    return exit(EXIT.invalid);
  }
  const old = files.find((f) => f.path === result.path)!;
  const { createTwoFilesPatch } = await import('diff');
  const patch = createTwoFilesPatch(`a/${result.path}`, `b/${result.path}`, old.text, result.text, '', '', { context: 2 })
    .split('\n')
    .filter((l) => !l.startsWith('====='))
    .map((l) => l.replace(/\t$/, ''))
    .join('\n');
  const changes = diffModels(before.model, after.model).map(describeChange);
  const was = new Map(before.files.map((f) => [f.path, textOf(f)]));
  const now = new Map(after.files.map((f) => [f.path, textOf(f)]));
  const touched = [...new Set([...was.keys(), ...now.keys()])].filter((p) => p !== 'manifest.json' && was.get(p) !== now.get(p)).sort();
  io.out(
    [
      `${result.summary}${o.dryRun ? ' (dry run: nothing written)' : ''}`,
      '',
      patch.trimEnd(),
      '',
      'in inventory terms:',
      ...(changes.length ? changes.map((c) => `  ${c}`) : ['  (no change)']),
      `generated files that change (${touched.length}):`,
      ...touched.map((p) => `  ${!was.has(p) ? 'new     ' : !now.has(p) ? 'removed ' : 'changed '}${p}`),
      '',
    ].join('\n'),
  );
  if (o.dryRun) return;
  const root = o.commit ? gitRoot(o.inventory) : undefined;
  if (o.commit && root === undefined) {
    io.err(`refused: --commit needs a git repository around ${o.inventory}; nothing was written\n`);
    return exit(EXIT.invalid);
  }
  const abs = path.resolve(o.inventory, path.relative(displayPath(o.inventory), result.path));
  const tmp = `${abs}.hacompile-edit`;
  writeFileSync(tmp, result.text);
  renameSync(tmp, abs);
  io.out(`wrote ${result.path}\n`);
  const rebuild = o.build && existsSync(path.join(o.out, 'manifest.json'));
  if (rebuild) {
    // The build's own command (its warnings were this command's to print, and it printed none).
    const { main } = await import('../main.js');
    let said = '';
    const code = await main(['build', '-i', o.inventory, '-o', o.out], { ...io, err: (t) => void (said += t) });
    if (code !== EXIT.ok) {
      io.err(said);
      return exit(code);
    }
    io.out(said.split('\n').filter((l) => l.startsWith('wrote ')).map((l) => `${l}\n`).join(''));
  }
  if (root !== undefined) {
    const paths = [abs, ...(rebuild ? [path.resolve(o.out)] : [])];
    const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    git(['add', '--', ...paths]);
    const body = [...changes, ...(touched.length ? [`${touched.length} generated file${touched.length === 1 ? '' : 's'} change`] : [])].join('\n');
    git(['commit', '-q', '-m', `hacompile: ${result.summary}`, '-m', body, '--', ...paths]);
    io.out(`committed: hacompile: ${result.summary}\n`);
  }
}

function gitRoot(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: path.resolve(dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
