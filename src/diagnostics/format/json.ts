import type { Formatter } from './types.js';

/** One JSON document: `{ "diagnostics": [...] }`, each in the one Diagnostic shape. */
export const formatJson: Formatter = (diagnostics) => JSON.stringify({ diagnostics }, null, 2) + '\n';
