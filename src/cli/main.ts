import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBuild } from './commands/build.js';
import { registerCheck } from './commands/check.js';
import { registerDiff } from './commands/diff.js';
import { registerExplain } from './commands/explain.js';
import { registerGraph } from './commands/graph.js';
import { registerEdit } from './commands/edit.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerSchema } from './commands/schema.js';
import { EXIT, type CommandContext } from './commands/shared.js';
import { registerVerify } from './commands/verify.js';
import { registerWhatIf } from './commands/what-if.js';
import { processIo, type Io } from './io.js';
import { GitError } from './git.js';
import { mark, timingsLine } from './timings.js';
import { NotOurTree, OutputError } from './tree.js';
import { UsageError } from './usage.js';

export { EXIT } from './commands/shared.js';

/** Commands that start or change an inventory (issue 18): init, schema, import and the edits. */
const LATER = [registerInit, registerSchema, registerImport, registerEdit];

/** The version in package.json (two directories up from src/cli/, dist/cli/ and dist/app/ alike). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const USAGE_HINT = '(run `hacompile help` or `hacompile <command> --help` for usage)';

/** What every --help ends with: the exit codes and colour rules (the README says the same). */
export const HELP_AFTER = `
Exit codes (every command):
  0  yes: valid, written, up to date, no changes
  1  no: the inventory is invalid, out/ is stale (build --check), a build would remove
     more than --max-removal, diff found changes, verify found a failing file
  2  could not do it: a usage error or bad option value, a missing directory or git ref,
     a foreign or locked output directory, an I/O error, a bug

Colour: only on a terminal, decided for stdout and stderr each; FORCE_COLOR turns it on
(0 or false: off), NO_COLOR (non-empty) or TERM=dumb turns it off.`;

/** The CLI: the only place that touches files, the environment and exit codes. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  mark('startup');
  let code: number = EXIT.ok;
  const ctx: CommandContext = { io, exit: (c) => void (code = c) };
  const program = new Command('hacompile')
    .description('Compile an HA inventory into Caddy, Traefik, HAProxy, keepalived, Sentinel and DNS configs.')
    .version(version(), '-V, --version', 'print the version of hacompile')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(USAGE_HINT)
    .addHelpText('after', HELP_AFTER);
  for (const register of [registerBuild, registerCheck, registerDiff, registerExplain, registerWhatIf, registerGraph, registerVerify, ...LATER]) register(program, ctx);

  try {
    await program.parseAsync(['node', 'hacompile', ...argv]);
    const timings = timingsLine();
    if (timings) io.err(timings);
    return io.failed?.() ? EXIT.trouble : code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.internal;
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n${USAGE_HINT}\n`);
      return EXIT.usage;
    }
    if (e instanceof NotOurTree || e instanceof OutputError || e instanceof GitError) {
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
