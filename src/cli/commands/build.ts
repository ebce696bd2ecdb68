import path from 'node:path';
import type { Command } from 'commander';
import type { FormatName } from '../../diagnostics/format/index.js';
import { compileDir } from '../compile-dir.js';
import { mark } from '../timings.js';
import { OutputThread } from '../output-thread.js';
import { discard, missingParent, swapIn } from '../tree.js';
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
      // Each file goes to a second thread as soon as it is made, to be hashed, compared with the
      // tree on disk and written beside it, while this thread goes on emitting.
      const thread = new OutputThread(o.out, path.resolve(o.out), !o.check);
      // (Parents of the output directory that a failed build made go with its new tree.)
      let made = o.check ? undefined : missingParent(o.out);
      try {
        const result = await compileDir({ ...rest, ...(serial !== undefined ? { serial } : {}), onFile: (f) => thread.add(f) }, io);
        if (!result.ok) {
          // The thread had the files before the last rules found the error: what it wrote goes.
          await thread.stop();
          if (!o.check) await discard(o.out, made);
          return exit(EXIT.invalid);
        }
        const d = await thread.results(result.files);
        mark('diff');
        if (o.check) {
          const stale = [...d.changed.map((p) => `changed  ${p}`), ...d.added.map((p) => `missing  ${p}`), ...d.removed.map((p) => `extra    ${p}`)];
          if (stale.length === 0) return io.err(`${o.out}/ is up to date (${result.files.length} files)\n`);
          io.err(`${o.out}/ is out of date; run \`hacompile build\` and commit the result:\n${stale.map((s) => `  ${s}\n`).join('')}`);
          return exit(EXIT.invalid);
        }
        const n = d.changed.length + d.added.length + d.removed.length;
        // The tree on disk is already these bytes: nothing to write. (What a killed build left
        // beside it, the thread has put back or removed before it compared anything.)
        if (n > 0) {
          await thread.finish();
          await swapIn(o.out);
          // (Those parents now hold the new tree: nothing after this may remove them.)
          made = undefined;
        }
        mark('write');
        io.err(`wrote ${result.files.length} files to ${o.out}/ (${n === 0 ? 'no changes' : `${d.changed.length} changed, ${d.added.length} new, ${d.removed.length} removed`})\n`);
      } catch (e) {
        // Whatever stopped the build, the new tree beside the old one goes (the old one stays as it was).
        if (!o.check) await discard(o.out, made);
        throw e;
      } finally {
        thread.close();
      }
    });
}
