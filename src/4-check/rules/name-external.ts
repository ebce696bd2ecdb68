import { m } from '../../diagnostics/messages.js';
import { externalNames } from '../../3-model/names.js';
import type { Rule } from '../context.js';

/**
 * Served names outside every managed zone: what to set at the registrar, one warning for the
 * platform ("point chat.example.net at 198.51.100.7"). The manifest lists them too.
 */
export const nameExternal: Rule = {
  name: 'name-external',
  check(ctx) {
    const external = externalNames(ctx.model.names.names);
    if (external.length === 0) return;
    const groups = new Map<string, string[]>();
    for (const e of external) {
      const at = e.addresses.join(', ');
      groups.set(at, [...(groups.get(at) ?? []), e.name]);
    }
    const points = [...groups].map(([at, names]) => `point ${names.join(', ')} at ${at}`).join('; ');
    ctx.report(m.namesExternal(external.length, points), external[0]!.origin.path, { key: true });
  },
};

