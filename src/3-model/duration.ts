const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1m30s` → 90000. The schema has already checked the syntax. */
export function parseDuration(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/([0-9]+)(ms|s|m|h)/g)) total += Number(n) * UNIT_MS[unit!]!;
  return total;
}
