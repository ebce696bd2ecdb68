import type { Model } from '../3-model/types.js';
import { m } from '../diagnostics/messages.js';
import type { InventoryPath, Message } from '../diagnostics/types.js';
import { findSpofs } from './spof.js';

export { verdicts, type Verdict } from './verdicts.js';
export type { Outage } from './outage.js';

export type Survive = 'none' | 'node' | 'site';

/**
 * Failure analysis: a warning for every single point of failure; an error where
 * `platform.survive` (or --strict) says the platform must survive that level.
 */
export function analyze(model: Model, survive: Survive, strict: boolean): { msg: Message; path: InventoryPath }[] {
  return findSpofs(model).map((s) => {
    const enforced = strict || survive === 'site' || (survive === 'node' && s.level === 'node');
    return { msg: m.singlePointOfFailure(s.what, s.level, s.culprits, s.detail, enforced ? 'error' : 'warning'), path: s.path };
  });
}
