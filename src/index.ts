/**
 * hacompile's public API: `compile(files) → { diagnostics, files }`. Pure: no file system,
 * no clock, no environment, no console. The CLI is the only impure part.
 */
import { load, type InputFile } from './1-load/index.js';
import { validateNames } from './2-validate/index.js';
import { buildModel } from './3-model/build.js';
import { analyze } from './analysis/index.js';
import type { Model } from './3-model/types.js';
import { EMITTERS } from './4-emit/registry.js';
import type { OutputFile } from './4-emit/types.js';
import { assemble } from './5-output/index.js';
import { hasErrors, sortDiagnostics, type Diagnostic, type InventoryPath } from './diagnostics/types.js';
import type { Locator } from './1-load/locator.js';

export type { InputFile } from './1-load/index.js';
export type { Diagnostic, Location, Severity } from './diagnostics/types.js';
export type { OutputFile } from './4-emit/types.js';
export type { Model } from './3-model/types.js';

export interface CompileOptions {
  /** How generated headers name the inventory, e.g. `inventory/`. */
  source?: string;
  /** SOA serial for every zone (the CLI takes it from --serial or SOURCE_DATE_EPOCH); never the clock. */
  serial?: number;
  /** Every single point of failure is an error, whatever `platform.survive` says. */
  strict?: boolean;
  /**
   * Called as each phase ends, with its name (`load`, `validate:names`, `model`, `emit:<daemon>`,
   * `validate:rules`, `analyze`, `assemble`, in that order); the CLI times them.
   */
  onPhase?: (phase: string) => void;
  /**
   * Called with each file as soon as it is made (the CLI hashes, compares and writes it on another
   * thread meanwhile). Files are made before the last rules run: when the result has errors, what
   * this was given must be thrown away.
   */
  onFile?: (file: OutputFile) => void;
}

export interface CompileResult {
  diagnostics: Diagnostic[];
  /** Empty whenever a diagnostic is an error: never half an output tree. */
  files: OutputFile[];
  model?: Model;
  locator: Locator;
}

/** `file:line` of an inventory path, for provenance comments. */
function place(locator: Locator, path: InventoryPath): string {
  const l = locator.line(path);
  return l ? `${l.file}:${l.line}` : 'inventory';
}

export function compile(inputs: readonly InputFile[], options: CompileOptions = {}): CompileResult {
  return run(inputs, options, true);
}

const DEFAULT_SOURCE = 'inventory/';

/**
 * Phases 1 to 3 and the failure analysis: the diagnostics, and the model when no rule found an
 * error (`files` is always empty here). compile() is check() with the files emitted and assembled.
 */
export function check(inputs: readonly InputFile[], options: CompileOptions = {}): CompileResult {
  return run(inputs, options, false);
}

/**
 * The phases in the order that lets the CLI write while it compiles. The model needs only the
 * schema and the rules that make names resolve; the files are emitted from it (each given to
 * `onFile`) before the other rules and the failure analysis run, so that the CLI's output thread
 * hashes and writes them meanwhile (at 10,000 services it would otherwise wait for the last files
 * with most of its work still ahead). Files are returned only when nothing is an error. A model
 * or an emitter that throws on an inventory the later rules reject is that inventory's fault: its
 * diagnostics are the answer; on an inventory they accept, it is hacompile's, and is thrown.
 */
function run(inputs: readonly InputFile[], options: CompileOptions, emitting: boolean): CompileResult {
  const mark = options.onPhase ?? (() => undefined);
  const loaded = load(inputs);
  mark('load');
  const done = (diagnostics: Diagnostic[], model?: Model, files: OutputFile[] = []): CompileResult => ({
    diagnostics: sortDiagnostics(diagnostics),
    files,
    ...(model ? { model } : {}),
    locator: loaded.locator,
  });
  if (hasErrors(loaded.diagnostics)) return done(loaded.diagnostics);
  const named = validateNames(loaded);
  mark('validate:names');
  if (!named.inventory) return done([...loaded.diagnostics, ...named.diagnostics]);
  let model: Model | undefined;
  let emitted: OutputFile[] = [];
  let failure: { error: unknown } | undefined;
  try {
    model = buildModel(named.inventory);
    mark('model');
    if (emitting) emitted = emit(model, loaded.locator, options);
  } catch (error) {
    failure = { error };
  }
  const validated = named.rest();
  mark('validate:rules');
  const diagnostics = [...loaded.diagnostics, ...validated.diagnostics];
  if (hasErrors(diagnostics)) return done(diagnostics);
  if (failure !== undefined || model === undefined) throw failure?.error ?? new Error('internal: no model was built');
  for (const { msg, path } of analyze(model, model.platform.survive, options.strict ?? false)) {
    const location = loaded.locator.locate(path);
    diagnostics.push({ ...msg, ...(location ? { location } : {}), related: [] });
  }
  mark('analyze');
  if (!emitting || hasErrors(diagnostics)) return done(diagnostics, model);
  const files = assemble(emitted, options.source ?? DEFAULT_SOURCE);
  mark('assemble');
  return done(diagnostics, model, files);
}

/**
 * Phase 4: the files of every emitter, unsorted and without the manifest, for a model check() accepted.
 */
export function emit(model: Model, locator: Locator, options: CompileOptions = {}): OutputFile[] {
  const mark = options.onPhase ?? (() => undefined);
  // Each entity's origin is one object, asked for by several emitters: placed once.
  const placed = new WeakMap<{ path: InventoryPath }, string>();
  const at = (o: { path: InventoryPath }): string => {
    let p = placed.get(o);
    if (p === undefined) placed.set(o, (p = place(locator, o.path)));
    return p;
  };
  const ctx = { source: options.source ?? DEFAULT_SOURCE, serial: options.serial ?? 1, where: at };
  const files: OutputFile[] = [];
  for (const e of EMITTERS) {
    for (const f of e.emit(model, ctx)) {
      files.push(f);
      options.onFile?.(f);
    }
    mark(`emit:${e.daemon}`);
  }
  return files;
}
