import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { main } from '../../src/cli/main.js';
import { CASES } from './cases.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, capturing what it prints. */
export async function cli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), colorOut: false, colorErr: false });
  return { code, stdout, stderr };
}

/** A scratch directory holding a copy of `from` (if given); removed by the returned cleanup. */
export function scratch(from?: string): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hacompile-test-'));
  if (from) cpSync(from, path.join(dir, 'inventory'), { recursive: true });
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A golden case's inventory directory. */
export const validCase = (name: string): string => path.join(CASES, 'valid', name, 'inventory');
export const invalidCase = (name: string): string => path.join(CASES, 'invalid', name, 'inventory');

/**
 * `work(from?)` gives a scratch directory (holding a copy of `from` as `inventory/`), removed after
 * the test that made it. Call at the top of a test file.
 */
export function useScratch(): (from?: string) => string {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });
  return (from) => {
    const s = scratch(from);
    cleanups.push(s.done);
    return s.dir;
  };
}
