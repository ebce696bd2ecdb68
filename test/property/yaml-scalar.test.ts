// The Traefik emitter writes its YAML itself (src/5-emit/yaml.ts): a string value, whatever its
// characters, must read back as exactly that string, and be quoted exactly as JSON quotes it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { limit, runs } from './runs.js';
import { key, scalar } from '../../src/5-emit/yaml.js';

// Plain-looking words, YAML's reserved words, URLs and rules, any Unicode, and lone surrogates.
const text = fc.oneof(
  fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./-]{0,20}$/),
  fc.constantFrom('true', 'False', 'yes', 'NO', 'on', 'off', 'null', 'y', 'N', '~', '', '0', '1.5', '0x1f', '.inf'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }).map((units) => String.fromCharCode(...units)),
);

describe('YAML scalars', () => {
  it('read back as the same string, quoted as JSON quotes it where not plain', { timeout: limit(60_000) }, () => {
    fc.assert(
      fc.property(text, (v) => {
        const written = scalar(v);
        expect(written === v || written === JSON.stringify(v)).toBe(true);
        expect(parse(`${key('k')}: ${written}\n`)).toEqual({ k: v });
      }),
      { numRuns: runs(1000) },
    );
  });
});
