import type { Model, Origin } from '../3-model/types.js';

/** One generated file, relative to the output root. */
export interface OutputFile {
  /** POSIX path under the output root, e.g. `nodes/vps/caddy/Caddyfile`. */
  path: string;
  /** The node that gets this file; absent for files not tied to a node (DNS zones). */
  node?: string;
  daemon: string;
  content: string;
  /** The command that checks this file, run from the output root. */
  check: string;
  /** Names of the secrets this file needs at deploy time. */
  secrets: string[];
}

export interface EmitContext {
  /** How the header names the inventory, e.g. `inventory/`. */
  source: string;
  /** SOA serial for zone files. */
  serial: number;
  /**
   * Provenance: `inventory/services.yaml:12` for an entity's origin. Every generated block
   * carries `from <place>` in a comment, which `hacompile explain` follows back.
   */
  where(origin: Origin): string;
}

/** One emitter per daemon; each is a pure function of the model. */
export interface Emitter {
  readonly daemon: string;
  emit(model: Model, ctx: EmitContext): OutputFile[];
}
