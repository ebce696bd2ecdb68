// Golden tests: each valid case compiles to exactly its expected/ tree; each invalid case gives
// exactly its expected.txt diagnostics and no files. `npm run test:update` rewrites them; the
// reviewer reads the git diff.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { formatText } from '../src/diagnostics/format/text.js';
import { CASES, UPDATE, caseNames, compileCase } from './support/cases.js';

describe('valid cases compile to their expected tree', () => {
  it('has cases', () => expect(caseNames('valid').length).toBeGreaterThan(0));
  for (const name of caseNames('valid')) {
    it(name, () => {
      const result = compileCase('valid', name);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const dir = path.join(CASES, 'valid', name, 'expected');
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        for (const f of result.files) {
          mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
          writeFileSync(path.join(dir, f.path), f.bytes.toString());
        }
        const warnings = formatText(result.diagnostics, {});
        const file = path.join(CASES, 'valid', name, 'warnings.txt');
        if (warnings) writeFileSync(file, warnings);
        else rmSync(file, { force: true });
      }
      // Warnings are part of the expectation: warnings.txt, or none at all.
      const warningsFile = path.join(CASES, 'valid', name, 'warnings.txt');
      expect(formatText(result.diagnostics, {})).toBe(existsSync(warningsFile) ? readFileSync(warningsFile, 'utf8') : '');
      const expected = fg.sync('**/*', { cwd: dir, dot: true }).sort();
      expect(result.files.map((f) => f.path).sort()).toEqual(expected);
      for (const f of result.files) expect(f.bytes.toString(), f.path).toBe(readFileSync(path.join(dir, f.path), 'utf8'));
    });
  }
});

describe('invalid cases give their expected diagnostics and no output', () => {
  it('has cases', () => expect(caseNames('invalid').length).toBeGreaterThan(0));
  for (const name of caseNames('invalid')) {
    it(name, () => {
      const result = compileCase('invalid', name);
      const dir = path.join(CASES, 'invalid', name);
      const text = formatText(result.diagnostics, { source: (f) => readFileSync(path.join(dir, f), 'utf8') });
      if (UPDATE) writeFileSync(path.join(dir, 'expected.txt'), text);
      expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      expect(result.files).toEqual([]);
      for (const d of result.diagnostics) expect(d.location, `${d.code} has a place`).toBeDefined();
      expect(text).toBe(readFileSync(path.join(dir, 'expected.txt'), 'utf8'));
    });
  }
});
