import { Option, type Command } from 'commander';
import { FORMATTERS } from '../../diagnostics/format/index.js';
import type { Io } from '../io.js';

/**
 * Exit codes, as diff(1) and grep(1): 0 yes (valid, up to date, no changes, written); 1 no (the
 * inventory is invalid, the output stale or refused, or `diff` found changes); 2 the command could
 * not do its job (a usage error, a missing directory or git ref, an I/O error, a bug).
 */
export const EXIT = { ok: 0, invalid: 1, changes: 1, usage: 2, trouble: 2, internal: 2 } as const;

/** What every command gets: where to print, and how to set the process's exit code. */
export interface CommandContext {
  io: Io;
  exit(code: number): void;
}

export const formatOption = (): Option => new Option('--format <format>', 'how to print diagnostics').choices(Object.keys(FORMATTERS)).default('text');
export const inventoryOption = (cmd: Command): Command => cmd.option('-i, --inventory <dir>', 'inventory directory', 'inventory');
