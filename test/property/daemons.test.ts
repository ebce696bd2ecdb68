// Random valid inventories (every section and feature, small sizes) compile, to the same bytes
// whatever order their files come in; and a sample of them, drawn anew on every run, is judged
// by the real daemons, file by file, as the golden cases are.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limit, runs } from './runs.js';
import { compile, type InputFile } from '../../src/index.js';
import { CHECKS } from '../support/checks.js';
import { inventory } from './inventory-arb.js';

const SERIAL = 2026112300;
const bytes = (inputs: readonly InputFile[]) => compile(inputs, { serial: SERIAL }).files.map((f) => `${f.path}\n${f.bytes.toString()}`).join('\u0000');
const show = (inputs: readonly InputFile[]) => inputs.map((f) => `--- ${f.path}\n${f.text}`).join('\n');

describe('random valid inventories', () => {
  it('compile without errors, to the same bytes in any file order', { timeout: limit(120_000) }, () => {
    fc.assert(
      fc.property(inventory, (inputs) => {
        const r = compile(inputs, { serial: SERIAL });
        expect(r.diagnostics.filter((d) => d.severity === 'error'), show(inputs)).toEqual([]);
        expect(r.files.length).toBeGreaterThan(1);
        expect(bytes([...inputs].reverse()), show(inputs)).toBe(bytes(inputs));
      }),
      { numRuns: runs(400) },
    );
  });

  it('are accepted by the real daemons (20 drawn per run)', { timeout: limit(600_000) }, async () => {
    const daemons = new Set<string>();
    for (const inputs of fc.sample(inventory, runs(20))) {
      const files = compile(inputs, { serial: SERIAL }).files.map((f) => ({ path: f.path, daemon: f.daemon, node: f.node ?? null, content: f.bytes.toString() }));
      for (const f of files) {
        const check = CHECKS[f.daemon];
        expect(check, `a check for daemon ${f.daemon}`).toBeDefined();
        for (const r of await check!(f, files)) expect(r.ok, `${f.path}: ${r.command}\n${r.output}\n\n${show(inputs)}`).toBe(true);
        daemons.add(f.daemon);
      }
    }
    // The sample reached the daemons, not only the manifest.
    expect(daemons.size).toBeGreaterThan(3);
  });
});
