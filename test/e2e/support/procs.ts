// Processes started by an e2e test: each runs in its own process group (inside a network
// namespace through `ip netns exec`, which execs the command, so the PID is the daemon's), its
// output goes to a log file, and every PID is recorded so that stopAll() ends exactly those.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Proc {
  name: string;
  pid: number;
  log: string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  running: boolean;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Network namespace to run in; omitted: the test's own (for commands that enter one themselves). */
  ns?: string;
  cwd?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Procs {
  private readonly all: Proc[] = [];

  constructor(private readonly logDir: string) {}

  /** Starts a long-running process; its stdout and stderr go to `<logDir>/<name>.log`. */
  start(name: string, cmd: string, args: string[], opts: StartOptions = {}): Proc {
    const log = path.join(this.logDir, `${name}.log`);
    const fd = openSync(log, 'a');
    const argv = opts.ns ? ['netns', 'exec', opts.ns, cmd, ...args] : args;
    const child = spawn(opts.ns ? 'ip' : cmd, argv, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: opts.env ?? process.env,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    closeSync(fd);
    return this.track(name, child, log);
  }

  /** Runs a bounded command to its end and returns its stdout (stderr goes to the log). */
  async run(name: string, cmd: string, args: string[], opts: StartOptions & { timeoutMs: number }): Promise<{ code: number | string; stdout: string }> {
    const log = path.join(this.logDir, `${name}.log`);
    const fd = openSync(log, 'a');
    const argv = opts.ns ? ['netns', 'exec', opts.ns, cmd, ...args] : args;
    const child = spawn(opts.ns ? 'ip' : cmd, argv, { detached: true, stdio: ['ignore', 'pipe', fd], env: opts.env ?? process.env });
    closeSync(fd);
    const proc = this.track(name, child, log);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const timer = setTimeout(() => this.signal(proc, 'SIGKILL'), opts.timeoutMs);
    const code = await proc.exited;
    clearTimeout(timer);
    return { code, stdout };
  }

  private track(name: string, child: ChildProcess, log: string): Proc {
    if (child.pid === undefined) throw new Error(`cannot start ${name}`);
    const proc: Proc = {
      name,
      pid: child.pid,
      log,
      running: true,
      exited: new Promise((resolve) => {
        child.on('exit', (code, sig) => {
          proc.running = false;
          resolve(code ?? sig ?? 'unknown');
        });
        child.on('error', () => {
          proc.running = false;
          resolve('spawn error');
        });
      }),
    };
    this.all.push(proc);
    return proc;
  }

  /** Sends a signal to the process group the process leads (its PID, negated). */
  signal(proc: Proc, sig: NodeJS.Signals): void {
    if (!proc.running) return;
    try {
      process.kill(-proc.pid, sig);
    } catch {
      // already gone
    }
  }

  /** Sends sig and waits (bounded) until the process has exited. */
  async kill(proc: Proc, sig: NodeJS.Signals = 'SIGKILL', waitMs = 5000): Promise<void> {
    this.signal(proc, sig);
    const gone = await Promise.race([proc.exited.then(() => true), sleep(waitMs).then(() => false)]);
    if (!gone) {
      this.signal(proc, 'SIGKILL');
      await Promise.race([proc.exited, sleep(2000)]);
    }
  }

  /** Ends every process this runner started: SIGTERM, then SIGKILL after a short grace. */
  async stopAll(): Promise<void> {
    const live = this.all.filter((p) => p.running);
    for (const p of live) this.signal(p, 'SIGTERM');
    await Promise.race([Promise.all(live.map((p) => p.exited)), sleep(2000)]);
    for (const p of live) this.signal(p, 'SIGKILL');
    await Promise.race([Promise.all(live.map((p) => p.exited)), sleep(2000)]);
  }

  /** The last lines of a process's log, for failure messages. */
  tail(proc: Proc, lines = 30): string {
    try {
      return readFileSync(proc.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

/** Polls check() every intervalMs until it returns a value other than undefined; throws after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export { sleep };
