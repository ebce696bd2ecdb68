// Finding processes by their parent chain in /proc (to reach a process that a wrapper such as
// `unshare --fork` started, whose PID the test did not get from spawn).
import { readdirSync, readFileSync } from 'node:fs';

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
}

function stat(pid: string): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = s.indexOf('(');
    const close = s.lastIndexOf(')');
    const rest = s.slice(close + 2).split(' ');
    return { pid: Number(pid), comm: s.slice(open + 1, close), ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** Every live descendant of root (not root itself), as global PIDs with their process names. */
export function descendants(root: number): Stat[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => stat(d) ?? []);
  const found: Stat[] = [];
  let frontier = new Set([root]);
  while (frontier.size > 0) {
    const next = all.filter((p) => frontier.has(p.ppid));
    found.push(...next);
    frontier = new Set(next.map((p) => p.pid));
  }
  return found;
}
