#!/usr/bin/env bash
# Stops the stack deploy/ha/up.sh started (by the pids it recorded under $HA_DIR/run and the PostgreSQL
# postmasters' own pid files) and removes $HA_DIR. With --keep, keeps $HA_DIR (logs, data, secrets).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
keep=false
[ "${1:-}" = --keep ] && keep=true

# stops pid $2 (named $1): SIGTERM, then SIGKILL after $3 seconds
stop() {
  local name=$1 pid=$2 secs=$3 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name (pid $pid) did not stop in ${secs}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# In parallel where nothing depends on the order: first what serves, then the databases, then their store.
stop haproxy-front "$(pid_of haproxy-front)" 5
for name in app1 app2 app3 app4; do
  stop "$name" "$(pid_of "$name")" 20 &
done
wait
stop haproxy-db "$(pid_of haproxy-db)" 5
# Patroni stops its PostgreSQL when it stops; a postmaster left without its Patroni is stopped here.
for n in $NODES; do
  stop "pg$n (Patroni)" "$(pid_of "pg$n")" 30 &
done
wait
for n in $NODES; do
  pm=$(postmaster_of "$n")
  if [ -n "$pm" ]; then
    # Our own postmaster (its data directory is under $HA_DIR): a fast shutdown, then SIGKILL
    stop "pg$n (PostgreSQL)" "$pm" 20 &
  fi
done
wait
stop etcd "$(pid_of etcd)" 10
rm -f "$RUN"/*.pid 2>/dev/null || true

if $keep; then
  log "stopped; state kept in $HA_DIR"
else
  rm -rf "$HA_DIR"
  log "stopped; $HA_DIR removed"
fi
