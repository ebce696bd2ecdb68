// The example workflows `hacompile init` writes are valid GitHub Actions workflows (SchemaStore's
// schema, vendored), and the failover one runs what the docs say.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cases.js';

const dir = path.join(ROOT, 'examples', 'init', '.github', 'workflows');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'test', 'vendor', 'github-workflow.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const load = (f: string) => parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, any>;

describe('example workflows', () => {
  for (const f of ['hacompile.yml', 'hacompile-failover.yml']) {
    it(`${f} is valid against SchemaStore's github-workflow schema`, () => {
      const ok = validate(load(f));
      expect(validate.errors ?? [], f).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('the schema rejects a broken workflow (the check can fail)', () => {
    const broken = load('hacompile-failover.yml');
    broken.on.workflow_dispatch.inputs.service.type = 'text';
    delete broken.jobs.promote['runs-on'];
    expect(validate(broken)).toBe(false);
  });

  it('CI checks out/ and diffs pull requests; failover promotes, commits, pushes or opens a PR', () => {
    const ci = JSON.stringify(load('hacompile.yml'));
    expect(ci).toContain('npx hacompile build --check');
    expect(ci).toContain('npx hacompile diff --against');
    const fo = load('hacompile-failover.yml');
    expect(Object.keys(fo.on)).toEqual(['workflow_dispatch']);
    expect(Object.keys(fo.on.workflow_dispatch.inputs)).toEqual(['service', 'node', 'mode']);
    const run = JSON.stringify(fo.jobs.promote.steps);
    expect(run).toContain('npx hacompile promote \\"$SERVICE\\" ${NODE:+--to \\"$NODE\\"} --commit');
    expect(run).toContain('gh pr create');
  });
});
