// Judge generated config text with the real daemons (see /work/shared/reference/daemons.md).
// Every check writes the text to a fresh temp dir, runs the daemon's own checker and removes the dir.
// A rejected config gives { ok: false }; a missing daemon binary throws, so CI fails loudly.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { createTwoFilesPatch } from "diff";
import { checkTraefik, TRAEFIK_CHECK } from "../../src/verify/traefik.js";

export interface CheckResult {
  ok: boolean;
  output: string;
  command: string;
}

export interface SentinelResult extends CheckResult {
  masters: Array<Record<string, string>>;
  /** The copy as Sentinel left it: it rewrites the file it loads (daemons.md §5.2). */
  rewritten: string;
}

export interface RedisResult extends CheckResult {
  /** First element of ROLE: `master` or `slave`. */
  role: string;
  /** `CONFIG GET *`. */
  config: Record<string, string>;
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
  "redis-server": "redis-server",
  "redis-cli": "redis-tools",
  "named-checkzone": "bind9-utils",
  unshare: "util-linux",
  ip: "iproute2",
  openssl: "openssl",
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

/**
 * Caddy's environment for a check: a temp home, and a stand-in for every secret the file reads
 * when it is loaded (`{$NAME}`: basicauth hashes, health check headers), which the deploy step
 * provides on a node. A stand-in is a base64 bcrypt hash, the one form every such place accepts.
 */
const caddyEnv = (dir: string, text = ""): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config") };
  for (const [, name] of text.matchAll(/\{\$([A-Z][A-Z0-9_]*)\}/g)) env[name!] = STAND_IN_HASH;
  return env;
};
/** base64 of a bcrypt hash of "stand-in" (`caddy hash-password` prints this form). */
const STAND_IN_HASH = Buffer.from("$2a$14$ajq8Q7fbtFRQvXpdCq7Jcuy.Rx1h/L4J60Otx.gyNLbAYctGMJ9tK").toString("base64");

/**
 * The CA files a Caddyfile names (`tls_trusted_ca_certs`) are placed on the node by the deploy
 * step; for a check each one that does not exist here is a fresh self-signed certificate in the
 * temp dir, and the text points at it.
 */
async function withStandInCas(text: string, dir: string): Promise<string> {
  let out = text;
  for (const [, ca] of text.matchAll(/tls_trusted_ca_certs (\S+)/g)) {
    if (existsSync(ca!)) continue;
    const pem = join(dir, `ca-${out.length}.pem`);
    const r = await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=stand-in CA", "-days", "1", "-keyout", join(dir, "ca.key"), "-out", pem]);
    if (r.code !== 0) throw new Error(`openssl could not make a stand-in CA: ${combined(r)}`);
    out = out.split(`tls_trusted_ca_certs ${ca}`).join(`tls_trusted_ca_certs ${pem}`);
  }
  return out;
}

/**
 * `tls <cert> <key>` (tls: wildcard) names files a DNS-01 client writes on the edge: the check
 * makes a self-signed pair in its own directory and points the copy it validates there, so Caddy
 * really loads a certificate and key from those lines.
 */
async function withWildcardFiles(text: string, dir: string): Promise<string> {
  const lines = [...text.matchAll(/^\ttls (\S+) (\S+)$/gm)];
  if (lines.length === 0) return text;
  await assertTool("openssl");
  const cert = join(dir, "wildcard.crt");
  const key = join(dir, "wildcard.key");
  const r = await run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=wildcard", "-addext", "subjectAltName=DNS:*.example.org"]);
  if (r.code !== 0) throw new Error(`openssl: ${combined(r)}`);
  return text.replace(/^\ttls \S+ \S+$/gm, `\ttls ${cert} ${key}`);
}

export async function caddyValidate(text: string): Promise<CheckResult> {
  await assertTool("caddy");
  return withTempDir(async (dir) => {
    const file = join(dir, "Caddyfile");
    await writeFile(file, await withWildcardFiles(await withStandInCas(text, dir), dir));
    const r = await run("caddy", ["validate", "--adapter", "caddyfile", "--config", file], { env: caddyEnv(dir, text) });
    return { ok: r.code === 0, output: combined(r), command: r.command };
  });
}

/**
 * What Caddy makes of the file (`caddy adapt`, snippets and imports expanded): every
 * `reverse_proxy` runs active health checks (a `health_uri`: without one Caddy 2.6 silently runs
 * none, daemons.md) and retries (`lb_try_duration`), and the file adapts without a warning.
 */
