/**
 * Build step (`npm run build` runs `node dist/cli/precompile.js` after tsc): writes the inventory
 * schema's validator as code beside the compiled module that loads it, so the CLI does not compile
 * the schema with ajv on every run (see src/2-validate/schema-code.ts). The templates are
 * precompiled before tsc, by scripts/templates.mjs.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validatorModule } from '../2-validate/schema-code.js';

const beside = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));
writeFileSync(beside('../2-validate/inventory-validator.cjs'), validatorModule());
