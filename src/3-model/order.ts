/**
 * Puts `x` into `list`, kept in order, after every element it does not come strictly before (so
 * equal elements stay in the order they were put in).
 */
export function insertSorted<T>(list: T[], x: T, before: (a: T, b: T) => boolean): void {
  let at = list.length;
  while (at > 0 && before(x, list[at - 1]!)) at--;
  if (at === list.length) list.push(x);
  else list.splice(at, 0, x);
}

/** Strings in code-unit order (as `sort()` without a comparator orders them). */
export const stringBefore = (a: string, b: string): boolean => a < b;
