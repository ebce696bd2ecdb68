import type HandlebarsNS from 'handlebars';
import runtime from 'handlebars/runtime.js';
import { TEMPLATES } from './templates.generated.js';

/** Handlebars' runtime: what runs precompiled templates (its package types it as nothing). */
const Handlebars = runtime as unknown as typeof HandlebarsNS;

/**
 * Templates hold layout only; emitters prepare every value. They are precompiled when the package
 * is built (scripts/templates.mjs writes templates.generated.ts from templates/), strict (a missing
 * value is an error, not an empty string) and unescaped (values are already restricted by the
 * schema to what each format can hold). A template's partials live beside it as `_<name>.hbs` and
 * are used as `{{> name}}`.
 */
type Spec = Parameters<typeof Handlebars.template>[0];
const specs = TEMPLATES as unknown as Record<string, Spec>;

const hb = Handlebars.create();
hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ' ') : ''));
for (const [file, spec] of Object.entries(specs)) {
  const partial = /(?:^|\/)_([a-z0-9-]+)\.hbs$/.exec(file);
  if (partial) hb.registerPartial(partial[1]!, hb.template(spec));
}
const compiled = new Map(Object.entries(specs).map(([file, spec]) => [file, hb.template(spec)]));

/** `file` (e.g. `haproxy/haproxy.cfg.hbs`) rendered with `view`. */
export function render(file: string, view: object): string {
  const t = compiled.get(file);
  if (!t) throw new Error(`internal: no template ${file}`);
  return t(view);
}
