#!/usr/bin/env bash
# Ships one node's part of hacompile's out/ with rsync and ssh, by the rules of deploy/ansible:
#   deploy/rsync/ship.sh OUT NODE [USER@]HOST
# - the node's files are copied with rsync to a staging directory on HOST, then each file that
#   would change is checked there with the command manifest.json gives for it (after the secrets
#   it includes are written); if one fails,
#   nothing is installed and the script exits 1 naming it;
# - each file then replaces the live one by a rename; sentinel.conf only where there is none
#   (Sentinel rewrites its own file), the redis.conf lines as one marked block added once to the
#   main redis.conf (never again: Redis's CONFIG REWRITE edits it after a failover);
# - secrets the manifest lists come from environment variables of the same names (mode 0600); a
#   missing one stops the script before anything is copied;
# - each daemon whose files changed is reloaded (HACOMPILE_RELOAD_<DAEMON>, systemd by default).
# Environment: HACOMPILE_PREFIX (prepended to every path on HOST), HACOMPILE_PATH_<DAEMON>,
# HACOMPILE_PATH_ZONES, HACOMPILE_DNS_PRIMARY=1 (ship out/dns/*.zone too), HACOMPILE_RELOAD_<DAEMON>,
# HACOMPILE_SSH (the ssh command, e.g. "ssh -i key"). Needs node and rsync here, rsync on HOST.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 OUT NODE [USER@]HOST" >&2
  exit 2
fi
out=$1 node=$2 host=$3
here=$(cd "$(dirname "$0")" && pwd)
ssh_cmd=${HACOMPILE_SSH:-ssh}
stage=${HACOMPILE_PREFIX:-}/var/lib/hacompile/incoming
[ -f "$out/manifest.json" ] || { echo "ship.sh: $out/manifest.json not found" >&2; exit 2; }
[ -d "$out/nodes/$node" ] || { echo "ship.sh: no files for node $node in $out" >&2; exit 2; }

# The script for the node (exits 1 here when a secret is missing: before anything is copied).
script=$(node "$here/plan.mjs" "$out" "$node" "$stage")

# Staging is not live: rsync may write there freely.
$ssh_cmd "$host" mkdir -p "$stage/dns"
rsync -rt --checksum --delete --exclude dns -e "$ssh_cmd" "$out/nodes/$node/" "$host:$stage/"
if [ "${HACOMPILE_DNS_PRIMARY:-0}" = 1 ] && [ -d "$out/dns" ]; then
  rsync -rt --checksum --delete -e "$ssh_cmd" "$out/dns/" "$host:$stage/dns/"
fi
# The script goes on stdin, so that secret values never show in a process list.
printf '%s\n' "$script" | $ssh_cmd "$host" sh -s
