/**
 * Build step (`npm run build` runs `node dist/cli/precompile.js` after tsc): writes the inventory
 * schema's validator as code beside the compiled schema module, so the CLI loads it instead of
 * compiling the schema with ajv on every run (see src/2-validate/schema-code.ts).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validatorModule } from '../2-validate/schema-code.js';

const target = fileURLToPath(new URL('../2-validate/inventory-validator.cjs', import.meta.url));
writeFileSync(target, validatorModule());
