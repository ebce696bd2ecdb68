import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { InputFile } from '../1-load/index.js';
import type { OutputFile } from '../index.js';

const git = (cwd: string, args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });

export class GitError extends Error {}

/** The files under `dir` as they were at `ref`, with the same display paths as on disk. */
function filesAt(ref: string, dir: string, pattern: RegExp): { rel: string; text: string }[] {
  const abs = path.resolve(dir);
  let root: string;
  try {
    root = git(abs, ['rev-parse', '--show-toplevel']).trim();
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new GitError(`cannot read ${ref} of the git repository around ${dir}: is it a git checkout, and does ${ref} exist?`);
  }
  const prefix = path.relative(root, abs).split(path.sep).join('/');
  const names = git(root, ['ls-tree', '-r', '--name-only', ref, '--', prefix || '.'])
    .split('\n')
    .filter((n) => n && pattern.test(n));
  return names.map((n) => ({ rel: prefix ? n.slice(prefix.length + 1) : n, text: git(root, ['show', `${ref}:${n}`]) }));
}

export function inventoryAt(ref: string, dir: string, display: string): InputFile[] {
  return filesAt(ref, dir, /\.ya?ml$/).map((f) => ({ path: display === '.' ? f.rel : `${display}/${f.rel}`, text: f.text }));
}

export function outAt(ref: string, dir: string): Map<string, string> {
  return new Map(filesAt(ref, dir, /./).map((f) => [f.rel, f.text]));
}

export function asMap(files: readonly OutputFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.bytes.toString('utf8')]));
}
