/**
 * hacompile's public API. Pure: no file system, no clock, no environment, no console; the CLI is
 * the only impure part. A build is a straight chain of steps, each a function of the one before:
 *
 *   load → validate → model → check → emit → assemble
 *
 * 1. load      YAML texts → one merged document and a Locator (path → file:line:column)
 * 2. validate  the schema, then every rule that needs only the inventory → the Inventory
 * 3. model     the normalized Model: defaults applied, sorted, zone records derived
 * 4. check     the rules that judge what the model derives, and the failure analysis
 * 5. emit      every daemon's files, from a model every rule accepted
 * 6. assemble  the files in path order and the manifest
 */
import { load, type InputFile } from './1-load/index.js';
import type { Locator } from './1-load/locator.js';
import { validate } from './2-validate/index.js';
import { buildModel } from './3-model/build.js';
import { externalNames } from './3-model/names.js';
import type { Model } from './3-model/types.js';
import { check as checkModel } from './4-check/index.js';
import { EMITTERS } from './5-emit/registry.js';
import type { OutputFile } from './5-emit/types.js';
import { assemble } from './6-assemble/index.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/types.js';

export type { InputFile } from './1-load/index.js';
export type { Diagnostic, Location, Severity } from './diagnostics/types.js';
export type { OutputFile } from './5-emit/types.js';
export type { Model } from './3-model/types.js';

export interface CompileOptions {
  /** SOA serial for every zone (the CLI takes it from --serial or SOURCE_DATE_EPOCH); never the clock. */
  serial?: number;
  /** Every single point of failure is an error, whatever `platform.survive` says. */
  strict?: boolean;
  /** The inventory as the manifest names it: its path relative to the output directory (default `../inventory`). */
  inventory?: string;
  /** Called as each step ends, with its name (`load`, `validate`, `model`, `check`, `emit`, `assemble`); the CLI times them. */
  onPhase?: (phase: string) => void;
}

export interface CompileResult {
  diagnostics: Diagnostic[];
  /** Empty whenever a diagnostic is an error: never half an output tree. */
  files: OutputFile[];
  /** The model, when the inventory passed validation. */
  model?: Model;
  locator: Locator;
}

const DEFAULT_INVENTORY = '../inventory';

/** Steps 1 to 4: the diagnostics, and the model when validation passed (`files` is always empty). */
export function check(inputs: readonly InputFile[], options: CompileOptions = {}): CompileResult {
  const mark = options.onPhase ?? (() => undefined);
  const loaded = load(inputs);
  mark('load');
  const done = (diagnostics: Diagnostic[], model?: Model): CompileResult => ({
    diagnostics: sortDiagnostics(diagnostics),
    files: [],
    ...(model ? { model } : {}),
    locator: loaded.locator,
  });
  if (hasErrors(loaded.diagnostics)) return done(loaded.diagnostics);
  const validated = validate(loaded);
  mark('validate');
  const diagnostics = [...loaded.diagnostics, ...validated.diagnostics];
  if (!validated.inventory) return done(diagnostics);
  const model = buildModel(validated.inventory);
  mark('model');
  diagnostics.push(...checkModel(model, loaded.locator, options.strict ?? false));
  mark('check');
  return done(diagnostics, model);
}

/** Every step: the diagnostics and, when none is an error, every file of the output tree. */
export function compile(inputs: readonly InputFile[], options: CompileOptions = {}): CompileResult {
  const checked = check(inputs, options);
  if (!checked.model || hasErrors(checked.diagnostics)) return checked;
  const mark = options.onPhase ?? (() => undefined);
  const emitted = emit(checked.model, options);
  mark('emit');
  const files = assemble(emitted, options.inventory ?? DEFAULT_INVENTORY, checked.model);
  mark('assemble');
  return { ...checked, files };
}

/** Step 5: the files of every emitter, unsorted and without the manifest, for a model check() accepted. */
export function emit(model: Model, options: CompileOptions = {}): OutputFile[] {
  const ctx = { serial: options.serial ?? 1 };
  return EMITTERS.flatMap((e) => e.emit(model, ctx));
}
