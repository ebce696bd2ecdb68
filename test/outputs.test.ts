// Every generated file, of every valid golden case and of the example's out/, is judged by its
// real daemon (or, for Traefik, the vendored schema plus semantic checks).
import { describe, expect, it } from 'vitest';
import { caseNames, committedOut, compileCase } from './support/cases.js';
import { CHECKS, type GeneratedFile } from './support/checks.js';

async function judge(files: readonly GeneratedFile[]): Promise<void> {
  for (const f of files) {
    const check = CHECKS[f.daemon];
    expect(check, `a check for daemon ${f.daemon}`).toBeDefined();
    for (const r of await check!(f, files)) expect(r.ok, `${f.path}: ${r.command}\n${r.output}`).toBe(true);
  }
}

describe('generated files are accepted by their daemons', () => {
  for (const name of caseNames('valid')) {
    it(`case ${name}`, async () => {
      const result = compileCase('valid', name);
      await judge(result.files.map((f) => ({ path: f.path, daemon: f.daemon, node: f.node ?? null, content: f.bytes.toString() })));
    });
  }
  it('the example out/', async () => {
    const files = committedOut();
    expect(files.length).toBeGreaterThan(0);
    await judge(files);
  });
});
