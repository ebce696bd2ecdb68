import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { MANIFEST, sha256, type Manifest } from '../../6-assemble/index.js';
import { EXIT, type CommandContext } from './shared.js';

/** named-checkzone exits 0 on warnings; any line but "loaded serial" and "OK" is one. */
const zoneWarnings = (output: string): boolean => output.split('\n').some((l) => l.trim() !== '' && l !== 'OK' && !/^zone \S+: loaded serial \d+$/.test(l));

interface VerifyOptions {
  out: string;
  node?: string;
  daemon?: string;
}

/**
 * Runs each generated file's check (the manifest's `check` command; Traefik in-process) after
 * confirming the file is the one the build wrote. Run it in CI, or on a node before a reload with
 * `--node $(hostname)`, where interfaces and users are the real ones.
 */
export function registerVerify(program: Command, { io, exit }: CommandContext): void {
  program
    .command('verify')
    .description("check generated files with their daemons' own checkers (as listed in manifest.json)")
    .option('-o, --out <dir>', 'output directory', 'out')
    .option('--node <name>', 'only the files of this node')
    .option('--daemon <name>', 'only the files of this daemon')
    .action(async (o: VerifyOptions) => {
      const manifest = JSON.parse(await readFile(path.join(o.out, MANIFEST), 'utf8')) as Manifest;
      const entries = manifest.files.filter((f) => (!o.node || f.node === o.node) && (!o.daemon || f.daemon === o.daemon));
      const { checkTraefik } = await import('../../verify/traefik.js'); // ajv + Traefik's schema: only here
      let failed = 0;
      let unchecked = 0;
      for (const f of entries) {
        const text = await readFile(path.join(o.out, f.path), 'utf8');
        let verdict: string;
        let output = '';
        if (sha256(text) !== f.sha256) {
          verdict = 'FAIL';
          output = 'changed since it was generated (sha256 differs from manifest.json)';
        } else if (f.daemon === 'traefik') {
          const problems = checkTraefik(text);
          verdict = problems.length ? 'FAIL' : 'ok';
          output = problems.join('\n');
        } else {
          const tool = f.check.split(/\s+/)[0] ?? '';
          const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
          if (!found) {
            verdict = 'SKIP';
            output = `${tool} is not installed here`;
          } else {
            const r = spawnSync('sh', ['-c', f.check], { cwd: o.out, encoding: 'utf8', timeout: 60_000 });
            output = `${r.stdout}${r.stderr}`.trim();
            verdict = r.status === 0 && !(f.daemon === 'dns' && zoneWarnings(output)) ? 'ok' : 'FAIL';
          }
        }
        if (verdict === 'FAIL') failed++;
        if (verdict === 'SKIP') unchecked++;
        io.out(`${verdict.padEnd(4)}  ${f.path}${verdict === 'ok' ? '' : `\n${output.replace(/^/gm, '      ')}`}\n`);
      }
      io.err(`${entries.length} files: ${entries.length - failed - unchecked} ok, ${failed} failed, ${unchecked} not checked\n`);
      if (failed > 0) return exit(EXIT.invalid);
      if (unchecked > 0) return exit(EXIT.internal);
    });
}