export async function caddyEveryProxyChecked(text: string): Promise<CheckResult> {
  await assertTool("caddy");
  return withFile("Caddyfile", text, async (file, dir) => {
    const r = await run("caddy", ["adapt", "--adapter", "caddyfile", "--config", file], { env: caddyEnv(dir, text) });
    if (r.code !== 0) return { ok: false, output: combined(r), command: r.command };
    const problems: string[] = [];
    let proxies = 0;
    const walk = (v: unknown, at: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        // forward_auth is a reverse_proxy to the auth service (with handle_response): not a service's proxy.
        if (o.handler === "reverse_proxy" && o.handle_response === undefined) {
          proxies++;
          const active = (o.health_checks as { active?: { uri?: string } } | undefined)?.active;
          if (!active?.uri) problems.push(`${at}: reverse_proxy without an active health check URI`);
          if (!(o.load_balancing as { try_duration?: number } | undefined)?.try_duration) problems.push(`${at}: reverse_proxy without try_duration`);
        }
        for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
      }
    };
    walk(JSON.parse(r.stdout), "");
    if (proxies === 0 && /^\treverse_proxy {/m.test(text)) problems.push("no reverse_proxy handler in the adapted config");
    if (/WARN/.test(r.stderr)) problems.push(r.stderr.trim());
    return { ok: problems.length === 0, output: problems.join("\n"), command: r.command };
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

/**
 * `keepalived -t -e` inside a throwaway network namespace holding a bridge for each named interface.
 * `files` (absolute path → content, e.g. a dummy include) are written inside a private mount
 * namespace, onto an overlay of the deepest directory that exists, whose upper layer is a tmpfs:
 * keepalived sees them at their real paths and the host's file system never does.
 */
export async function keepalivedCheck(text: string, interfaces: string[], files: Record<string, string> = {}): Promise<CheckResult> {
  for (const name of interfaces) {
    if (!IFNAME.test(name)) throw new Error(`keepalivedCheck: invalid interface name ${JSON.stringify(name)}`);
  }
  const links = [...new Set(interfaces)].filter((i) => i !== "lo");
  const placed = await placeFiles(files);
  const script = [
    "set -e",
    'conf=$1; dir=$2; shift 2',
    'if [ -s "$dir/files.list" ]; then',
    '  mkdir "$dir/ovl"; mount -t tmpfs tmpfs "$dir/ovl"; n=0; last=',
    '  while read -r lower src dest; do',
    '    if [ "$lower" != "$last" ]; then',
    '      n=$((n + 1)); mkdir -p "$dir/ovl/$n/up" "$dir/ovl/$n/work"',
    '      mount -t overlay overlay -o "lowerdir=$lower,upperdir=$dir/ovl/$n/up,workdir=$dir/ovl/$n/work" "$lower"; last=$lower',
    '    fi',
    '    mkdir -p "$(dirname "$dest")"; cp "$dir/$src" "$dest"',
    '  done < "$dir/files.list"',
    "fi",
    "ip link set lo up",
    'for i in "$@"; do ip link add "$i" type bridge; done',
    'exec keepalived -t -e -f "$conf" --pid="$dir/k.pid" --vrrp_pid="$dir/v.pid" --checkers_pid="$dir/c.pid"',
  ].join("\n");
  for (const tool of ["unshare", "ip", "keepalived"]) await assertTool(tool);
  return withFile("keepalived.conf", text, async (file, dir) => {
    await Promise.all(placed.map((f, i) => writeFile(join(dir, `file-${i}`), f.content)));
    await writeFile(join(dir, "files.list"), placed.map((f, i) => `${f.lower} file-${i} ${f.path}\n`).join(""));
    const ns = placed.length > 0 ? ["-n", "-m", "--propagation", "private"] : ["-n"];
    const r = await run("unshare", [...ns, "sh", "-c", script, "sh", file, dir, ...links]);
    return { ok: r.code === 0, output: combined(r), command: r.command };
  });
}

const SAFE_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;

/** Each file with the deepest existing directory above it (the overlay's lower layer), shallowest first. */
async function placeFiles(files: Record<string, string>): Promise<{ path: string; lower: string; content: string }[]> {
  const out: { path: string; lower: string; content: string }[] = [];
  for (const [path, content] of Object.entries(files)) {
    if (!SAFE_PATH.test(path) || posix.normalize(path) !== path || path.split("/").includes("..")) {
      throw new Error(`keepalivedCheck: not a plain absolute path: ${JSON.stringify(path)}`);
    }
    let lower = dirname(path);
    while (!(await stat(lower).then((s) => s.isDirectory(), () => false))) lower = dirname(lower);
    if (lower === "/" || tmpdir().startsWith(`${lower}/`) || tmpdir() === lower) {
      throw new Error(`keepalivedCheck: will not overlay ${lower} for ${path}`);
    }
    out.push({ path, lower, content });
  }
  return out.sort((a, b) => a.lower.length - b.lower.length || (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0) || (a.path < b.path ? -1 : 1));
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

/**
 * `include <path>` lines whose path is a key of `includes` point, in the copy, at a file in `dir`
 * holding that content (dummy secrets only); any other include is left as written.
 */
async function placeIncludes(text: string, includes: Record<string, string>, dir: string): Promise<string> {
  const paths = Object.keys(includes);
  await Promise.all(paths.map((p, i) => writeFile(join(dir, `include-${i}.conf`), includes[p]!)));
  return text.replace(/^include[ \t]+(\S+)[ \t]*$/gm, (line, path: string) =>
    paths.includes(path) ? `include ${join(dir, `include-${paths.indexOf(path)}.conf`)}` : line,
  );
}

/**
 * Loads a copy of the text in a throwaway Sentinel inside `unshare -n` and reads back `SENTINEL masters`.
 * `includes` (path → content) stand in for the files `include` lines name (daemons.md §5.1).
 */
export async function sentinelLoad(text: string, opts: { port?: number; includes?: Record<string, string> } = {}): Promise<SentinelResult> {
  for (const tool of ["unshare", "ip", "redis-sentinel", "redis-cli"]) await assertTool(tool);
  const port = opts.port ?? 26400 + Math.floor(Math.random() * 600);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`sentinelLoad: bad port ${port}`);
  // Sentinel rewrites the file it loads, so it only ever sees this copy.
  return withTempDir(async (dir) => {
    const file = join(dir, "sentinel.conf");
    await writeFile(file, await placeIncludes(text, opts.includes ?? {}, dir));
    const r = await run("unshare", ["-n", "sh", "-c", SENTINEL_SCRIPT, "sh", file, String(port), dir], { timeoutMs: 20_000 });
    const masters = r.code === 0 ? parseSentinelMasters(r.stdout) : [];
    const ok = r.code === 0 && !/^\(error\)/m.test(r.stdout);
    let output = combined(r);
    if (!ok) {
      const log = await readFile(join(dir, "s.log"), "utf8").catch(() => "");
      output = [output, log.trim()].filter(Boolean).join("\n");
    }
    const rewritten = await readFile(file, "utf8");
    return { ok, output, command: r.command, masters, rewritten };
  });
}

// ---------------------------------------------------------------- Redis

// The file's own port is kept (the namespace is empty); the client talks over a unix socket.
const REDIS_SCRIPT = `
conf=$1; dir=$2
ip link set lo up || exit 90
redis-server "$conf" --bind 127.0.0.1 --unixsocket "$dir/r.sock" --dir "$dir" --daemonize no \\
  --logfile "$dir/r.log" --pidfile "$dir/r.pid" &
pid=$!
up=0; i=0
while [ $i -lt 50 ]; do
  a=$(redis-cli -s "$dir/r.sock" PING 2>&1)
  case $a in *PONG*) up=1; break ;; *NOAUTH*|*WRONGPASS*) echo "$a"; break ;; esac
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1; i=$((i + 1))
done
rc=91
if [ $up = 1 ]; then
  redis-cli -s "$dir/r.sock" --no-raw ROLE && echo ---- && redis-cli -s "$dir/r.sock" --no-raw CONFIG GET '*'; rc=$?
fi
kill "$pid" 2>/dev/null
wait "$pid"
exit $rc
`;

/** The quoted strings of a flat `redis-cli --no-raw` array reply, in order. */
function flatStrings(out: string): string[] {
  return [...out.matchAll(/^\s*\d+\) "(.*)"\s*$/gm)].map((x) => unquoteRedis(x[1] ?? ""));
}

/**
 * Loads a copy of a redis.conf (or fragment) in a throwaway redis-server inside `unshare -n`,
 * listening on 127.0.0.1 and a unix socket; ok when it answers PING. Reads back ROLE and
 * `CONFIG GET *`. A `replicaof` master is unreachable there: the role is `slave`, link down.
 * `password` (a dummy) is sent with REDISCLI_AUTH when the file sets requirepass.
 */
export async function redisLoad(text: string, opts: { includes?: Record<string, string>; password?: string } = {}): Promise<RedisResult> {
  for (const tool of ["unshare", "ip", "redis-server", "redis-cli"]) await assertTool(tool);
  return withTempDir(async (dir) => {
    const file = join(dir, "redis.conf");
    await writeFile(file, await placeIncludes(text, opts.includes ?? {}, dir));
    const env = opts.password !== undefined ? { ...process.env, REDISCLI_AUTH: opts.password } : process.env;
    const r = await run("unshare", ["-n", "sh", "-c", REDIS_SCRIPT, "sh", file, dir], { env, timeoutMs: 20_000 });
    const [roleOut = "", configOut = ""] = r.stdout.split(/^----$/m);
    const ok = r.code === 0 && !/^\(error\)/m.test(r.stdout);
    const config: Record<string, string> = {};
    if (ok) {
      const pairs = flatStrings(configOut);
      for (let i = 0; i + 1 < pairs.length; i += 2) config[pairs[i]!] = pairs[i + 1]!;
    }
    let output = combined(r);
    if (!ok) {
      const log = await readFile(join(dir, "r.log"), "utf8").catch(() => "");
      output = [output, log.trim()].filter(Boolean).join("\n");
    }
    return { ok, output, command: r.command, role: ok ? (flatStrings(roleOut)[0] ?? "") : "", config };
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
