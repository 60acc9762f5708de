# Shared by up.sh, down.sh and failover-test.sh: where the stack lives and on which loopback ports.
# Sourced, not run. Everything is under $HA_DIR; every port is on 127.0.0.1, from $HA_PORT_BASE up.

HA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HA_DIR=${HA_DIR:-$HA_ROOT/target/ha}
HA_DIR=$(mkdir -p "$HA_DIR" && cd "$HA_DIR" && pwd)
HA_PORT_BASE=${HA_PORT_BASE:-25400}
FABTRAIL_JAR=${FABTRAIL_JAR:-$HA_ROOT/target/quarkus-app/quarkus-run.jar}
# The newest PostgreSQL that Debian's postgresql package installed (PostgreSQL 15 on Debian 12).
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

ETCD_PORT=$HA_PORT_BASE
ETCD_PEER_PORT=$((HA_PORT_BASE + 1))
DB_PORT=$((HA_PORT_BASE + 30))          # HAProxy: always the current primary
HAPROXY_DB_STATS_PORT=$((HA_PORT_BASE + 31))
FRONT_PORT=$((HA_PORT_BASE + 40))       # HAProxy: the Fabtrail instances
HAPROXY_FRONT_STATS_PORT=$((HA_PORT_BASE + 49))
NODES="1 2 3"
pg_port() { echo $((HA_PORT_BASE + 10 + $1)); }
rest_port() { echo $((HA_PORT_BASE + 20 + $1)); }
app_port() { echo $((HA_PORT_BASE + 40 + $1)); }

RUN=$HA_DIR/run
SECRETS=$HA_DIR/secrets

log() { printf '%s [ha] %s\n' "$(date -u +%H:%M:%S.%3N)" "$*" >&2; }
now_ms() { date +%s%3N; }

# pid of a process this stack started (from its pid file), empty when not running
pid_of() {
  local f=$RUN/$1.pid p
  [ -s "$f" ] || return 0
  p=$(cat "$f")
  if kill -0 "$p" 2>/dev/null; then echo "$p"; fi
}

# the postmaster of PostgreSQL node $1, from its data directory, empty when not running
postmaster_of() {
  local f=$HA_DIR/pg$1/data/postmaster.pid p
  [ -s "$f" ] || return 0
  p=$(head -1 "$f")
  if kill -0 "$p" 2>/dev/null; then echo "$p"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# waits up to $2 seconds for the command "$3..." to succeed; $1 names what is awaited
wait_for() {
  local what=$1 secs=$2 i
  shift 2
  for ((i = 0; i < secs * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "timed out after ${secs}s waiting for $what"
  return 1
}

# Patroni's view of a node: the role its REST API reports (primary, replica, ...), empty when it does not answer
node_role() {
  curl -fsS --max-time 2 "http://127.0.0.1:$(rest_port "$1")/patroni" 2>/dev/null |
    sed -n 's/.*"role": *"\([a-z_]*\)".*/\1/p'
}

# the node that is primary now (1, 2 or 3), asked through Patroni's REST API; empty while there is none
primary_node() {
  local n
  for n in $NODES; do
    if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(rest_port "$n")/primary"; then echo "$n"; return 0; fi
  done
}

# as the postgres user itself, runuser -u postgres is not needed (nor allowed)
if [ "$(id -u)" -ne 0 ]; then runuser() { shift 2; [ "$1" = -- ] && shift; "$@"; }; fi
# Everything the postgres user runs starts in a directory of $HA_DIR: the caller's working directory (a checkout
# in a private temporary directory, say) may be closed to postgres, and initdb, PostgreSQL and Patroni's worker
# processes change back into it and fail.
patronictl_ha() { (cd "$HA_DIR" && runuser -u postgres -- patronictl -c "$HA_DIR/pg1/patroni.yml" "$@"); }

# Starts Patroni for node $1 as the postgres user. Its pid file holds Patroni's own pid (the shell execs it);
# Patroni starts PostgreSQL detached from itself (the postmaster's pid is in the data directory).
start_node() {
  local n=$1
  rm -f "$HA_DIR/pg$n/patroni.pid"
  (cd "$HA_DIR/pg$n" && setsid runuser -u postgres -- sh -c "echo \$\$ > '$HA_DIR/pg$n/patroni.pid'; exec patroni '$HA_DIR/pg$n/patroni.yml'" \
    </dev/null >>"$HA_DIR/pg$n/log/patroni.out" 2>&1 &)
  for _ in $(seq 1 50); do [ -s "$HA_DIR/pg$n/patroni.pid" ] && break; sleep 0.1; done
  cp "$HA_DIR/pg$n/patroni.pid" "$RUN/pg$n.pid"
}

# Starts Fabtrail instance $1 with $HA_DIR/fabtrail.env, its own data directory and port.
start_app() {
  local n=$1
  mkdir -p "$HA_DIR/app$n"
  (
    set -a
    source "$HA_DIR/fabtrail.env"
    set +a
    export FABTRAIL_DATA_DIR=$HA_DIR/app$n QUARKUS_HTTP_PORT=$(app_port "$n")
    exec setsid java ${HA_JAVA_OPTS:--Xmx256m} -jar "$FABTRAIL_JAR" \
      </dev/null >>"$HA_DIR/app$n/server.log" 2>&1
  ) &
  echo $! > "$RUN/app$n.pid"
}
app_ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(app_port "$1")/q/health/ready"; }
