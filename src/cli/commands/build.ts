import path from 'node:path';
import type { Command } from 'commander';
import type { FormatName } from '../../diagnostics/format/index.js';
import { compileDir } from '../compile-dir.js';
import { mark } from '../timings.js';
import { discard, failed, missingParent, NotOurTree, swapIn } from '../tree.js';
import { compareTree, prepareTree, writeFresh } from '../write-tree.js';
import { EXIT, formatOption, inventoryOption, type CommandContext } from './shared.js';
import { serialOption, resolveSerial } from './serial.js';

interface BuildOptions {
  inventory: string;
  out: string;
  check?: boolean;
  strict?: boolean;
  serial?: string;
  format: FormatName;
}

export function registerBuild(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('build').description('compile the inventory and write the output tree (all or nothing)');
  inventoryOption(cmd)
    .option('-o, --out <dir>', 'output directory', 'out')
    .option('--check', 'write nothing; exit 1 naming every file that is out of date')
    .option('--strict', 'every single point of failure is an error')
    .addOption(serialOption())
    .addOption(formatOption())
    .action(async (o: BuildOptions) => {
      const serial = resolveSerial(o.serial, io);
      if (serial === null) return exit(EXIT.invalid);
      const { serial: _flag, ...rest } = o;
      const result = await compileDir({ ...rest, ...(serial !== undefined ? { serial } : {}) }, io);
      if (!result.ok) return exit(EXIT.invalid);
      const abs = path.resolve(o.out);
      // (Parents of the output directory that a failed write made go with its new tree.)
      const made = o.check ? undefined : missingParent(o.out);
      try {
        prepareTree(o.out, abs, !o.check);
        const d = compareTree(abs, result.files);
        mark('diff');
        if (o.check) {
          const stale = [...d.changed.map((p) => `changed  ${p}`), ...d.added.map((p) => `missing  ${p}`), ...d.removed.map((p) => `extra    ${p}`)];
          if (stale.length === 0) return io.err(`${o.out}/ is up to date (${result.files.length} files)\n`);
          io.err(`${o.out}/ is out of date; run \`hacompile build\` and commit the result:\n${stale.map((s) => `  ${s}\n`).join('')}`);
          return exit(EXIT.invalid);
        }
        const n = d.changed.length + d.added.length + d.removed.length;
        // The tree on disk is already these bytes: nothing to write.
        if (n > 0) {
          writeFresh(abs, result.files, d);
          await swapIn(o.out);
        }
        mark('write');
        io.err(`wrote ${result.files.length} files to ${o.out}/ (${n === 0 ? 'no changes' : `${d.changed.length} changed, ${d.added.length} new, ${d.removed.length} removed`})\n`);
      } catch (e) {
        // Whatever stopped the build, the new tree beside the old one goes (the old one stays as it was).
        if (!o.check) await discard(o.out, made);
        throw e instanceof NotOurTree ? e : failed(o.out, e);
      }
    });
}
