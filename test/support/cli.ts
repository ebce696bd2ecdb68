import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';

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
