import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { FormatName } from '../../diagnostics/format/index.js';
import { compileDir } from '../compile-dir.js';
import { mark } from '../timings.js';
import { discard, failed, missingParent } from '../tree.js';
import { removals, summaryIn } from '../removal.js';
import { compareTree, lock, prepare, readManifest, resolveTarget, writeTree } from '../writer.js';
import { EXIT, formatOption, inventoryOption, percent, type CommandContext } from './shared.js';
import { serialOption, resolveSerial } from './serial.js';

interface BuildOptions {
  inventory: string;
  out: string;
  check?: boolean;
  strict?: boolean;
  serial?: string;
  format: FormatName;
  maxRemoval: string;
  allowRemoval?: boolean;
}

export function registerBuild(program: Command, { io, exit }: CommandContext): void {
  const cmd = program.command('build').description('compile the inventory and write the output tree (all or nothing)');
  inventoryOption(cmd)
    .option('-o, --out <dir>', 'output directory', 'out')
    .option('--check', 'write nothing; exit 1 naming every file that is out of date')
    .option('--strict', 'every single point of failure is an error')
    .option('--max-removal <percent>', 'refuse to remove more than this share of the services, backends, a zone\'s records or the VIP members out/ serves', '50')
    .option('--allow-removal', 'write the tree however much it removes')
    .addOption(serialOption())
    .addOption(formatOption())
    .action(async (o: BuildOptions) => {
      const serial = resolveSerial(o.serial);
      const share = percent(o.maxRemoval, '--max-removal');
      const target = resolveTarget(o.out, o.inventory);
      const { serial: _flag, maxRemoval: _max, allowRemoval: _allow, ...rest } = o;
      const result = await compileDir({ ...rest, ...(serial !== undefined ? { serial } : {}) }, io);
      // Nothing is created, moved or removed before the inventory is known to be valid.
      if (!result.ok) return exit(EXIT.invalid);
      if (o.check) {
        const d = compareTree(target.abs, result.files);
        mark('diff');
        const stale = [...d.changed.map((p) => `changed  ${p}`), ...d.added.map((p) => `missing  ${p}`), ...d.removed.map((p) => `extra    ${p}`)];
        if (stale.length === 0) return io.err(`${target.shown}/ is up to date (${result.files.length} files)\n`);
        io.err(`${target.shown}/ is out of date; run \`hacompile build\` and commit the result:\n${stale.map((s) => `  ${s}\n`).join('')}`);
        return exit(EXIT.invalid);
      }
      // (Parents of the output directory that this build makes go again if it fails.)
      let made = missingParent(target.abs);
      let held: { release(): void } | undefined;
      try {
        try {
          mkdirSync(path.dirname(target.abs), { recursive: true });
        } catch (e) {
          // (mkdir -p says EEXIST when a file stands where one of the parents goes.)
          const err = e as NodeJS.ErrnoException;
          throw failed(target.shown, err.code === 'EEXIST' ? Object.assign(err, { code: 'ENOTDIR' }) : err);
        }
        held = lock(target);
        prepare(target);
        // A truncated or emptied inventory file must not silently take services off the platform.
        const before = readManifest(target.abs)?.summary;
        const after = summaryIn(result.files);
        const removed = !o.allowRemoval && before && after ? removals(before, after, share) : [];
        if (removed.length > 0) {
          io.err(
            `error: this build would remove more than ${o.maxRemoval}% of what ${target.shown}/ serves:\n${removed.map((r) => `  ${r}\n`).join('')}` +
              `nothing was written; if this is intended, run again with --allow-removal (or raise --max-removal)\n`,
          );
          return exit(EXIT.invalid);
        }
        const d = compareTree(target.abs, result.files);
        mark('diff');
        const n = d.changed.length + d.added.length + d.removed.length;
        // The tree on disk is already these bytes: nothing to write.
        if (n > 0) {
          writeTree(target, result.files, d);
          // (Those parents now hold the new tree: nothing after this may remove them.)
          made = undefined;
        }
        mark('write');
        io.err(`wrote ${result.files.length} files to ${target.shown}/ (${n === 0 ? 'no changes' : `${d.changed.length} changed, ${d.added.length} new, ${d.removed.length} removed`})\n`);
      } catch (e) {
        // Whatever stopped the build, the new tree beside the old one goes (the old one stays as it was).
        // (Without the lock, what is beside it is another build's: left alone.)
        if (held) await discard(target.abs, made);
        throw e;
      } finally {
        held?.release();
      }
    });
}
