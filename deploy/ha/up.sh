#!/usr/bin/env bash
# Fabtrail highly available on one machine, from Debian's packages: one etcd, three PostgreSQL nodes managed by
# Patroni (synchronous_mode, strict: a commit returns once a standby has flushed it), an HAProxy that sends
# database connections to whichever node is primary (asked through Patroni's REST API), three Fabtrail instances
# on that external database, and an HAProxy in front of them. All on 127.0.0.1, all state under $HA_DIR.
#
# Installs nothing. Needs (Debian 12):
#   apt-get install postgresql patroni etcd-server etcd-client haproxy curl openssl
# and the packaged jar (./mvnw -B package -DskipTests). Run as root (PostgreSQL and Patroni run as the
# postgres user through runuser) or as the postgres user itself.
#
#   deploy/ha/up.sh                 # then: curl http://127.0.0.1:25440/q/health/ready
#   deploy/ha/down.sh               # stops everything and removes $HA_DIR (down.sh --keep keeps it)
#
# Settings (environment): HA_DIR (default ./target/ha), HA_PORT_BASE (default 25400: etcd 25400-25401,
# PostgreSQL 25411-25413, Patroni REST 25421-25423, database HAProxy 25430 (stats 25431), Fabtrail front 25440
# (stats 25449), instances 25441-25443; the failover test adds one on 25444), FABTRAIL_JAR, PG_BIN, HA_JAVA_OPTS (the instances' JVM options, default -Xmx256m).
# Secrets (generated): $HA_DIR/secrets; the operator key and master key: $HA_DIR/keys. See docs/operators.md,
# "Patroni on VMs".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

