import { createRequire } from 'node:module';
import { BUNDLED } from '../bundled.js';

type Yaml = typeof import('yaml');
let lib: Yaml | undefined;

/**
 * The `yaml` library, loaded on first use: a build whose files are all in the fast reader's
 * subset and that has no diagnostic to place never needs it. From the bundle, its one-file copy
 * (~10 ms; resolving and reading the package's 74 files takes 45–70 ms).
 */
export function yaml(): Yaml {
  lib ??= createRequire(import.meta.url)(BUNDLED ? './yaml.cjs' : 'yaml') as Yaml;
  return lib;
}
