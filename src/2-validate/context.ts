import type { Locator } from '../1-load/index.js';
import type { Diagnostic, InventoryPath, Message } from '../diagnostics/types.js';
import type { BackendInput, Inventory } from './inventory.js';

export interface RelatedRef {
  message: string;
  at: InventoryPath;
  key?: boolean;
}

/** How a rule reports: a message at a path of the merged inventory (its value, or its key). */
export type Report = (msg: Message, at: InventoryPath, opts?: { key?: boolean; related?: RelatedRef[] }) => void;

/** What a rule sees: the schema-valid inventory, every backend listed once, and one way to report. */
export interface RuleContext {
  readonly inv: Inventory;
  /** Every backend of every HTTP service and TCP entry, services first, each owner's together. */
  readonly backends: readonly BackendRef[];
  readonly report: Report;
}

/** A check the schema cannot express. One file per rule under rules/. */
export interface Rule {
  readonly name: string;
  check(ctx: RuleContext): void;
}

/** A Report that places each message with the Locator and adds it to `sink`. */
export function reporter(locator: Locator, sink: Diagnostic[]): Report {
  return (msg, at, opts = {}) => {
    const location = locator.locate(at, opts.key ?? false);
    sink.push({
      ...msg,
      ...(location ? { location } : {}),
      related: (opts.related ?? []).map((r) => {
        const l = locator.locate(r.at, r.key ?? false);
        return { message: r.message, ...(l ? { location: l } : {}) };
      }),
    });
  };
}

export function createContext(inv: Inventory, locator: Locator, sink: Diagnostic[]): RuleContext {
  return { inv, backends: allBackends(inv), report: reporter(locator, sink) };
}

/** A backend as every rule sees it, whether written as a name or an object. */
export interface BackendRef {
  /** `service "whoami"` or `tcp entry "mqtt"`. */
  owner: string;
  ownerName: string;
  path: InventoryPath;
  node?: string;
  /** Where the node name is written: the list item itself, or its `node:` key. */
  nodePath: InventoryPath;
  address?: string;
  port?: number;
  site?: string;
  backup: boolean;
}

export function backendRef(owner: string, ownerName: string, path: InventoryPath, b: BackendInput): BackendRef {
  if (typeof b === 'string') return { owner, ownerName, path, node: b, nodePath: path, address: undefined, port: undefined, site: undefined, backup: false };
  return { owner, ownerName, path, node: b.node, nodePath: [...path, 'node'], address: b.address, port: b.port, site: b.site, backup: b.backup ?? false };
}

/** Every backend of every HTTP service and TCP entry. */
function allBackends(inv: Inventory): readonly BackendRef[] {
  const out: BackendRef[] = [];
  for (const [name, s] of Object.entries(inv.services)) {
    const owner = `service ${JSON.stringify(name)}`;
    s.backends.forEach((b, i) => out.push(backendRef(owner, name, ['services', name, 'backends', i], b)));
  }
  for (const [name, t] of Object.entries(inv.tcp)) {
    const owner = `tcp entry ${JSON.stringify(name)}`;
    (t.backends ?? []).forEach((b, i) => out.push(backendRef(owner, name, ['tcp', name, 'backends', i], b)));
  }
  return out;
}

/** An entry whose value an earlier entry already has, and that earlier entry's name. */
export interface Repeat<V> {
  name: string;
  value: V;
  first: string;
}

/** The entries (name, value) whose value an earlier entry already has, in the order given; entries without a value are skipped. */
export function repeats<V>(entries: Iterable<readonly [string, V | undefined]>): Repeat<V>[] {
  const first = new Map<V, string>();
  const out: Repeat<V>[] = [];
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const owner = first.get(value);
    if (owner === undefined) first.set(value, name);
    else out.push({ name, value, first: owner });
  }
  return out;
}
