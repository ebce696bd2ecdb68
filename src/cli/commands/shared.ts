import { Option, type Command } from 'commander';
import { FORMATTERS } from '../../diagnostics/format/index.js';
import type { Io } from '../io.js';

/** Exit codes: 0 clean, 1 errors in the inventory (or stale output under --check), 2 anything else. */
export const EXIT = { ok: 0, invalid: 1, changes: 2, internal: 2 } as const;

/** What every command gets: where to print, and how to set the process's exit code. */
export interface CommandContext {
  io: Io;
  exit(code: number): void;
}

export const formatOption = (): Option => new Option('--format <format>', 'how to print diagnostics').choices(Object.keys(FORMATTERS)).default('text');
export const inventoryOption = (cmd: Command): Command => cmd.option('-i, --inventory <dir>', 'inventory directory', 'inventory');
