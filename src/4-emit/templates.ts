import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type HandlebarsNS from 'handlebars';

/**
 * Templates hold layout only; emitters prepare every value. Each is compiled once per process
 * (never per file), strict (a missing value is an error, not an empty string) and unescaped
 * (values are already restricted by the schema to what each format can hold).
 * A template's partials live beside it as `_<name>.hbs` and are used as `{{> name}}`.
 *
 * `npm run build` also precompiles every template (src/cli/precompile.ts writes
 * dist/4-emit/templates.precompiled.cjs): the CLI then loads Handlebars' small runtime instead of
 * its compiler and compiles nothing (together about 50 ms of every run). A precompiled template
 * is used only while its text, and its partials' texts, are still the ones it was made from;
 * otherwise (and when running the sources, as the tests do) templates are compiled here as before.
 */
type Handlebars = typeof HandlebarsNS;
type Spec = Parameters<Handlebars['template']>[0];

const require = createRequire(import.meta.url);
const OPTIONS = { noEscape: true, strict: true } as const;
const templateDir = new URL('../../templates/', import.meta.url);

const withHelpers = (hb: Handlebars): Handlebars => {
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ' ') : ''));
  return hb;
};

let compiler: Handlebars | undefined;
const full = (): Handlebars => (compiler ??= withHelpers((require('handlebars') as Handlebars).create()));

let runtime: Handlebars | undefined;
let precompiled: Record<string, { digest: string; spec: Spec }> | null | undefined;

/** The precompiled templates of a build, if there are any. */
function precompiledTemplates(): Record<string, { digest: string; spec: Spec }> | null {
  if (precompiled === undefined) {
    try {
      const mod = require('./templates.precompiled.cjs') as { templates: Record<string, { digest: string; spec: Spec }> };
      precompiled = mod.templates;
      runtime = withHelpers((require('handlebars/runtime') as Handlebars).create());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
      precompiled = null;
    }
  }
  return precompiled;
}

const compiled = new Map<string, HandlebarsNS.TemplateDelegate>();

function read(file: string): string {
  return readFileSync(new URL(file, templateDir), 'utf8');
}

