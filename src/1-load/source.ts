import { LineCounter, parseDocument, type Document } from 'yaml';

/** One inventory file as handed to the compiler: a display path and its text. */
export interface InputFile {
  path: string;
  text: string;
}

/** A parsed inventory file: the YAML document keeps every node's source range. */
export interface SourceFile {
  path: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseSource(file: InputFile): SourceFile {
  const lines = new LineCounter();
  const doc = parseDocument(file.text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    merge: true,
    keepSourceTokens: false,
  });
  return { path: file.path, text: file.text, doc, lines };
}
