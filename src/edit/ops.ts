/**
 * The edit commands as pure functions: the inventory's files and its model in, the one file that
 * changes out (or why not). The CLI compiles the result and refuses what the compiler rejects.
 */
import type { InputFile } from '../1-load/index.js';
import { suggest } from '../2-validate/schema.js';
import type { Model, Service } from '../3-model/types.js';
import { addPair, appendItem, isMap, isScalar, isSeq, pairOf, parse, removeItem, removePair, replaceScalar, type Doc } from './splice.js';

export interface Edit {
  /** The file that defines the entity, and its new text. */
  path: string;
  text: string;
  /** What changed, for the output and the commit subject: `promote sonarr to k3s-w2`. */
  summary: string;
}
/** A refusal: what is wrong and what to do. */
export interface Refusal {
  refused: string;
  hint?: string;
}
/** Nothing to change (already so). */
export interface NoChange {
  unchanged: string;
}
export type EditResult = Edit | Refusal | NoChange;

const q = (s: string): string => JSON.stringify(s);
const didYouMean = (name: string, known: readonly string[]): string | undefined => {
  const s = suggest(name, known);
  return s ? `did you mean ${q(s)}?` : undefined;
};

/** The file and parsed document that define `section.name`. */
function definition(files: readonly InputFile[], section: string, name: string): { file: InputFile; doc: Doc } | undefined {
  for (const file of files) {
    if (!file.text.includes(name)) continue;
    const doc = parse(file.text);
    if (doc.hasIn([section, name])) return { file, doc };
  }
  return undefined;
}

function service(files: readonly InputFile[], model: Model, name: string): { svc: Service; file: InputFile; doc: Doc } | Refusal {
  const svc = model.services.find((s) => s.name === name);
  const def = svc && definition(files, 'services', name);
  if (!svc || !def) {
    const hint = didYouMean(name, model.services.map((s) => s.name));
    return { refused: `there is no service ${q(name)}`, ...(hint ? { hint } : { hint: `services: ${model.services.map((s) => s.name).join(', ')}` }) };
  }
  return { svc, ...def };
}

/** A backend as written: a node name, `{ node }`, or `{ address, port }`. */
function writtenKey(item: unknown): string | undefined {
  if (isScalar(item)) return String(item.value);
  if (isMap(item)) {
    const get = (k: string) => {
      const p = pairOf(item, k);
      return p && isScalar(p.value) ? String(p.value.value) : undefined;
    };
    const node = get('node');
    if (node !== undefined) return node;
    const address = get('address');
    const port = get('port');
    if (address !== undefined && port !== undefined) return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  }
  return undefined;
}

/** Sets `services.<name>.active` to `node`. */
function setActive(svc: { file: InputFile; doc: Doc }, name: string, node: string, summary: string): Edit | Refusal {
  const map = svc.doc.getIn(['services', name]);
  if (!isMap(map)) return { refused: `service ${q(name)} is not a mapping in ${svc.file.path}` };
  const pair = pairOf(map, 'active');
  const text = pair && isScalar(pair.value) ? replaceScalar(svc.file.text, pair.value, node) : addPair(svc.file.text, map, 'active', node);
  return { path: svc.file.path, text, summary };
}

/** `promote <service> [--to <node>]`: `active` moves to the named backend, or the next one by the order rules. */
export function promote(files: readonly InputFile[], model: Model, name: string, to?: string): EditResult {
  const s = service(files, model, name);
  if ('refused' in s) return s;
  const active = s.svc.active;
  if (active === undefined) return { refused: `service ${q(name)} is not active/standby (it has no \`active:\`)`, hint: `add \`active: NODE\` to it in ${s.file.path} to make it so` };
  const candidates = s.svc.backends.filter((b) => b.node !== undefined && !b.backup).map((b) => b.node!);
  if (to !== undefined) {
    if (to === active) return { unchanged: `service ${name} is already active on ${to}` };
    if (!candidates.includes(to)) {
      const hint = didYouMean(to, candidates);
      return { refused: `node ${q(to)} is not a primary backend of service ${q(name)} in rotation`, hint: `${hint ? `${hint} ` : ''}its primary backends: ${candidates.join(', ') || 'none'}; add one with \`hacompile add-backend ${name} NODE\`` };
    }
  }
  const target = to ?? candidates.find((n) => n !== active);
  if (target === undefined) return { refused: `service ${q(name)} has no other primary backend to promote`, hint: `add one with \`hacompile add-backend ${name} NODE\`` };
  return setActive(s, name, target, `promote ${name} to ${target}`);
}

