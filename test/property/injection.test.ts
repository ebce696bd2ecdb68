// No value can break out of a generated file's syntax: a newline, quote, brace, `#`, `{{`, `$`,
// space (and the other characters configs treat specially) put anywhere in any value or name of a
// valid inventory is either rejected, with an error at that very place, or accepted only where the
// inventory allows free text, and then written so that its reader gets exactly that value back.
import { entityOf } from '../../src/diagnostics/entity.js';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limit, runs } from './runs.js';
import { parse as parseYaml, stringify } from 'yaml';
import { compile, type InputFile, type OutputFile } from '../../src/index.js';
import { parseSource } from '../../src/1-load/source.js';
import { generateInventory } from '../../bench/generate.mjs';
import { namedCheckzone } from '../support/daemons.js';
import { caseNames, CASES, readInventoryDir } from '../support/cases.js';

type Data = null | boolean | number | string | Data[] | { [key: string]: Data };

const BASES: InputFile[][] = [...caseNames('valid').map((n) => readInventoryDir(path.join(CASES, 'valid', n, 'inventory'))), generateInventory(100)];
const TOKENS = ['\n', '\r', '\t', '"', "'", '{', '}', '#', ' #', '{{', '}}', '{{ x }}', '$', '${X}', '$(x)', ' ', '\\', ';', '(', ')', '`', '\u0000', '\u2028', '%{x}', '[', ']'];

/** Every string value and every mapping key, with its path in the file's data. */
function targets(d: Data, at: (string | number)[] = [], out: { path: (string | number)[]; key: boolean }[] = []) {
  if (Array.isArray(d)) d.forEach((x, i) => targets(x, [...at, i], out));
  else if (d !== null && typeof d === 'object') {
    for (const [k, x] of Object.entries(d)) {
      out.push({ path: [...at, k], key: true });
      targets(x, [...at, k], out);
    }
  } else if (typeof d === 'string') out.push({ path: at, key: false });
  return out;
}

/** Where an inventory takes free text (descriptions), record data (zone records' values) or HTTP header values. */
const FREE_TEXT = (p: readonly (string | number)[]): 'description' | 'record' | 'header' | undefined =>
  (p[0] === 'sites' || p[0] === 'nodes') && p[2] === 'description' && p.length === 3
    ? 'description'
    : p[0] === 'dns' && p[1] === 'zones' && p[3] === 'records' && p[5] === 'value' && p.length === 6
      ? 'record'
      : (p[0] === 'middlewares' && p[2] === 'headers' && p.length === 5) || (p[0] === 'services' && p[2] === 'health' && p[3] === 'headers' && p.length === 5)
        ? 'header'
        : undefined;

/** Every [key, value] pair of a parsed YAML document, at any depth. */
function pairs(d: unknown, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(d)) for (const x of d) pairs(x, out);
  else if (d !== null && typeof d === 'object') for (const [k, v] of Object.entries(d)) (out.push([k, v]), pairs(v, out));
  return out;
}

/**
 * A header value reads back as itself: every Traefik file holds it under its header name once
 * parsed as YAML, and a Caddyfile that sets the header writes it as one quoted token (no `"`, `\`
 * or braces can be in it, so Caddy's lexer and placeholders take it as written).
 */
function headerReadsBack(out: readonly OutputFile[], name: string, value: string, what: string): void {
  for (const f of out) {
    const text = f.bytes.toString();
    if (f.daemon === 'traefik') expect(pairs(parseYaml(text)).some(([k, v]) => k === name && v === value), `${what}: in ${f.path}`).toBe(true);
    if (f.daemon === 'caddy' && text.includes(` ${name} `)) expect(text, `${what}: in ${f.path}`).toContain(` ${name} "${value}"\n`);
  }
}

/** A zone file line's record data: after `IN TYPE`, before the provenance comment. */
function zoneRdata(zone: string, from: string): { type: string; rdata: string } | undefined {
  const line = zone.split('\n').find((l) => l.endsWith(` ; from ${from}`));
  if (!line) return undefined;
  const m = /\sIN\s+(\S+)\s+(.*) ; from \S+$/.exec(line);
  return m ? { type: m[1]!, rdata: m[2]!.trimEnd() } : undefined;
}

/** The character-strings of TXT or CAA data as a zone file reader takes them (quoted, with \\ escapes). */
function quotedStrings(rdata: string): string[] {
  const out: string[] = [];
  for (const m of rdata.matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.push(m[1]!.replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e)));
  return out;
}

const accepted: { zone: string; text: string }[] = [];

/** Every file's path and text (provenance names entities, not lines: a rewritten file changes no byte). */
const texts = (files: readonly OutputFile[]): string[] => files.map((f) => `${f.path}\n${f.bytes.toString()}`);

/** The output of a base inventory with one file rewritten by the same writer, unchanged. */
const unchangedMemo = new Map<string, OutputFile[]>();
function unchanged(inputs: InputFile[], input: InputFile): OutputFile[] {
  const k = `${BASES.indexOf(inputs)}:${input.path}`;
  let files = unchangedMemo.get(k);
  if (!files) {
    const text = stringify(parseSource(input).fast?.data, { lineWidth: 0 });
    files = compile(inputs.map((f) => (f === input ? { path: f.path, text } : f)), { serial: 2026112300 }).files;
    unchangedMemo.set(k, files);
  }
  return files;
}

