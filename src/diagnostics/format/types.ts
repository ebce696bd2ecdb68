import type { Diagnostic } from '../types.js';

export interface FormatOptions {
  /** The text of an inventory file, for code frames. */
  source?: (file: string) => string | undefined;
  color?: boolean;
}

/** Every formatter has this one signature (one file each). */
export type Formatter = (diagnostics: readonly Diagnostic[], options: FormatOptions) => string;
