import type { Model, Origin } from '../3-model/types.js';
import type { Pieces } from './body.js';

/** What describes one generated file besides its bytes. */
export interface FileMeta {
  /** POSIX path under the output root, e.g. `nodes/vps/caddy/Caddyfile`. */
  path: string;
  /** The node that gets this file; absent for files not tied to a node (DNS zones). */
  node?: string;
  daemon: string;
  /** The command that checks this file, run from the output root. */
  check: string;
  /** Names of the secrets this file needs at deploy time. */
  secrets: string[];
}

/** One generated file, relative to the output root (made by outputFile() in body.ts). */
export interface OutputFile extends FileMeta {
  /** Its bytes, as UTF-8 segments in order; a large segment may be shared by several files. */
  readonly body: readonly Uint8Array[];
  /**
   * Its bytes as the emitter made them: `body` before any stamped piece is made into bytes (see
   * Stamped in body.ts). What reads a file's bytes only once (the CLI's output thread, sizes) reads these.
   */
  readonly pieces: Pieces;
  /** Its text, decoded from `body` when asked for (the CLI hashes and writes `body`). */
  readonly content: string;
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
  /** Its files, one by one (a generator may make the next while the CLI writes the last). */
  emit(model: Model, ctx: EmitContext): Iterable<OutputFile>;
}
