// Writes the shell script ship.sh runs on a node: what deploy/ansible does, for rsync users.
//   node plan.mjs OUT NODE STAGE   (settings from the environment, see ship.sh)
// Secrets first (values from the environment variables of the same names, mode 0600: the files
// include them). Every file that would change is then checked (the manifest's check, on the staged
// copy); if one fails, no file is installed. Then each is installed by a rename, sentinel.conf only
// where none exists, the redis.conf block only where the group's block is not there yet, and each
// daemon whose files changed is reloaded.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [out, node, stage] = process.argv.slice(2);
const env = process.env;
const prefix = env.HACOMPILE_PREFIX ?? '';
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const paths = {
  caddy: env.HACOMPILE_PATH_CADDY ?? '/etc/caddy/Caddyfile',
  haproxy: env.HACOMPILE_PATH_HAPROXY ?? '/etc/haproxy/haproxy.cfg',
  keepalived: env.HACOMPILE_PATH_KEEPALIVED ?? '/etc/keepalived/keepalived.conf',
  traefik: env.HACOMPILE_PATH_TRAEFIK ?? '/etc/traefik/dynamic/hacompile.yaml',
  sentinel: env.HACOMPILE_PATH_SENTINEL ?? '/var/lib/redis/sentinel-{group}.conf',
  redis: env.HACOMPILE_PATH_REDIS ?? '/etc/redis/redis.conf',
  dns: env.HACOMPILE_PATH_ZONES ?? '/var/lib/bind',
};
const secretDir = prefix + (env.HACOMPILE_SECRET_DIR ?? '/etc/hacompile/secrets');
const reloads = {
  caddy: 'systemctl reload-or-restart caddy',
  haproxy: 'systemctl reload-or-restart haproxy',
  keepalived: 'systemctl reload-or-restart keepalived',
  dns: 'systemctl reload-or-restart named',
  traefik: '',
  redis: 'systemctl restart redis-server',
  sentinel: 'systemctl restart redis-sentinel',
};
for (const d of Object.keys(reloads)) reloads[d] = env[`HACOMPILE_RELOAD_${d.toUpperCase()}`] ?? reloads[d];

const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
const files = manifest.files.filter((f) => f.node === node || (f.node === null && env.HACOMPILE_DNS_PRIMARY === '1'));
const missing = [...new Set(files.flatMap((f) => f.secrets))].filter((s) => !env[s]).sort();
if (missing.length > 0) {
  console.error(`ship.sh: ${node}: no value for secret(s) ${missing.join(', ')} (set them in the environment); nothing was changed`);
  process.exit(1);
}

