import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/**
 * `active:` names one of the service's own primary backends, and some backend is a primary. A
 * service that sets both `active:` and `local_first: true` asks for two first choices: an error
 * (the platform default `local_first` simply does not apply to it).
 */
export const activeStandby: Rule = {
  name: 'active-standby',
  check(ctx) {
    // ctx.backends lists every service's backends in order, services first (shared with other rules).
    const all = ctx.backends;
    let next = 0;
    for (const [name, s] of Object.entries(ctx.inv.services)) {
      const refs = all.slice(next, (next += s.backends.length));
      if (refs.every((b) => b.backup)) ctx.report(m.allBackups(name), ['services', name, 'backends']);
      if (s.active === undefined) continue;
      if (s.local_first === true) ctx.report(m.localFirstWithActive(name, s.active), ['services', name, 'local_first'], { key: true, related: [{ message: '`active:` is set here', at: ['services', name, 'active'] }] });
      const chosen = refs.find((b) => b.node === s.active);
      if (!chosen) ctx.report(m.activeNotBackend(name, s.active), ['services', name, 'active']);
      else if (chosen.backup) ctx.report(m.activeIsBackup(name, s.active), ['services', name, 'active'], { related: [{ message: 'the backup is declared here', at: chosen.path }] });
    }
  },
};
