import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { check, compile, type CompileResult } from '../index.js';
import { UsageError } from './usage.js';
import { FORMATTERS, type FormatName } from '../diagnostics/format/index.js';
import { m } from '../diagnostics/messages.js';
import { hasErrors } from '../diagnostics/types.js';
import type { Io } from './io.js';
import { mark } from './timings.js';
import { displayPath, readInventory } from './read.js';

export interface CompileDirOptions {
  inventory: string;
  format: FormatName;
  strict?: boolean;
  serial?: number;
  /** Print diagnostics only when they include an error (commands whose output is something else). */
  quietWarnings?: boolean;
  /** Check the inventory and build its model only: no files (what-if and graph need none). */
  modelOnly?: boolean;
  /** The output directory the files are for (default `out`): the manifest names the inventory relative to it. */
  out?: string;
}

/** The inventory's path relative to the output directory, as the manifest records it (POSIX). */
export function inventoryFromOut(inventory: string, out: string): string {
  return path.relative(path.resolve(out), path.resolve(inventory)).split(path.sep).join('/') || '.';
}

/** Reads an inventory directory, compiles it and prints its diagnostics. */
export async function compileDir(opts: CompileDirOptions, io: Io): Promise<CompileResult & { ok: boolean }> {
  if (!isDirectory(opts.inventory)) {
    throw new UsageError(`the inventory directory ${opts.inventory} ${existsSync(opts.inventory) ? 'is not a directory' : 'does not exist'}; pass --inventory DIR`);
  }
  const inputs = readInventory(opts.inventory);
  mark('read');
  const source = `${displayPath(opts.inventory)}/`;
  const result = (opts.modelOnly ? check : compile)(inputs, {
    inventory: inventoryFromOut(opts.inventory, opts.out ?? 'out'),
    strict: opts.strict ?? false,
    onPhase: mark,
    ...(opts.serial !== undefined ? { serial: opts.serial } : {}),
  });
  const diagnostics = inputs.length === 0 ? [{ ...m.noInventoryFiles(source), related: [] }] : result.diagnostics;
  const shown = opts.quietWarnings && !hasErrors(diagnostics) ? [] : diagnostics;
  if (shown.length > 0) {
    const text = FORMATTERS[opts.format](shown, { source: (f) => result.locator.source(f), color: opts.format === 'text' && io.colorErr });
    if (opts.format === 'text') io.err(text);
    else io.out(text);
  }
  if (opts.format === 'text' && shown.length > 0) io.err(summary(diagnostics.filter((d) => d.severity === 'error').length, diagnostics.filter((d) => d.severity === 'warning').length));
  return { ...result, diagnostics, ok: !hasErrors(diagnostics) };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function summary(errors: number, warnings: number): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${errors > 0 ? '; nothing was written' : ''}\n`;
}
