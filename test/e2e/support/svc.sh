#!/bin/sh
# What systemd's units do on a real host, for the e2e nodes (network namespaces, no systemd): the
# shipping tests give these as the reload commands of deploy/ansible and deploy/rsync.
#   svc.sh DAEMON ROOT    ROOT is the node's tree (the role's hacompile_prefix)
# Starts DAEMON from its installed files when ROOT/run/DAEMON.pid names no live process, else
# reloads it the way the unit's ExecReload does (caddy reload; USR2 to HAProxy's master-worker
# master; SIGHUP to keepalived and named), or restarts it (Redis and Sentinel, which have no reload).
# Every daemon it starts writes its PID to ROOT/run/DAEMON.pid: the test stops it by that PID.
set -eu
daemon=$1
root=$2
run=$root/run
pidfile=$run/$daemon.pid
mkdir -p "$run" "$root/log"
alive() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
# In the background, in a session of its own, its PID in the pidfile (exec keeps it).
start() { setsid -f sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" >>"$root/log/$daemon.log" 2>&1 </dev/null; }
stop() {
  pid=$(cat "$pidfile")
  kill "$pid"
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

case $daemon in
caddy)
  export HOME=$root/home XDG_DATA_HOME=$root/home/data XDG_CONFIG_HOME=$root/home/config
  if alive; then exec caddy reload --adapter caddyfile --config "$root/etc/caddy/Caddyfile"; fi
  start caddy run --adapter caddyfile --config "$root/etc/caddy/Caddyfile"
  ;;
haproxy)
  if alive; then exec kill -USR2 "$(cat "$pidfile")"; fi
  # The unit's EnvironmentFile= (secrets for %[env(NAME)]).
  set -a
  # shellcheck disable=SC1090
  [ -f "$root/etc/hacompile/secrets/haproxy.env" ] && . "$root/etc/hacompile/secrets/haproxy.env"
  set +a
  # -W master-worker, -db in the foreground (the master's PID is the pidfile's)
  start haproxy -W -db -f "$root/etc/haproxy/haproxy.cfg"
  ;;
keepalived)
  if alive; then exec kill -HUP "$(cat "$pidfile")"; fi
  start keepalived -n -l -D -G --vrrp -f "$root/etc/keepalived/keepalived.conf" -p "$run/keepalived-main.pid" -r "$run/keepalived-vrrp.pid"
  ;;
dns)
  if alive; then exec kill -HUP "$(cat "$pidfile")"; fi
  start named -f -c "$root/etc/bind/named.conf"
  ;;
redis)
  if alive; then stop; fi
  start redis-server "$root/etc/redis/redis.conf"
  ;;
sentinel)
  if alive; then stop; fi
  start redis-sentinel "$root/var/lib/redis/sentinel-cache.conf" --dir "$root/var/lib/redis"
  ;;
*)
  echo "svc.sh: unknown daemon $daemon" >&2
  exit 2
  ;;
esac