describe('a dangerous value is rejected where it is, or written so that it reads back as itself', () => {
  it('any value or name of any valid inventory', { timeout: limit(120_000) }, () => {
    let rejected = 0;
    const injection = fc.record({
      base: fc.nat({ max: BASES.length - 1 }),
      file: fc.nat(),
      target: fc.nat(),
      token: fc.constantFrom(...TOKENS),
      where: fc.constantFrom('start', 'middle', 'end', 'whole'),
    });
    fc.assert(
      fc.property(injection, ({ base, file, target, token, where }) => {
        const inputs = BASES[base]!;
        const input = inputs[file % inputs.length]!;
        const data = parseSource(input).fast?.data as Data;
        if (!data) return;
        const all = targets(data);
        const t = all[target % all.length]!;
        const parentPath = t.path.slice(0, -1);
        const parent = parentPath.reduce<Data>((d, k) => (d as Record<string | number, Data>)[k]!, data) as Record<string | number, Data>;
        const last = t.path[t.path.length - 1]!;
        const old = t.key ? String(last) : (parent[last] as string);
        const value = where === 'whole' ? token : where === 'start' ? token + old : where === 'end' ? old + token : old.slice(0, old.length >> 1) + token + old.slice(old.length >> 1);
        let place = t.path;
        if (t.key) {
          // Rename the key in place (same order).
          const entries = Object.entries(parent).map(([k, v]) => [k === last ? value : k, v] as const);
          for (const k of Object.keys(parent)) delete parent[k];
          for (const [k, v] of entries) parent[k] = v;
          place = [...parentPath, value];
        } else parent[last] = value;
        const text = stringify(data, { lineWidth: 0 });
        const mutated = inputs.map((f) => (f === input ? { path: f.path, text } : f));
        const result = compile(mutated, { serial: 2026112300 });
        const what = `${JSON.stringify(value)} as ${t.key ? 'the key' : 'the value'} at ${place.join('.')} in ${input.path}`;
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) {
          rejected++;
          // Rejected at that place: an error on the line of the key or value (or, for a key that
          // another definition conflicts with, on the line of that key).
          const at = result.locator.locate(place, t.key);
          expect(at, what).toBeDefined();
          expect(
            errors.some((e) => e.location?.file === at!.file && e.location.line === at!.line),
            `${what}: errors elsewhere only:\n${errors.map((e) => `  ${e.location?.file}:${e.location?.line} ${e.code} ${e.message}`).join('\n')}`,
          ).toBe(true);
          return;
        }
        // Accepted: only in free text, and then it reads back as itself.
        const kind = t.key ? undefined : FREE_TEXT(place);
        expect(kind, `${what} was accepted`).toBeDefined();
        const out = result.files;
        if (kind === 'description') {
          // Descriptions are the inventory's own notes: no generated file carries them, so the
          // output is the one without the change.
          expect(texts(out), `${what} changed the output`).toEqual(texts(unchanged(inputs, input)));
          return;
        }
        if (kind === 'header') {
          headerReadsBack(out, String(place[place.length - 1]), value, what);
          return;
        }
        const zone = place[2] as string;
        const zoneFile = out.find((f: OutputFile) => f.path === `dns/${zone}.zone`)!;
        const rd = zoneRdata(zoneFile.bytes.toString(), entityOf(place.slice(0, 5)));
        expect(rd, `${what}: its record in dns/${zone}.zone`).toBeDefined();
        if (rd!.type === 'TXT') expect(quotedStrings(rd!.rdata).join(''), what).toBe(value);
        else if (rd!.type === 'CAA') {
          // FLAGS TAG VALUE, its fields split at blanks as for MX or SRV: blanks around the value are
          // not part of it (RFC 8659's grammar), what lies between its first and last character is.
          expect(quotedStrings(rd!.rdata).at(-1), what).toBe(/^\d+\s+\S+\s+(\S.*)$/.exec(value.trim())![1]);
        }
        else {
          // Unquoted data: the characters a zone file reader treats specially cannot be in it.
          expect(rd!.rdata, what).not.toMatch(/[;()"\\]/);
          expect(rd!.rdata.split(/\s+/).length, what).toBe(value.trim().split(/\s+/).length);
        }
        if (accepted.length < 12) accepted.push({ zone, text: zoneFile.bytes.toString() });
      }),
      { numRuns: runs(3000) },
    );
    expect(rejected).toBeGreaterThan(1000);
  });

  it('zone files with accepted record data load in named-checkzone', { timeout: limit(120_000) }, async () => {
    // The property above runs first (same file): a dozen of its accepted zone files, judged for real.
    for (const { zone, text } of accepted) {
      const r = await namedCheckzone(zone, text);
      expect(r.ok, `${r.command}\n${r.output}`).toBe(true);
    }
  });
});
