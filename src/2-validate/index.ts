import type { Loaded } from '../1-load/index.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { hasErrors } from '../diagnostics/types.js';
import { createContext, type Rule } from './context.js';
import type { Inventory } from './inventory.js';
import { activeStandby } from './rules/active-standby.js';
import { backends } from './rules/backends.js';
import { hostnames } from './rules/hostnames.js';
import { platformPresent } from './rules/platform-present.js';
import { references } from './rules/references.js';
import { validateSchema } from './schema.js';

export type { Inventory } from './inventory.js';

/** Rules that must pass before any other rule can trust names (later rules look names up). */
const FOUNDATION: readonly Rule[] = [platformPresent, references];
/** Every other rule; each assumes references resolve. */
export const RULES: readonly Rule[] = [
  backends,
  activeStandby,
  hostnames,
  // ---- L4, VIP, Sentinel, DNS/Mongo/Patroni rules are added here, one line each ----
];

export interface Validated {
  inventory?: Inventory;
  diagnostics: Diagnostic[];
}

/** Phase 2: the schema, then the rules. Returns a typed inventory only when nothing is an error. */
export function validate(loaded: Loaded): Validated {
  const schemaErrors = validateSchema(loaded.data, loaded.locator);
  if (hasErrors(schemaErrors)) return { diagnostics: schemaErrors };
  const inv = withEmptySections(loaded.data as Partial<Inventory>);
  const diagnostics: Diagnostic[] = [...schemaErrors];
  const ctx = createContext(inv, loaded.locator, diagnostics);
  for (const rule of FOUNDATION) rule.check(ctx);
  if (hasErrors(diagnostics)) return { diagnostics };
  for (const rule of RULES) rule.check(ctx);
  return hasErrors(diagnostics) ? { diagnostics } : { inventory: inv, diagnostics };
}

function withEmptySections(d: Partial<Inventory>): Inventory {
  return {
    platform: d.platform!,
    sites: d.sites ?? {},
    nodes: d.nodes ?? {},
    services: d.services ?? {},
    tcp: d.tcp ?? {},
    redis: d.redis ?? {},
    mongo: d.mongo ?? {},
    postgres: d.postgres ?? {},
    vips: d.vips ?? {},
    dns: { zones: d.dns?.zones ?? {} },
  };
}
