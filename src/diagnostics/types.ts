/** A place in an inventory file; lines and columns are 1-based, the end is exclusive. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning';

/** A second place that explains a diagnostic ("first defined here"). */
export interface Related {
  message: string;
  location?: Location;
}

/** The one diagnostic shape of hacompile: every phase, rule and formatter speaks it. */
export interface Diagnostic {
  /** Stable kebab-case identifier, e.g. `unknown-node`. */
  code: string;
  severity: Severity;
  message: string;
  /** What to do about it. */
  hint?: string;
  location?: Location;
  related: Related[];
}

/** What a catalogue entry produces before it is placed. */
export interface Message {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
}

/** A path into the merged inventory, e.g. `['services', 'whoami', 'backends', 2]`. */
export type InventoryPath = readonly (string | number)[];

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by file, line, column, then code, so output never depends on rule order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.location?.line ?? 0;
    const lb = b.location?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.location?.column ?? 0;
    const cb = b.location?.column ?? 0;
    if (ca !== cb) return ca - cb;
    if (a.code !== b.code) return a.code < b.code ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}
