import { m } from '../../diagnostics/messages.js';
import type { BackendRef, Rule } from '../context.js';

/**
 * Backends are usable: a managed node has an address to reach it on, a backend is either a node
 * or an address (not both), and no owner lists the same backend twice.
 */
export const backends: Rule = {
  name: 'backends',
  check(ctx) {
    const { inv } = ctx;
    // Duplicates are per owner, and ctx.backends lists each owner's backends together.
    const seen = new Map<string, BackendRef>();
    let owner: readonly unknown[] = [];
    for (const b of ctx.backends) {
      if (b.path[0] !== owner[0] || b.path[1] !== owner[1]) {
        seen.clear();
        owner = b.path;
      }
      if (b.node !== undefined && b.address !== undefined) ctx.report(m.backendNodeAndAddress(b.owner), [...b.path, 'address'], { key: true });
      if (b.node !== undefined && inv.nodes[b.node] && inv.nodes[b.node]!.address === undefined) {
        ctx.report(m.backendWithoutAddress(b.owner, b.node), b.nodePath, {
          related: [{ message: `node ${JSON.stringify(b.node)} is defined here`, at: ['nodes', b.node], key: true }],
        });
      }
      const id = b.node ?? `${b.address}:${b.port}`;
      const first = seen.get(id);
      if (first) {
        ctx.report(m.duplicateBackend(b.owner, b.node ?? `${b.address}:${b.port}`), b.path, {
          related: [{ message: m.firstDefinedHere(), at: first.path }],
        });
      } else seen.set(id, b);
    }
  },
};
