import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

/**
 * Templates hold layout only; emitters prepare every value. Each is compiled once per process
 * (never per file), strict (a missing value is an error, not an empty string) and unescaped
 * (values are already restricted by the schema to what each format can hold).
 * A template's partials live beside it as `_<name>.hbs` and are used as `{{> name}}`.
 */
const hb = Handlebars.create();
hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ' ') : ''));

const templateDir = new URL('../../templates/', import.meta.url);
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function read(file: string): string {
  return readFileSync(new URL(file, templateDir), 'utf8');
}

export function render(file: string, view: object): string {
  let t = compiled.get(file);
  if (!t) {
    const text = read(file);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const [, name] of text.matchAll(/\{\{>\s*([a-z0-9-]+)/g)) {
      if (!hb.partials[name!]) hb.registerPartial(name!, read(`${dir}_${name}.hbs`));
    }
    t = hb.compile(text, { noEscape: true, strict: true });
    compiled.set(file, t);
  }
  return t(view);
}