const lines = ['set -eu', 'umask 022', 'changed=" "', 'refused=""'];
const entries = files.map((f) => {
  const parts = f.path.split('/');
  const group = ['redis', 'sentinel'].includes(f.daemon) ? parts[3] : '';
  const staged = `${stage}/${f.node === null ? f.path : parts.slice(2).join('/')}`;
  const dest = prefix + (f.daemon === 'dns' ? `${paths.dns}/${parts.at(-1)}` : paths[f.daemon].replace('{group}', group));
  if (!f.check.includes(f.path) && f.daemon !== 'traefik') throw new Error(`no target-side check for ${f.path}`);
  return { ...f, group, staged, dest, checkOn: (file) => (f.daemon === 'traefik' ? 'true' : f.check.split(f.path).join(file)) };
});
// 1. Secrets first: the files include them, and their checks load them.
const secretFiles = new Map();
for (const f of entries) {
  for (const s of f.secrets) {
    if (f.daemon === 'keepalived') secretFiles.set(`${s}.keepalived`, { daemon: f.daemon, text: `auth_pass ${env[s]}\n` });
    else if (f.daemon === 'redis') secretFiles.set(`${s}.redis.conf`, { daemon: f.daemon, text: `masterauth ${env[s]}\nrequirepass ${env[s]}\n` });
    else if (f.daemon === 'sentinel') secretFiles.set(`${s}.sentinel-${f.group}.conf`, { daemon: f.daemon, text: `sentinel auth-pass ${f.group} ${env[s]}\n` });
    else if (f.daemon === 'haproxy') {
      const prev = secretFiles.get('haproxy.env')?.text ?? '';
      if (!prev.includes(`${s}=`)) secretFiles.set('haproxy.env', { daemon: 'haproxy', text: `${prev}${s}=${env[s]}\n` });
    } else throw new Error(`no place for the secrets of ${f.path}`);
  }
}
if (secretFiles.size > 0) lines.push(`mkdir -p ${q(secretDir)}`);
for (const [name, s] of secretFiles) {
  const dest = `${secretDir}/${name}`;
  lines.push(`(umask 077; printf '%s' ${q(s.text)} > ${q(`${dest}.hacompile-tmp`)})`, `if cmp -s ${q(`${dest}.hacompile-tmp`)} ${q(dest)}; then rm -f ${q(`${dest}.hacompile-tmp`)}; else mv -f ${q(`${dest}.hacompile-tmp`)} ${q(dest)}; changed="\${changed}${s.daemon} "; fi`);
}
// 2. Check what would change; install nothing when one check fails.
lines.push('check() { if ! o=$(sh -c "$2" 2>&1); then refused="$refused $1"; printf "ship.sh: %s:\\n%s\\n" "$1" "$o" >&2; fi; }');
for (const e of entries) {
  if (e.daemon === 'sentinel') lines.push(`[ -e ${q(e.dest)} ] || check ${q(e.path)} ${q(e.checkOn(e.staged))}`);
  else if (e.daemon === 'redis') {
    const marker = `# BEGIN hacompile redis ${e.group}`;
    lines.push(
      `if ! grep -qxF ${q(marker)} ${q(e.dest)}; then`,
      `  { cat ${q(e.dest)}; echo ${q(marker)}; cat ${q(e.staged)}; echo ${q(`# END hacompile redis ${e.group}`)}; } > ${q(`${e.dest}.hacompile-new`)}`,
      `  check ${q(e.path)} ${q(e.checkOn(`${e.dest}.hacompile-new`))}`,
      'fi',
    );
  } else lines.push(`cmp -s ${q(e.staged)} ${q(e.dest)} || check ${q(e.path)} ${q(e.checkOn(e.staged))}`);
}
lines.push('if [ -n "$refused" ]; then echo "ship.sh: refused by its check:$refused; no file was installed" >&2; rm -f ' + entries.filter((e) => e.daemon === 'redis').map((e) => q(`${e.dest}.hacompile-new`)).join(' ') + '; exit 1; fi');
// 3. Files, each by a rename in its own directory.
lines.push('install_file() { mkdir -p "$(dirname "$3")"; cp "$2" "$3.hacompile-tmp"; chmod "$4" "$3.hacompile-tmp"; mv -f "$3.hacompile-tmp" "$3"; changed="$changed$1 "; }');
for (const e of entries) {
  if (e.daemon === 'sentinel') lines.push(`[ -e ${q(e.dest)} ] || install_file sentinel ${q(e.staged)} ${q(e.dest)} 640`);
  else if (e.daemon === 'redis') lines.push(`if [ -e ${q(`${e.dest}.hacompile-new`)} ]; then mv -f ${q(`${e.dest}.hacompile-new`)} ${q(e.dest)}; changed="$changed""redis "; fi`);
  else lines.push(`cmp -s ${q(e.staged)} ${q(e.dest)} || install_file ${e.daemon} ${q(e.staged)} ${q(e.dest)} 644`);
}
// 4. Reload each daemon whose files changed.
for (const [d, cmd] of Object.entries(reloads)) {
  if (cmd) lines.push(`case "$changed" in *" ${d} "*) echo "ship.sh: reload ${d}"; sh -c ${q(cmd)} ;; esac`);
}
lines.push('echo "ship.sh: changed:${changed% }"');
process.stdout.write(`${lines.join('\n')}\n`);