export const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `caddy/Caddyfile.hbs` → its partials' files, `caddy/_proxy.hbs`. */
function partialsOf(file: string, text: string): { name: string; file: string }[] {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  return [...text.matchAll(/\{\{>\s*([a-z0-9-]+)/g)].map(([, name]) => ({ name: name!, file: `${dir}_${name}.hbs` }));
}

function load(file: string): HandlebarsNS.TemplateDelegate {
  const text = read(file);
  const partials = partialsOf(file, text).map((p) => ({ ...p, text: read(p.file) }));
  const pre = precompiledTemplates();
  const fresh = pre && [{ file, text }, ...partials].every((t) => pre[t.file]?.digest === digest(t.text));
  if (fresh && runtime) {
    for (const p of partials) if (!runtime.partials[p.name]) runtime.registerPartial(p.name, runtime.template(pre[p.file]!.spec));
    return runtime.template(pre[file]!.spec);
  }
  const hb = full();
  for (const p of partials) if (!hb.partials[p.name]) hb.registerPartial(p.name, p.text);
  return hb.compile(text, OPTIONS);
}

function template(file: string): HandlebarsNS.TemplateDelegate {
  let t = compiled.get(file);
  if (!t) {
    t = load(file);
    compiled.set(file, t);
  }
  return t;
}

export function render(file: string, view: object): string {
  return template(file)(view);
}

/**
 * `render(file, view)` for every view, concatenated: what a template's `{{#each}}` over the views
 * would give. Views of the same shape (the same keys in the same order, the same array lengths,
 * the same values wherever a value is empty, zero, null or a boolean) render to the same text
 * around their values, so Handlebars renders each shape once, with markers for the values, and
 * every view of that shape is that text with its own values put in. The first view of each shape
 * is also rendered by Handlebars and must give the same text, or that shape is rendered by
 * Handlebars every time. (The Caddyfile's 40,000 site blocks at 10,000 services: several times
 * faster, and one string instead of a million pieces.)
 */
export function renderEach(file: string, views: readonly object[]): string {
  const t = template(file);
  const shapes: { view: object; parts: (string | number)[] | null }[] = [];
  const out: string[] = [];
  let last: (typeof shapes)[number] | undefined;
  for (const view of views) {
    const values: (string | number)[] = [];
    // Views mostly come in runs of one shape: try the last one first.
    let shape = last && sameShape(view, last.view, values) ? last : undefined;
    for (let i = 0; !shape && i < shapes.length; i++) {
      values.length = 0;
      if (shapes[i] !== last && sameShape(view, shapes[i]!.view, values)) shape = shapes[i];
    }
    if (!shape) {
      values.length = 0;
      const parts = shapeOk(view, values) ? skeletonOf(t, view, values) : null;
      shape = { view, parts };
      // A shape that Handlebars must render each time is not kept (its views may hold anything).
      if (parts) shapes.push(shape);
    }
    last = shape;
    if (!shape.parts) {
      out.push(t(view));
      continue;
    }
    const parts = shape.parts;
    for (let i = 0; i < parts.length; i++) out.push(i % 2 === 1 ? String(values[parts[i] as number]) : (parts[i] as string));
  }
  return out.join('');
}

/** A printable value: a non-empty string or a non-zero finite number (what a marker can stand for). */
const printable = (v: unknown): v is string | number => (typeof v === 'string' && v !== '') || (typeof v === 'number' && v !== 0 && Number.isFinite(v));
const plainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Whether a view holds only plain objects, arrays, strings, numbers, booleans and null; collects its printable values. */
function shapeOk(v: unknown, values: (string | number)[]): boolean {
  if (printable(v)) return values.push(v) > 0;
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return true;
  if (Array.isArray(v)) return v.every((x) => shapeOk(x, values));
  if (!plainObject(v)) return false;
  for (const k in v) if (!shapeOk(v[k], values)) return false;
  return true;
}

/** Whether `v` has the shape of `ref` (a view that passed shapeOk); collects v's printable values in order. */
function sameShape(v: unknown, ref: unknown, values: (string | number)[]): boolean {
  if (printable(ref)) {
    if (!printable(v) || typeof v !== typeof ref) return false;
    values.push(v);
    return true;
  }
  if (ref === null || typeof ref !== 'object') return Object.is(v, ref) || (v === 0 && ref === 0);
  if (Array.isArray(ref)) {
    if (!Array.isArray(v) || v.length !== ref.length) return false;
    for (let i = 0; i < ref.length; i++) if (!sameShape(v[i], ref[i], values)) return false;
    return true;
  }
  if (!plainObject(v)) return false;
  const keys = Object.keys(ref);
  const own = Object.keys(v);
  if (own.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (own[i] !== k || !sameShape(v[k], (ref as Record<string, unknown>)[k], values)) return false;
  }
  return true;
}

const MARK = /\u0000(\d+)\u0000/;

/** The view with every printable value replaced by a marker `\0<index>\0`. */
function marked(v: unknown, next: { i: number }): unknown {
  if (printable(v)) return `\u0000${next.i++}\u0000`;
  if (Array.isArray(v)) return v.map((x) => marked(x, next));
  if (plainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, marked(x, next)]));
  return v;
}

/** Text and value indexes in output order, checked against Handlebars on this view; null when they differ. */
function skeletonOf(t: HandlebarsNS.TemplateDelegate, view: object, values: readonly (string | number)[]): (string | number)[] | null {
  const parts = t(marked(view, { i: 0 }) as object)
    .split(MARK)
    .map((p, i) => (i % 2 === 1 ? Number(p) : p));
  if (parts.some((p) => typeof p === 'string' && p.includes('\u0000'))) return null;
  const filled = parts.map((p, i) => (i % 2 === 1 ? String(values[p as number]) : p)).join('');
  return filled === t(view) ? parts : null;
}

/** The precompiled templates module (CommonJS): every `.hbs` file with its digest and Handlebars spec. */
export function templatesModule(): string {
  const hb = full();
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(new URL(rel, templateDir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${rel}${e.name}/`);
      else if (e.name.endsWith('.hbs')) files.push(`${rel}${e.name}`);
    }
  };
  walk('');
  const entries = files.sort().map((f) => {
    const text = read(f);
    return `  ${JSON.stringify(f)}: { digest: ${JSON.stringify(digest(text))}, spec: ${String(hb.precompile(text, OPTIONS))} },`;
  });
  return ['"use strict";', '// Generated by `npm run build` (src/cli/precompile.ts) from templates/ - do not edit.', 'module.exports.templates = {', ...entries, '};', ''].join('\n');
}
