// CONTRIBUTING.md's table of diagnostic codes is the one the message catalogue gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { catalogueCodes, codesTable, CONTRIBUTING, withTable } from '../scripts/codes.mjs';

describe('the diagnostic code table', () => {
  it('in CONTRIBUTING.md is generated from the catalogue (node scripts/codes.mjs --write)', () => {
    const doc = readFileSync(CONTRIBUTING, 'utf8');
    expect(withTable(doc, codesTable())).toBe(doc);
  });

  it('lists every code of the catalogue, and a code added there makes it stale', () => {
    const codes = (catalogueCodes() as { code: string }[]).map((c) => c.code);
    expect(codes).toContain('unknown-key');
    expect(codes).toContain('spof-site');
    expect(codes).toContain('patroni-even-members');
    const source = readFileSync('src/diagnostics/messages.ts', 'utf8').replace("error('unknown-key',", "error('unknown-keyword',");
    const table = codesTable(catalogueCodes(source)) as string;
    expect(table).toContain('`unknown-keyword`');
    const doc = readFileSync(CONTRIBUTING, 'utf8');
    expect(withTable(doc, table)).not.toBe(doc);
  });
});