missing=()
for tool in etcd patroni patronictl haproxy curl openssl runuser java; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x "$PG_BIN/postgres" ] || missing+=("postgresql (no $PG_BIN/postgres)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}; install with: apt-get install postgresql patroni etcd-server etcd-client haproxy curl openssl" >&2
  exit 2
fi
[ -f "$FABTRAIL_JAR" ] || { echo "no $FABTRAIL_JAR: build it with ./mvnw -B package -DskipTests" >&2; exit 2; }
id postgres >/dev/null 2>&1 || { echo "no postgres user (Debian's postgresql package creates it)" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ] && [ "$(id -un)" != postgres ]; then
  echo "run as root (PostgreSQL and Patroni then run as the postgres user) or as postgres" >&2
  exit 2
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

for name in etcd haproxy-db haproxy-front pg1 pg2 pg3 app1 app2 app3; do
  if [ -n "$(pid_of "$name")" ]; then
    echo "$name is running already (pid $(pid_of "$name")); run deploy/ha/down.sh first" >&2
    exit 2
  fi
done
for port in $ETCD_PORT $ETCD_PEER_PORT $DB_PORT $HAPROXY_DB_STATS_PORT $FRONT_PORT $HAPROXY_FRONT_STATS_PORT \
  $(for n in $NODES; do pg_port "$n"; rest_port "$n"; app_port "$n"; done); do
  port_free "$port" || { echo "port $port is in use: choose another HA_PORT_BASE" >&2; exit 2; }
done
if [ -e "$HA_DIR/pg1" ]; then
  echo "$HA_DIR holds an earlier stack: run deploy/ha/down.sh (removes it) or choose another HA_DIR" >&2
  exit 2
fi

# The postgres user must reach its directories: every parent of $HA_DIR must be searchable by it.
mkdir -p "$RUN" "$SECRETS" "$HA_DIR/keys" "$HA_DIR/etcd" "$HA_DIR/haproxy"
chmod 700 "$SECRETS" "$HA_DIR/keys"
[ "$(id -u)" -eq 0 ] && chmod 755 "$HA_DIR"
if ! as_postgres test -x "$HA_DIR"; then
  echo "the postgres user cannot reach $HA_DIR (a parent directory is not searchable by it): set HA_DIR, e.g. HA_DIR=/tmp/fabtrail-ha" >&2
  exit 2
fi

secret() { [ -s "$SECRETS/$1" ] || (umask 077 && openssl rand -hex 24 > "$SECRETS/$1"); cat "$SECRETS/$1"; }
SUPERUSER_PW=$(secret postgres)
REPLICATION_PW=$(secret replicator)
OWNER_PW=$(secret fabtrail_owner)
APP_PW=$(secret fabtrail_app)
ADMIN_TOKEN=$(secret admin-token)
[ -s "$HA_DIR/keys/operator.pem" ] || (umask 077 && openssl genpkey -algorithm ed25519 -out "$HA_DIR/keys/operator.pem")
[ -s "$HA_DIR/keys/master.key" ] || (umask 077 && openssl rand -base64 32 > "$HA_DIR/keys/master.key")

# ---------------------------------------------------------------------------------------------------------------
# etcd: Patroni's store (the leader key, the synchronous standby, the cluster's configuration)
# ---------------------------------------------------------------------------------------------------------------
log "etcd on 127.0.0.1:$ETCD_PORT"
setsid etcd --name etcd1 --data-dir "$HA_DIR/etcd/data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "etcd1=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
  --initial-cluster-token "fabtrail-ha-$HA_PORT_BASE" </dev/null >"$HA_DIR/etcd/etcd.log" 2>&1 &
echo $! > "$RUN/etcd.pid"
wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

# ---------------------------------------------------------------------------------------------------------------
# Three PostgreSQL nodes under Patroni
# ---------------------------------------------------------------------------------------------------------------
# Patroni's post_bootstrap: on the first primary only, once: the database and Fabtrail's two roles (the schema
# owner runs the migrations; the runtime role gets its rights from them).
cat > "$HA_DIR/post-bootstrap.sh" <<EOF
#!/bin/sh
# Run by Patroni once, on the node that initialises the cluster, with a superuser connection URL as \$1.
set -e
exec "$PG_BIN/psql" -v ON_ERROR_STOP=1 -q "\$1" <<'SQL'
CREATE ROLE fabtrail_owner LOGIN PASSWORD '$OWNER_PW';
CREATE ROLE fabtrail_app LOGIN PASSWORD '$APP_PW';
CREATE DATABASE fabtrail OWNER fabtrail_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE fabtrail FROM PUBLIC;
GRANT CONNECT ON DATABASE fabtrail TO fabtrail_app;
SQL
EOF
chmod 700 "$HA_DIR/post-bootstrap.sh"

for n in $NODES; do
  dir=$HA_DIR/pg$n
  mkdir -p "$dir/log"
  cat > "$dir/patroni.yml" <<EOF
# Patroni node pg$n of the Fabtrail HA stack (generated by deploy/ha/up.sh)
scope: fabtrail
namespace: /fabtrail-ha-$HA_PORT_BASE/
name: pg$n
log:
  dir: $dir/log
  level: INFO
restapi:
  listen: 127.0.0.1:$(rest_port "$n")
  connect_address: 127.0.0.1:$(rest_port "$n")
etcd3:
  hosts: 127.0.0.1:$ETCD_PORT
bootstrap:
  # Written to etcd by the first node; the cluster's shared configuration from then on (patronictl edit-config).
  dcs:
    # A dead primary's leader key expires after ttl seconds; the synchronous standby is promoted at once then.
    # Patroni needs loop_wait + 2 * retry_timeout <= ttl. Patroni's defaults (30, 10, 10) take 30 s or more to
    # fail over; these take about 10 s, at the price of a failover whenever the primary's Patroni cannot renew
    # its key in etcd for 8 s.
    ttl: 8
    loop_wait: 1
    retry_timeout: 3
    maximum_lag_on_failover: 1048576
    # Every commit waits until the synchronous standby has flushed it; only that standby may be promoted.
    # strict: with no standby left, commits wait rather than being acknowledged by the primary alone.
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 200
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        # a standby that must follow a new primary retries every second, not every 5 s
        wal_retrieve_retry_interval: 1s
        fsync: "on"
        synchronous_commit: "on"
        full_page_writes: "on"
        password_encryption: scram-sha-256
  initdb:
  - encoding: UTF8
  - locale: C.UTF-8
  - data-checksums
  post_bootstrap: $HA_DIR/post-bootstrap.sh
postgresql:
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $dir/data
  bin_dir: $PG_BIN
  pgpass: $dir/pgpass
  # a new replica copies the primary at once instead of waiting for a spread checkpoint (minutes)
  basebackup:
  - checkpoint: fast
  authentication:
    superuser:
      username: postgres
      password: $SUPERUSER_PW
    replication:
      username: replicator
      password: $REPLICATION_PW
    rewind:
      username: postgres
      password: $SUPERUSER_PW
  parameters:
    unix_socket_directories: $dir
  pg_hba:
  - local all postgres peer
  - host replication replicator 127.0.0.1/32 scram-sha-256
  - host all all 127.0.0.1/32 scram-sha-256
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
EOF
  chmod 600 "$dir/patroni.yml"
done
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres:postgres "$HA_DIR"/pg1 "$HA_DIR"/pg2 "$HA_DIR"/pg3 "$HA_DIR/post-bootstrap.sh"
fi


log "PostgreSQL nodes under Patroni: $(for n in $NODES; do printf 'pg%s 127.0.0.1:%s (REST %s) ' "$n" "$(pg_port "$n")" "$(rest_port "$n")"; done)"
start_node 1
wait_for "pg1 to become the primary" 90 curl -fs "http://127.0.0.1:$(rest_port 1)/primary"
start_node 2
start_node 3
for n in 2 3; do
  wait_for "pg$n to stream from the primary" 90 sh -c "curl -fs http://127.0.0.1:$(rest_port "$n")/replica"
done
wait_for "a synchronous standby" 60 sh -c "curl -fsS http://127.0.0.1:$(rest_port 1)/cluster | grep -q sync_standby"

# ---------------------------------------------------------------------------------------------------------------
# HAProxy for the database: the one node whose Patroni answers /primary with 200
# ---------------------------------------------------------------------------------------------------------------
{
  cat <<EOF
# Database connections to the current primary (generated by deploy/ha/up.sh)
global
    maxconn 1000
    pidfile $RUN/haproxy-db.pid
defaults
    mode tcp
    retries 2
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 2s
listen stats
    mode http
    bind 127.0.0.1:$HAPROXY_DB_STATS_PORT
    stats enable
    stats uri /
listen postgres-primary
    bind 127.0.0.1:$DB_PORT
    option httpchk OPTIONS /primary
    http-check expect status 200
    # checked every second; down after 2 failures (connections to it are cut), up after 1 success
    default-server inter 1s fastinter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
EOF
  for n in $NODES; do
    echo "    server pg$n 127.0.0.1:$(pg_port "$n") maxconn 300 check port $(rest_port "$n")"
  done
} > "$HA_DIR/haproxy/db.cfg"
haproxy -c -q -f "$HA_DIR/haproxy/db.cfg"
haproxy -D -f "$HA_DIR/haproxy/db.cfg"
wait_for "the database HAProxy" 20 sh -c "[ -s '$RUN/haproxy-db.pid' ]"
log "database through HAProxy: 127.0.0.1:$DB_PORT (stats http://127.0.0.1:$HAPROXY_DB_STATS_PORT/)"

# ---------------------------------------------------------------------------------------------------------------
# Fabtrail: schema migrated once as the owner, then three instances as the runtime role
# ---------------------------------------------------------------------------------------------------------------
JDBC_URL="jdbc:postgresql://127.0.0.1:$DB_PORT/fabtrail?connectTimeout=5&tcpKeepAlive=true"
cat > "$HA_DIR/fabtrail.env" <<EOF
# Environment of the Fabtrail instances (generated by deploy/ha/up.sh); each adds its port and data directory.
FABTRAIL_DB_URL='$JDBC_URL'
FABTRAIL_DB_USER=fabtrail_app
FABTRAIL_DB_PASSWORD='$APP_PW'
FABTRAIL_OPERATOR_KEY='$HA_DIR/keys/operator.pem'
FABTRAIL_MASTER_KEY='$HA_DIR/keys/master.key'
FABTRAIL_LOG_ORIGIN=ha.fabtrail.local/log
FABTRAIL_BOOTSTRAP_ADMIN_TOKEN='$ADMIN_TOKEN'
QUARKUS_HTTP_HOST=127.0.0.1
QUARKUS_FLYWAY_MIGRATE_AT_START=false
EOF
chmod 600 "$HA_DIR/fabtrail.env"

log "migrating the schema as fabtrail_owner"
# On a loaded machine Patroni's REST API can answer HAProxy's check late, so HAProxy briefly has no primary and a
# connection fails although psql got through a moment before: the migration (idempotent) is tried three times.
for attempt in 1 2 3; do
  wait_for "the database through HAProxy" 30 sh -c "PGPASSWORD='$OWNER_PW' '$PG_BIN/psql' -h 127.0.0.1 -p $DB_PORT -U fabtrail_owner -d fabtrail -tAc 'select 1'"
  if FABTRAIL_DB_URL=$JDBC_URL FABTRAIL_DB_USER=fabtrail_owner FABTRAIL_DB_PASSWORD=$OWNER_PW \
      java -Xmx256m -jar "$FABTRAIL_JAR" migrate > "$HA_DIR/migrate.log" 2>&1; then
    break
  fi
  [ "$attempt" -lt 3 ] || { tail -20 "$HA_DIR/migrate.log" >&2; exit 1; }
  log "the migration could not reach the database (attempt $attempt of 3); trying again"
  sleep 2
done


# The first instance writes the genesis entry on the empty log; the others start once it is there.
log "Fabtrail instances: $(for n in $NODES; do printf 'app%s 127.0.0.1:%s ' "$n" "$(app_port "$n")"; done)"
start_app 1
wait_for "app1 to be ready" 180 app_ready 1 || { tail -30 "$HA_DIR/app1/server.log" >&2; exit 1; }
start_app 2
start_app 3
for n in 2 3; do
  wait_for "app$n to be ready" 180 app_ready "$n" || { tail -30 "$HA_DIR/app$n/server.log" >&2; exit 1; }
done

# ---------------------------------------------------------------------------------------------------------------
# HAProxy in front of the instances: those whose readiness is UP
# ---------------------------------------------------------------------------------------------------------------
{
  cat <<EOF
# HTTP to the ready Fabtrail instances (generated by deploy/ha/up.sh)
global
    maxconn 2000
    pidfile $RUN/haproxy-front.pid
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 2s
listen stats
    bind 127.0.0.1:$HAPROXY_FRONT_STATS_PORT
    stats enable
    stats uri /
frontend fabtrail
    bind 127.0.0.1:$FRONT_PORT
    default_backend fabtrail-instances
backend fabtrail-instances
    balance roundrobin
    option httpchk GET /q/health/ready
    http-check expect status 200
    # A request whose instance refused the connection or died before answering goes to another instance once.
    # Writes are safe to resend: the same payload.id returns the original receipt.
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response
    default-server inter 1s fastinter 500ms fall 2 rise 1
EOF
  for n in $NODES; do
    echo "    server app$n 127.0.0.1:$(app_port "$n") check"
  done
} > "$HA_DIR/haproxy/front.cfg"
haproxy -c -q -f "$HA_DIR/haproxy/front.cfg"
haproxy -D -f "$HA_DIR/haproxy/front.cfg"
wait_for "Fabtrail through the front HAProxy" 30 curl -fs "http://127.0.0.1:$FRONT_PORT/q/health/ready"

log "up: Fabtrail at http://127.0.0.1:$FRONT_PORT (admin token in $SECRETS/admin-token); primary pg$(primary_node)"
patronictl_ha list 2>/dev/null || true
