import { m } from '../../diagnostics/messages.js';
import type { Rule } from '../context.js';

/** `a.b.example.org` → `example.org`: the registered domain CAs count against (two labels; no public suffix list). */
export function registeredDomain(name: string): string {
  const last = name.lastIndexOf('.');
  const before = last > 0 ? name.lastIndexOf('.', last - 1) : -1;
  return before < 0 ? name : name.slice(before + 1);
}

/**
 * With `tls: acme` every daemon instance requests its own certificate per name (Caddy) or per
 * router (Traefik). A CA caps issuance per registered domain and week (Let's Encrypt: 50), so a
 * plan above it fails to get the rest for a week.
 */
export const certLimit: Rule = {
  name: 'cert-limit',
  check(ctx) {
    const { platform, names } = ctx.model;
    if (platform.tls !== 'acme') return;
    const per = new Map<string, Map<string, number>>();
    const add = (domain: string, who: string, n: number): void => {
      const m2 = per.get(domain) ?? new Map<string, number>();
      m2.set(who, (m2.get(who) ?? 0) + n);
      per.set(domain, m2);
    };
    for (const p of names.names) {
      if (p.daemon === 'caddy') for (const s of p.servers) add(registeredDomain(p.name), `Caddy on ${s}`, 1);
      // Traefik: one certificate per router; a global router's extra hosts are SANs of its certificate.
      else if (p.kind === 'global' || p.kind === 'node') for (const s of p.servers) add(registeredDomain(p.name), `Traefik on ${s}`, 1);
    }
    for (const [domain, who] of [...per].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const count = [...who.values()].reduce((a, b) => a + b, 0);
      if (count <= platform.acme.certsPerWeek) continue;
      const list = [...who].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([w, n]) => `${w}: ${n}`).join(', ');
      ctx.report(m.certLimit(count, domain, list, platform.acme.certsPerWeek), ['platform', 'tls'], { key: true });
    }
  },
};
