import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/** The merged inventory has a platform section (each file alone may leave it out). */
export const platformPresent: Rule = {
  name: 'platform-present',
  check(ctx) {
    if (ctx.inv.platform === undefined) ctx.report(m.platformMissing(), []);
  },
};
