import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';
import type { Formatter } from './types.js';

export type { FormatOptions, Formatter } from './types.js';

export const FORMATTERS = { text: formatText, json: formatJson, github: formatGithub } as const satisfies Record<string, Formatter>;
export type FormatName = keyof typeof FORMATTERS;