/** `demote <service>`: `active` moves back to the declared primary (the first primary node backend as listed). */
export function demote(files: readonly InputFile[], model: Model, name: string): EditResult {
  const s = service(files, model, name);
  if ('refused' in s) return s;
  if (s.svc.active === undefined) return { refused: `service ${q(name)} is not active/standby (it has no \`active:\`)` };
  const list = s.doc.getIn(['services', name, 'backends']);
  const backup = (item: unknown): boolean => {
    const p = isMap(item) ? pairOf(item, 'backup') : undefined;
    return p !== undefined && isScalar(p.value) && p.value.value === true;
  };
  const onNode = (item: unknown): boolean => isScalar(item) || (isMap(item) && pairOf(item, 'node') !== undefined);
  const primary = isSeq(list) ? list.items.filter((i) => onNode(i) && !backup(i)).map(writtenKey)[0] : undefined;
  if (primary === undefined) return { refused: `service ${q(name)} declares no primary node backend` };
  if (primary === s.svc.active) return { unchanged: `service ${name} is already active on its declared primary ${primary}` };
  return setActive(s, name, primary, `demote ${name} to ${primary}`);
}

function nodeDef(files: readonly InputFile[], model: Model, name: string): { file: InputFile; doc: Doc } | Refusal {
  const def = model.nodes.some((n) => n.name === name) ? definition(files, 'nodes', name) : undefined;
  if (!def) {
    const hint = didYouMean(name, model.nodes.map((n) => n.name));
    return { refused: `there is no node ${q(name)}`, ...(hint ? { hint } : {}) };
  }
  return def;
}

/** `drain <node>` (`drain: true`) and `undrain <node>` (the key removed). */
export function drain(files: readonly InputFile[], model: Model, name: string, on: boolean): EditResult {
  const def = nodeDef(files, model, name);
  if ('refused' in def) return def;
  const map = def.doc.getIn(['nodes', name]);
  if (!isMap(map)) return { refused: `node ${q(name)} is not a mapping in ${def.file.path}` };
  const pair = pairOf(map, 'drain');
  const now = pair !== undefined && isScalar(pair.value) && pair.value.value === true;
  if (now === on) return { unchanged: `node ${name} is ${on ? 'already drained' : 'not drained'}` };
  const text = on ? (pair && isScalar(pair.value) ? replaceScalar(def.file.text, pair.value, 'true') : addPair(def.file.text, map, 'drain', 'true')) : removePair(def.file.text, map, pair!);
  return { path: def.file.path, text, summary: `${on ? 'drain' : 'undrain'} ${name}` };
}

/** `node`, or `address:port` (`[v6]:port`). */
export function parseTarget(target: string): { node: string } | { address: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):([0-9]{1,5})$/.exec(target);
  if (m) return { address: (m[1] ?? m[2])!, port: Number(m[3]) };
  return /^[a-z][a-z0-9-]*$/.test(target) ? { node: target } : undefined;
}

function backendsOf(s: { file: InputFile; doc: Doc }, name: string) {
  const list = s.doc.getIn(['services', name, 'backends']);
  return isSeq(list) ? list : undefined;
}

/** `add-backend <service> <node | address:port> [--site S]`. */
export function addBackend(files: readonly InputFile[], model: Model, name: string, target: string, site?: string): EditResult {
  const s = service(files, model, name);
  if ('refused' in s) return s;
  const t = parseTarget(target);
  if (!t) return { refused: `${q(target)} is neither a node name nor address:port` };
  const list = backendsOf(s, name);
  if (!list) return { refused: `service ${q(name)} has no backends list in ${s.file.path}` };
  const key = 'node' in t ? t.node : t.address.includes(':') ? `[${t.address}]:${t.port}` : `${t.address}:${t.port}`;
  if (list.items.some((i) => writtenKey(i) === key)) return { unchanged: `service ${name} already has backend ${key}` };
  let item: string;
  if ('node' in t) {
    if (site !== undefined) return { refused: '--site is for a backend given by address; a node backend is on its node\'s site' };
    if (!model.nodes.some((n) => n.name === t.node)) {
      const hint = didYouMean(t.node, model.nodes.map((n) => n.name));
      return { refused: `there is no node ${q(t.node)}`, hint: `${hint ? `${hint} ` : ''}define it under nodes:, or give a backend on no managed node as ADDRESS:PORT --site SITE` };
    }
    item = t.node;
  } else {
    if (site === undefined) return { refused: `backend ${key} is on no managed node: its site is needed`, hint: `add --site SITE (one of ${model.sites.map((x) => x.name).join(', ')})` };
    item = `{ address: ${t.address.includes(':') ? q(t.address) : t.address}, port: ${t.port}, site: ${site} }`;
  }
  return { path: s.file.path, text: appendItem(s.file.text, list, item), summary: `add backend ${key} to ${name}` };
}

/** `remove-backend <service> <node | address:port>`. */
export function removeBackend(files: readonly InputFile[], model: Model, name: string, target: string): EditResult {
  const s = service(files, model, name);
  if ('refused' in s) return s;
  const list = backendsOf(s, name);
  if (!list) return { refused: `service ${q(name)} has no backends list in ${s.file.path}` };
  const keys = list.items.map(writtenKey);
  const i = keys.indexOf(target);
  if (i < 0) {
    const known = keys.filter((k): k is string => k !== undefined);
    const hint = didYouMean(target, known);
    return { refused: `service ${q(name)} has no backend ${q(target)}`, hint: `${hint ? `${hint} ` : ''}its backends: ${known.join(', ')}` };
  }
  return { path: s.file.path, text: removeItem(s.file.text, list, i), summary: `remove backend ${target} from ${name}` };
}
