/**
 * `hacompile init`: which files to write where (pure; the CLI writes them and never replaces one).
 */
export interface StarterFile {
  path: string;
  text: string;
}

/** The text a `.gitignore` needs: out/ is committed (reviewers read its diff), dependencies are not. */
export const GITIGNORE = `# hacompile: commit inventory/ and out/ (reviewers read out/'s diff); never node_modules/
node_modules/
`;

/**
 * The starter files with their `$schema` path made relative to where each one is written
 * (`schemaAt(dir)` gives the schema's path relative to a directory of the target), plus a
 * `.gitignore` unless the caller says one exists.
 */
export function starterFiles(examples: readonly StarterFile[], schemaAt: (dir: string) => string): StarterFile[] {
  const files = examples.map((f) => {
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '.';
    return { path: f.path, text: f.text.replaceAll('@SCHEMA@', schemaAt(dir)) };
  });
  return [...files, { path: '.gitignore', text: GITIGNORE }].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
