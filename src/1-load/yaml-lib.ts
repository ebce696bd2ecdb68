import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let lib: Yaml | undefined;

/**
 * The `yaml` library, loaded on first use: a build whose files are all in the fast reader's
 * subset and that has no diagnostic to place never needs it (saves ~30 ms of startup).
 */
export function yaml(): Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as Yaml;
  return lib;
}
