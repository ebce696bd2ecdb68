import type { Model } from '../3-model/types.js';

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

/** One generated file: what describes it, and its bytes (UTF-8 text ending in a newline). */
export interface OutputFile extends FileMeta {
  readonly bytes: Buffer;
}

/** A generated file from its description and its text (or the text's UTF-8 bytes). */
export function outputFile(meta: FileMeta, text: string | Buffer): OutputFile {
  return { ...meta, bytes: typeof text === 'string' ? Buffer.from(text, 'utf8') : text };
}

export interface EmitContext {
  /** SOA serial for zone files. */
  serial: number;
}

/** One emitter per daemon; each is a pure function of a model every check accepted. */
export interface Emitter {
  readonly daemon: string;
  emit(model: Model, ctx: EmitContext): OutputFile[];
}
