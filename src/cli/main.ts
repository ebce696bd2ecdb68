import { Command, CommanderError, Option } from 'commander';
import { FORMATTERS, type FormatName } from '../diagnostics/format/index.js';
import { compileDir } from './compile-dir.js';
import { processIo, type Io } from './io.js';
import { diffTree, NotOurTree, writeTreeAtomic } from './tree.js';

/** Exit codes: 0 clean, 1 errors in the inventory (or stale output under --check), 2 anything else. */
export const EXIT = { ok: 0, invalid: 1, internal: 2 } as const;

const formatOption = () => new Option('--format <format>', 'how to print diagnostics').choices(Object.keys(FORMATTERS)).default('text');

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('hacompile')
    .description('Compile an HA inventory into Caddy, Traefik, HAProxy, keepalived, Sentinel and DNS configs.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  program
    .command('build')
    .description('compile the inventory and write the output tree (all or nothing)')
    .option('-i, --inventory <dir>', 'inventory directory', 'inventory')
    .option('-o, --out <dir>', 'output directory', 'out')
    .option('--check', 'write nothing; exit 1 naming every file that is out of date')
    .addOption(formatOption())
    .action(async (o: { inventory: string; out: string; check?: boolean; format: FormatName }) => {
      const result = await compileDir(o, io);
      if (!result.ok) return void (code = EXIT.invalid);
      if (o.check) {
        const d = await diffTree(o.out, result.files);
        const stale = [...d.changed.map((p) => `changed  ${p}`), ...d.added.map((p) => `missing  ${p}`), ...d.removed.map((p) => `extra    ${p}`)];
        if (stale.length === 0) return io.err(`${o.out}/ is up to date (${result.files.length} files)\n`);
        io.err(`${o.out}/ is out of date; run \`hacompile build\` and commit the result:\n${stale.map((s) => `  ${s}\n`).join('')}`);
        return void (code = EXIT.invalid);
      }
      const d = await diffTree(o.out, result.files);
      await writeTreeAtomic(o.out, result.files);
      const n = d.changed.length + d.added.length + d.removed.length;
      io.err(`wrote ${result.files.length} files to ${o.out}/ (${n === 0 ? 'no changes' : `${d.changed.length} changed, ${d.added.length} new, ${d.removed.length} removed`})\n`);
    });

  program
    .command('check')
    .description('validate the inventory; write nothing')
    .option('-i, --inventory <dir>', 'inventory directory', 'inventory')
    .addOption(formatOption())
    .action(async (o: { inventory: string; format: FormatName }) => {
      const result = await compileDir(o, io);
      if (!result.ok) return void (code = EXIT.invalid);
      if (o.format === 'text') io.err(`inventory is valid: ${result.files.length} files would be written\n`);
    });

  try {
    await program.parseAsync(['node', 'hacompile', ...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.internal;
    if (e instanceof NotOurTree) {
      io.err(`error: ${e.message}\n`);
      return EXIT.internal;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.path) {
      io.err(`error: ${err.code}: cannot use ${err.path} (${err.syscall ?? 'io'}); nothing was changed\n`);
      return EXIT.internal;
    }
    io.err(`internal error: ${err.message ?? String(e)}\nThis is a bug in hacompile; set HACOMPILE_DEBUG=1 for details.\n`);
    if (process.env.HACOMPILE_DEBUG) io.err(`${err.stack ?? ''}\n`);
    return EXIT.internal;
  }
}
