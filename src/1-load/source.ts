import type { Document, LineCounter } from 'yaml';
import { fastParse, type FastParsed } from './fast-yaml.js';
import { yaml } from './yaml-lib.js';

/** One inventory file as handed to the compiler: a display path and its text. */
export interface InputFile {
  path: string;
  text: string;
}

/**
 * A parsed inventory file. The `yaml` document keeps every node's source range, so diagnostics
 * point at the exact key or value; building it costs about 30 times more than reading the data,
 * so when the fast reader could read the file, the document is only built the first time a
 * diagnostic needs a position in it.
 */
export class SourceFile {
  private parsed?: { doc: Document.Parsed; lines: LineCounter };

  constructor(
    readonly path: string,
    readonly text: string,
    /** The fast reader's data and key lines, when the file is within its subset. */
    readonly fast: FastParsed | undefined,
  ) {}

  get doc(): Document.Parsed {
    return this.exact().doc;
  }

  get lines(): LineCounter {
    return this.exact().lines;
  }

  private exact(): { doc: Document.Parsed; lines: LineCounter } {
    if (!this.parsed) {
      const { LineCounter, parseDocument } = yaml();
      const lines = new LineCounter();
      const doc = parseDocument(this.text, {
        lineCounter: lines,
        prettyErrors: false,
        uniqueKeys: true,
        strict: true,
        merge: true,
        keepSourceTokens: false,
      });
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }
}

/** Reads a file with the fast reader, or prepares the exact path when the file is outside its subset. */
export function parseSource(file: InputFile): SourceFile {
  return new SourceFile(file.path, file.text, fastParse(file.text));
}
