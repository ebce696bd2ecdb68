import { Option, type Command } from 'commander';
import { FORMATTERS } from '../../diagnostics/format/index.js';
import type { Io } from '../io.js';
import { UsageError } from '../usage.js';

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

/** A share given in percent (0 to 100), as a fraction (`--max-removal` of build and diff). */
export function percent(value: string, option: string): number {
  if (!/^(100|[0-9]{1,2})(\.[0-9]+)?$/.test(value) || Number(value) > 100) throw new UsageError(`${option} must be a percentage from 0 to 100, not ${JSON.stringify(value)}`);
  return Number(value) / 100;
}
