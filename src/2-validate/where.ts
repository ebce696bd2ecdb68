import type { InventoryPath } from '../diagnostics/types.js';

/** `['services', 'whoami', 'backends', 2]` → `services.whoami.backends[2]`, as users write it. */
export function describePath(path: InventoryPath): string {
  if (path.length === 0) return 'the inventory';
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}
