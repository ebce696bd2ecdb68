import type { Locator } from '../1-load/locator.js';
import { reporter } from '../2-validate/context.js';
import type { Model } from '../3-model/types.js';
import { m } from '../diagnostics/messages.js';
import { hasErrors, type Diagnostic } from '../diagnostics/types.js';
import type { Rule } from './context.js';
import { certLimit } from './rules/cert-limit.js';
import { daemonSupport } from './rules/daemon-support.js';
import { mongoSrvUserTxt } from './rules/mongo-srv-user-txt.js';
import { nameExternal } from './rules/name-external.js';
import { nameResolves } from './rules/name-resolves.js';
import { routingCycle } from './rules/routing-cycle.js';
import { zoneCname } from './rules/zone-cname.js';
import { zoneCollisions } from './rules/zone-collisions.js';
import { zoneDelegation } from './rules/zone-delegation.js';
import { zoneGlobal } from './rules/zone-global.js';
import { zoneNameservers } from './rules/zone-nameservers.js';
import { zoneRecords } from './rules/zone-records.js';
import { findSpofs } from './spof.js';

export type Survive = 'none' | 'node' | 'site';

/** Every rule that needs the model, in this order. */
export const RULES: readonly Rule[] = [zoneGlobal, zoneRecords, zoneNameservers, zoneCname, zoneCollisions, zoneDelegation, mongoSrvUserTxt, daemonSupport, routingCycle, nameResolves, nameExternal, certLimit];

/**
 * Phase 4: the rules that judge what the model derives, then, when they pass, the failure
 * analysis: a warning for every single point of failure, an error where `platform.survive` (or `strict`) says the platform
 * must survive that level.
 */
export function check(model: Model, locator: Locator, strict: boolean): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(locator, diagnostics);
  for (const rule of RULES) rule.check({ model, report });
  // The failure analysis judges a platform whose files would be written: none when a rule failed.
  if (hasErrors(diagnostics)) return diagnostics;
  const survive: Survive = model.platform.survive;
  for (const s of findSpofs(model)) {
    const enforced = strict || survive === 'site' || (survive === 'node' && s.level === 'node');
    report(m.singlePointOfFailure(s.what, s.level, s.culprits, s.detail, enforced ? 'error' : 'warning'), s.path);
  }
  return diagnostics;
}
