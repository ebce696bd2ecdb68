// Judge generated config text with the real daemons (see /work/shared/reference/daemons.md).
// Every check writes the text to a fresh temp dir, runs the daemon's own checker and removes the dir.
// A rejected config gives { ok: false }; a missing daemon binary throws, so CI fails loudly.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { checkTraefik, TRAEFIK_CHECK } from "../../src/verify/traefik.js";

export interface CheckResult {
  ok: boolean;
  output: string;
  command: string;
}

export interface SentinelResult extends CheckResult {
  masters: Array<Record<string, string>>;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  command: string;
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const PACKAGES: Record<string, string> = {
  caddy: "caddy",
  haproxy: "haproxy",
  keepalived: "keepalived",
  "redis-sentinel": "redis-sentinel",
  "redis-cli": "redis-tools",
  "named-checkzone": "bind9-utils",
  unshare: "util-linux",
  ip: "iproute2",
};

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/** Runs cmd in its own process group; on timeout the whole group gets SIGKILL. Never rejects for a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const command = [cmd, ...args].map(shellQuote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }, opts.timeoutMs ?? 20_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n[killed after ${opts.timeoutMs ?? 20_000} ms timeout]`;
      resolve({ code: timedOut ? null : code, stdout, stderr, command });
    });
  });
}

const combined = (r: RunResult): string => [r.stdout.trim(), r.stderr.trim()].filter(Boolean).join("\n");

const checked = new Set<string>();

/** Throws when a required binary is not on PATH. */
export async function assertTool(name: string): Promise<void> {
  if (checked.has(name)) return;
  const r = await run("which", [name], { timeoutMs: 5_000 });
  if (r.code !== 0) {
    throw new Error(`${name} is not installed: run .ci/run or apt-get install ${PACKAGES[name] ?? name}`);
  }
  checked.add(name);
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "hacompile-check-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function withFile<T>(name: string, text: string, fn: (file: string, dir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return fn(file, dir);
  });
}

async function checkWith(tools: string[], name: string, text: string, cmd: string, args: (file: string, dir: string) => string[]): Promise<CheckResult> {
  for (const tool of tools) await assertTool(tool);
  return withFile(name, text, async (file, dir) => {
    const r = await run(cmd, args(file, dir));
    return { ok: r.code === 0, output: combined(r), command: r.command };
  });
}

// ---------------------------------------------------------------- Caddy

const caddyEnv = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: dir,
  XDG_DATA_HOME: join(dir, "data"),
  XDG_CONFIG_HOME: join(dir, "config"),
});

export async function caddyValidate(text: string): Promise<CheckResult> {
  await assertTool("caddy");
  return withFile("Caddyfile", text, async (file, dir) => {
    const r = await run("caddy", ["validate", "--adapter", "caddyfile", "--config", file], { env: caddyEnv(dir) });
    return { ok: r.code === 0, output: combined(r), command: r.command };
  });
}

async function runCaddyFmt(text: string): Promise<RunResult> {
  await assertTool("caddy");
  return withFile("Caddyfile", text, (file, dir) => run("caddy", ["fmt", file], { env: caddyEnv(dir) }));
}

/** The canonical form printed by `caddy fmt`; throws if caddy cannot format the text. */
export async function caddyFmt(text: string): Promise<string> {
  const r = await runCaddyFmt(text);
  if (r.code !== 0) throw new Error(`${r.command} failed (exit ${String(r.code)}):\n${combined(r)}`);
  return r.stdout;
}

/** ok iff `caddy fmt` would not change the text (`caddy fmt --diff` exits 0 even when it would). */
export async function caddyFmtUnchanged(text: string): Promise<CheckResult> {
  const r = await runCaddyFmt(text);
  if (r.code !== 0) return { ok: false, output: combined(r), command: r.command };
  const ok = r.stdout === text;
  const output = ok ? "" : createTwoFilesPatch("Caddyfile", "caddy fmt", text, r.stdout).trim();
  return { ok, output, command: r.command };
}

// ---------------------------------------------------------------- HAProxy

/** `haproxy -c -dW`: any warning fails, and so does exit 2 ("no listener"). Without `-q`, which would hide the ALERT lines. */
export function haproxyCheck(text: string): Promise<CheckResult> {
  return checkWith(["haproxy"], "haproxy.cfg", text, "haproxy", (file) => ["-c", "-dW", "-f", file]);
}

