/**
 * Build step (`npm run build` runs `node dist/cli/precompile.js` after tsc): writes the inventory
 * schema's validator and every template as code beside the compiled modules that load them, so
 * the CLI neither compiles the schema with ajv nor the templates with Handlebars on every run
 * (see src/2-validate/schema-code.ts and src/4-emit/templates.ts).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validatorModule } from '../2-validate/schema-code.js';
import { templatesModule } from '../4-emit/templates.js';

const beside = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));
writeFileSync(beside('../2-validate/inventory-validator.cjs'), validatorModule());
writeFileSync(beside('../4-emit/templates.precompiled.cjs'), templatesModule());
