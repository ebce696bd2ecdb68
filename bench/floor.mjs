// The floor for one inventory: what any compiler of it must at least do in a fresh process. Node
// starts, reads the inventory files, parses them as YAML (with the compiler's own reader, the
// fastest correct one here), and writes the given output bytes as plain files. Nothing else:
// no validation, no model, no templates, no hashing, no fsync, no atomic swap. It runs with the
// CLI's V8 settings (bin/v8-tuning.js).
//
//   node bench/floor.mjs INVENTORY_DIR REFERENCE_OUT_DIR FLOOR_OUT_DIR
//
// The reference bytes are read into memory before the clock starts; the floor is node's startup
// (performance.now() at the first line) plus read + parse + write, printed as
// `hacompile-floor {"startup":..,"parse":..,"write":..}` on stderr.
const startup = performance.now();
// The same V8 settings as the CLI (its parsing is faster with them too).
(await import('../bin/v8-tuning.js')).tuneV8();
const { readFileSync, readdirSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
const path = await import('node:path');
const { fastParse } = await import('../dist/1-load/fast-yaml.js');

const [inventory, reference, target] = process.argv.slice(2);
const walk = (dir, rel = '') =>
  readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, r) : [r];
  });

const outputs = walk(reference).map((p) => ({ path: p, bytes: readFileSync(path.join(reference, p)) }));
rmSync(target, { recursive: true, force: true });

const t0 = performance.now();
let entries = 0;
for (const name of walk(inventory).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const text = readFileSync(path.join(inventory, name), 'utf8');
  const data = fastParse(text)?.data ?? (await import('yaml')).parseDocument(text).toJS();
  entries += Object.keys(data ?? {}).length;
}
const t1 = performance.now();
for (const d of new Set(outputs.map((f) => path.dirname(path.join(target, f.path))))) mkdirSync(d, { recursive: true });
for (const f of outputs) writeFileSync(path.join(target, f.path), f.bytes);
const t2 = performance.now();
process.stderr.write(`hacompile-floor ${JSON.stringify({ startup, parse: t1 - t0, write: t2 - t1, entries, files: outputs.length })}\n`);
