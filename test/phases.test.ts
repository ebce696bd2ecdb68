// The pipeline only looks back: no module of a numbered phase folder (src/1-load … src/6-assemble)
// imports one of a later phase.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { upwardImports } from './support/phases.js';

describe('the direction of imports between phases', () => {
  it('src/ has no import from an earlier phase to a later one', () => {
    expect(upwardImports(path.resolve('src'))).toEqual([]);
  });

  it('an upward import, static, type-only, re-exported or dynamic, is found', () => {
    const src = mkdtempSync(path.join(tmpdir(), 'hacompile-phases-'));
    try {
      for (const d of ['2-validate/rules', '3-model', '5-emit']) mkdirSync(path.join(src, d), { recursive: true });
      writeFileSync(path.join(src, '3-model/build.ts'), "import { x } from '../2-validate/index.js';\nexport const y = x;\n");
      writeFileSync(path.join(src, '2-validate/index.ts'), "export const x = 1;\n");
      writeFileSync(path.join(src, '2-validate/rules/a.ts'), "import type { Model } from '../../3-model/types.js';\nexport type M = Model;\n");
      writeFileSync(path.join(src, '2-validate/rules/b.ts'), "export { dns } from '../../5-emit/dns.js';\n");
      writeFileSync(path.join(src, '3-model/c.ts'), "export const load = () => import('../5-emit/caddy.js');\n");
      expect(upwardImports(src)).toEqual(['2-validate/rules/a.ts -> ../../3-model/types.js', '2-validate/rules/b.ts -> ../../5-emit/dns.js', '3-model/c.ts -> ../5-emit/caddy.js']);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });
});