// ---------------------------------------------------------------- keepalived

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** `keepalived -t -e` inside a throwaway network namespace holding a bridge for each named interface. */
export function keepalivedCheck(text: string, interfaces: string[]): Promise<CheckResult> {
  for (const name of interfaces) {
    if (!IFNAME.test(name)) throw new Error(`keepalivedCheck: invalid interface name ${JSON.stringify(name)}`);
  }
  const links = [...new Set(interfaces)].filter((i) => i !== "lo");
  const script = [
    "set -e",
    'conf=$1; dir=$2; shift 2',
    "ip link set lo up",
    'for i in "$@"; do ip link add "$i" type bridge; done',
    'exec keepalived -t -e -f "$conf" --pid="$dir/k.pid" --vrrp_pid="$dir/v.pid" --checkers_pid="$dir/c.pid"',
  ].join("\n");
  return checkWith(["unshare", "ip", "keepalived"], "keepalived.conf", text, "unshare", (file, dir) => [
    "-n", "sh", "-c", script, "sh", file, dir, ...links,
  ]);
}

// ---------------------------------------------------------------- Redis Sentinel

const SENTINEL_SCRIPT = `
conf=$1; port=$2; dir=$3
ip link set lo up || exit 90
redis-sentinel "$conf" --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize no \\
  --logfile "$dir/s.log" --pidfile "$dir/s.pid" &
pid=$!
up=0; i=0
while [ $i -lt 50 ]; do
  if redis-cli -p "$port" PING 2>/dev/null | grep -q PONG; then up=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1; i=$((i + 1))
done
rc=91
if [ $up = 1 ]; then redis-cli -p "$port" --no-raw SENTINEL masters; rc=$?; fi
kill "$pid" 2>/dev/null
wait "$pid"
exit $rc
`;

/** Undo redis-cli's quoting of a bulk string (sdscatrepr). */
function unquoteRedis(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith("x") && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: "\n", r: "\r", t: "\t", a: "\x07", b: "\b" } as Record<string, string>)[e] ?? e;
  });
}

/** Parses `redis-cli --no-raw SENTINEL masters` (an array of flat field/value arrays). */
export function parseSentinelMasters(out: string): Array<Record<string, string>> {
  const masters: Array<Record<string, string>> = [];
  let values: string[] = [];
  const flush = (): void => {
    const m: Record<string, string> = {};
    for (let i = 0; i + 1 < values.length; i += 2) m[values[i] as string] = values[i + 1] as string;
    if (values.length > 0) masters.push(m);
    values = [];
  };
  for (const line of out.split("\n")) {
    const match = /^\s*(\d+\)\s+)?\d+\) "(.*)"\s*$/.exec(line);
    if (!match) continue;
    if (match[1] !== undefined) flush();
    values.push(unquoteRedis(match[2] ?? ""));
  }
  flush();
  return masters;
}

/** Loads a copy of the text in a throwaway Sentinel inside `unshare -n` and reads back `SENTINEL masters`. */
export async function sentinelLoad(text: string, opts: { port?: number } = {}): Promise<SentinelResult> {
  for (const tool of ["unshare", "ip", "redis-sentinel", "redis-cli"]) await assertTool(tool);
  const port = opts.port ?? 26400 + Math.floor(Math.random() * 600);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`sentinelLoad: bad port ${port}`);
  // Sentinel rewrites the file it loads, so it only ever sees this copy.
  return withFile("sentinel.conf", text, async (file, dir) => {
    const r = await run("unshare", ["-n", "sh", "-c", SENTINEL_SCRIPT, "sh", file, String(port), dir], { timeoutMs: 20_000 });
    const masters = r.code === 0 ? parseSentinelMasters(r.stdout) : [];
    const ok = r.code === 0 && !/^\(error\)/m.test(r.stdout);
    let output = combined(r);
    if (!ok) {
      const log = await readFile(join(dir, "s.log"), "utf8").catch(() => "");
      output = [output, log.trim()].filter(Boolean).join("\n");
    }
    return { ok, output, command: r.command, masters };
  });
}

// ---------------------------------------------------------------- BIND zone files

/** Strict named-checkzone; any output line besides "loaded serial" and "OK" (a warning) fails too. */
export async function namedCheckzone(zone: string, text: string): Promise<CheckResult> {
  const r = await checkWith(["named-checkzone"], "zone.db", text, "named-checkzone", (file) => [
    "-i", "local", "-k", "fail", "-n", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "-r", "fail", "-l", "86400",
    zone, file,
  ]);
  const name = zone.replace(/\.$/, "");
  const clean = (line: string): boolean =>
    line === "OK" || (line.startsWith(`zone ${name}/IN: loaded serial `) && /serial \d+$/.test(line));
  const lines = r.output.split("\n").filter((l) => l.trim() !== "");
  return { ...r, ok: r.ok && lines.every(clean) };
}

// ---------------------------------------------------------------- Traefik (no binary: schema + semantics)

/** Traefik dynamic (file provider) YAML, judged by hacompile's own checker (src/verify/traefik.ts). */
export async function traefikCheck(text: string): Promise<CheckResult> {
  const problems = checkTraefik(text);
  return { ok: problems.length === 0, output: problems.join("\n"), command: TRAEFIK_CHECK };
}
