// Shipping out/ to the e2e nodes as to real hosts: each node's network namespace runs an sshd (a
// host key and a client key made by the test), and the tree the real deploy tools write for a node
// is its own directory (the role's hacompile_prefix). The generated files include their secrets
// from /etc/hacompile/secrets, an absolute path: each node's sshd runs in a mount namespace of its
// own where /etc is an overlay (the host's /etc stays untouched) with the node's
// <tree>/etc/hacompile bound on /etc/hacompile, so the node's daemons, started over SSH, read their
// own secrets. Daemons are started and reloaded by support/svc.sh (the nodes have no systemd), each
// writing its PID under <tree>/run/, where stopDaemons() finds it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_DIR, SUPPORT_DIR } from './compile.js';
import type { Harness } from './harness.js';
import { CLIENT } from './netns.js';
import { sleep, type Proc } from './procs.js';

export const REPO = path.resolve(E2E_DIR, '../..');
export const SHIP_INVENTORY_DIR = path.join(E2E_DIR, 'ship-inventory');
export const PLAYBOOK = path.join(REPO, 'deploy/ansible/playbook.yml');
export const RSYNC_SCRIPT = path.join(REPO, 'deploy/rsync/ship.sh');
export const SVC = path.join(SUPPORT_DIR, 'svc.sh');
const DAEMONS = ['caddy', 'haproxy', 'keepalived', 'traefik', 'redis', 'sentinel', 'dns'] as const;

/** Runs the real CLI: `hacompile build` of an inventory directory into outDir (manifest.json included). */
export function buildOut(inventoryDir: string, outDir: string, serial: number): void {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/hacompile.js'), 'build', '--inventory', inventoryDir, '--out', outDir, '--serial', String(serial)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hacompile build ${inventoryDir} failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

export interface Target {
  node: string;
  address: string;
  /** The node's tree: every file the deploy tools install for it is under here. */
  tree: string;
  sshd: Proc;
}

export interface Ship {
  key: string;
  targets: Target[];
  target(node: string): Target;
  /** ssh options for a client in the client namespace. */
  sshArgs: string[];
}

/** Makes the keys, starts an sshd in each node's namespace and waits until every one accepts a command. */
export async function startTargets(h: Harness, nodes: readonly string[]): Promise<Ship> {
  if (!existsSync('/usr/sbin/sshd')) throw new Error('sshd is missing: install openssh-server');
  const ssh = h.dir('ssh');
  const key = path.join(ssh, 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hac-e2e', '-f', key]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hac-e2e-host', '-f', path.join(ssh, 'host')]);
  writeFileSync(path.join(ssh, 'authorized_keys'), readFileSync(`${key}.pub`));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  const sshArgs = ['-i', key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5'];
  const targets = nodes.map((node): Target => {
    const address = h.compiled.model.node(node).address!;
    const tree = h.dir(`nodes/${node}`);
    for (const d of ['etc/hacompile', 'run', 'log', '.etc-upper', '.etc-work']) mkdirSync(path.join(tree, d), { recursive: true });
    const conf = path.join(ssh, `sshd-${node}.conf`);
    writeFileSync(
      conf,
      [
        `ListenAddress ${address}:22`,
        `HostKey ${path.join(ssh, 'host')}`,
        `PidFile ${path.join(tree, 'run/sshd.pid')}`,
        `AuthorizedKeysFile ${path.join(ssh, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'MaxStartups 100:30:200',
        'MaxSessions 50',
        '',
      ].join('\n'),
    );
    const script = [
      'set -e',
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${tree}/.etc-upper,workdir=${tree}/.etc-work /etc`,
      'mkdir -p /etc/hacompile',
      `mount --bind ${tree}/etc/hacompile /etc/hacompile`,
      `exec /usr/sbin/sshd -D -e -f ${conf}`,
    ].join('\n');
    const sshd = h.procs.start(`sshd-${node}`, 'unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { ns: h.net.ns(node) });
    return { node, address, tree, sshd };
  });
  const ship: Ship = {
    key,
    targets,
    sshArgs,
    target(node) {
      const t = targets.find((x) => x.node === node);
      if (!t) throw new Error(`no target ${node}`);
      return t;
    },
  };
  for (const t of targets) {
    for (let i = 0; ; i++) {
      const r = await h.procs.run(`ssh-probe-${t.node}`, 'ssh', [...sshArgs, `root@${t.address}`, 'test -d /etc/hacompile && echo ready'], { ns: CLIENT, timeoutMs: 10_000 });
      if (r.stdout.includes('ready')) break;
      if (i >= 50 || !t.sshd.running) throw new Error(`sshd on ${t.node} does not answer:\n${h.procs.tail(t.sshd)}`);
      await sleep(100);
    }
  }
  return ship;
}

/** The reload/start commands of support/svc.sh, as the role's variables for one node. */
export function reloadVars(tree: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const d of DAEMONS) vars[`hacompile_reload_${d}`] = d === 'traefik' ? '' : `sh ${SVC} ${d} ${tree}`;
  return vars;
}

const controlPath = (h: Harness): string => `${h.dir('cp')}/%C`;

/** Ends the SSH master connections Ansible left (ControlPersist), through their control sockets. */
export async function closeMasters(h: Harness, ship: Ship | undefined): Promise<void> {
  for (const t of ship?.targets ?? []) {
    await h.procs.run(`ssh-exit-${t.node}`, 'ssh', ['-o', `ControlPath=${controlPath(h)}`, '-O', 'exit', `root@${t.address}`], { ns: CLIENT, timeoutMs: 5000 });
  }
}

/** Writes the Ansible inventory (YAML) of the targets; dnsPrimary gets the zone files. */
export function writeAnsibleInventory(h: Harness, ship: Ship, dnsPrimary: string): string {
  const hosts: Record<string, Record<string, unknown>> = {};
  for (const t of ship.targets) {
    hosts[t.node] = { ansible_host: t.address, hacompile_prefix: t.tree, hacompile_dns_primary: t.node === dnsPrimary, ...reloadVars(t.tree) };
  }
  const file = path.join(h.root, 'hosts.yml');
  // JSON is YAML: Ansible's yaml inventory plugin reads it.
  writeFileSync(
    file,
    JSON.stringify({
      all: {
        hosts,
        vars: {
          ansible_user: 'root',
          ansible_ssh_private_key_file: ship.key,
          // One SSH connection per node, reused by every task; closeMasters() ends them.
          ansible_ssh_common_args: `-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ControlMaster=auto -o ControlPersist=300s -o ControlPath=${controlPath(h)}`,
          ansible_python_interpreter: '/usr/bin/python3',
          hacompile_cli: `${process.execPath} ${path.join(REPO, 'bin/hacompile.js')}`,
        },
      },
    }),
  );
  return file;
}

/** Encrypts a secrets file with ansible-vault (the way users keep hacompile_secrets); returns [file, password file]. */
export function vaultSecrets(h: Harness, name: string, secrets: Record<string, string>): [string, string] {
  const dir = h.dir('vault');
  const pass = path.join(dir, 'pass');
  if (!existsSync(pass)) writeFileSync(pass, 'e2e-vault-password\n', { mode: 0o600 });
  const file = path.join(dir, `${name}.yml`);
  writeFileSync(file, JSON.stringify({ hacompile_secrets: secrets }), { mode: 0o600 });
  execFileSync('ansible-vault', ['encrypt', '--vault-password-file', pass, file], { stdio: 'pipe' });
  return [file, pass];
}

export interface PlayResult {
  code: number | string;
  /** stdout and stderr of ansible-playbook. */
  output: string;
  ms: number;
  /** changed= of every host in the PLAY RECAP. */
  changed: Record<string, number>;
  failed: Record<string, number>;
}

let runs = 0;

/** Runs the real ansible-playbook from the client namespace (the controller). */
export async function runPlaybook(h: Harness, inventory: string, out: string, vault: [string, string], extra: string[] = [], timeoutMs = 120_000): Promise<PlayResult> {
  const name = `ansible-${++runs}`;
  const t0 = Date.now();
  const env = {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_FORKS: '10',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_LOCAL_TEMP: h.dir('ansible-tmp'),
    // No ansible.cfg of the machine's or the user's: only the settings above.
    ANSIBLE_CONFIG: path.join(h.root, 'ansible.cfg'),
  };
  if (!existsSync(env.ANSIBLE_CONFIG)) writeFileSync(env.ANSIBLE_CONFIG, '[defaults]\n');
  const r = await h.procs.run(name, 'ansible-playbook', ['-i', inventory, PLAYBOOK, '-e', `hacompile_out=${out}`, '-e', `@${vault[0]}`, '--vault-password-file', vault[1], ...extra], {
    ns: CLIENT,
    env,
    timeoutMs,
  });
  const output = `${r.stdout}\n${readFileSync(path.join(h.root, 'logs', `${name}.log`), 'utf8')}`;
  const changed: Record<string, number> = {};
  const failed: Record<string, number> = {};
  for (const m of output.matchAll(/^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    changed[m[1]!] = Number(m[2]);
    failed[m[1]!] = Number(m[4]) + Number(m[3]);
  }
  return { code: r.code, output, ms: Date.now() - t0, changed, failed };
}

/** Stops, by the PIDs in their pidfiles, the daemons svc.sh started on the targets. */
export async function stopDaemons(ship: Ship | undefined): Promise<void> {
  if (!ship) return;
  const pids: number[] = [];
  for (const t of ship.targets) {
    const run = path.join(t.tree, 'run');
    for (const f of existsSync(run) ? readdirSync(run) : []) {
      if (!f.endsWith('.pid') || f === 'sshd.pid') continue;
      const pid = Number(readFileSync(path.join(run, f), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 1) pids.push(pid);
    }
  }
  const signal = (sig: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // gone
      }
    }
  };
  const alive = (): number[] =>
    pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
  signal('SIGTERM');
  for (let i = 0; i < 30 && alive().length > 0; i++) await sleep(100);
  signal('SIGKILL');
}
