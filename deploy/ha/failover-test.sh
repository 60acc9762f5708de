#!/usr/bin/env bash
# Failover proven: brings up the HA stack (deploy/ha/up.sh), drives signed writes from several clients through the
# front HAProxy, and meanwhile
#   1. kills the PostgreSQL primary's node with SIGKILL (its Patroni and its PostgreSQL: the machine is gone);
#      Patroni promotes the synchronous standby,
#   2. kills one Fabtrail instance with SIGKILL,
#   3. starts the old primary again (it rejoins as a replica, rewound if it must) and the killed instance,
#   4. switches the primary over to the synchronous standby (patronictl switchover), as for maintenance.
# Then checks, with the project's verifier and against the receipts the clients kept: every acknowledged entry is
# in the log at its index with its leaf hash, all checkpoints seen are the log's own (so consistent), no index was
# handed out twice, writes resumed after each fault (measured), no instance saw the log go backwards,
# `verify --checkpoint` (newest receipt, each instance's latest-checkpoint) and `rebuild --check` pass.
#
#   deploy/ha/failover-test.sh            # exit 0 when everything held; figures in $FAILOVER_OUT/report.md
#
# Bounded in time: every wait has a limit, the clients stop by themselves, the whole run is killed after
# FAILOVER_TIMEOUT seconds (default 480). Settings: the stack's (deploy/ha/up.sh: HA_DIR, HA_PORT_BASE, ...),
# FAILOVER_OUT (default ./target/failover), FAILOVER_CLIENTS (default 6), FAILOVER_MAX_RESUME_MS (a fault after
# which writes take longer to resume fails the run; default 60000), FAILOVER_KEEP=1 keeps the stack running
# afterwards; FAILOVER_CLASSPATH (the test classes with their dependencies; default: target/test-classes,
# target/classes and the packaged jar's libraries).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${FAILOVER_OUT:-$HA_ROOT/target/failover}
CLIENTS=${FAILOVER_CLIENTS:-6}
SETTLE=${FAILOVER_SETTLE_SECONDS:-4}
TIMEOUT=${FAILOVER_TIMEOUT:-480}
CP=${FAILOVER_CLASSPATH:-$HA_ROOT/target/test-classes:$HA_ROOT/target/classes:$HA_ROOT/target/quarkus-app/lib/main/*}

rm -rf "$OUT"
mkdir -p "$OUT"
exec > >(tee "$OUT/failover-test.log") 2>&1

if [ ! -f "$HA_ROOT/target/test-classes/org/fabtrail/deploy/FailoverLoad.class" ] && [ -z "${FAILOVER_CLASSPATH:-}" ]; then
  (cd "$HA_ROOT" && ./mvnw -q -B test-compile)
fi

LOAD=""
finish() {
  local rc=$?
  trap - EXIT
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null || true
  if [ -n "$LOAD" ] && kill -0 "$LOAD" 2>/dev/null; then kill "$LOAD" 2>/dev/null || true; fi
  if [ "${FAILOVER_KEEP:-0}" = 1 ]; then
    log "stack kept running (deploy/ha/down.sh stops it)"
  elif [ "$rc" -ne 0 ]; then
    "$HA_ROOT/deploy/ha/down.sh" --keep || true
    log "FAILED (exit $rc); logs kept in $HA_DIR and $OUT"
  else
    "$HA_ROOT/deploy/ha/down.sh" || true
  fi
  exit "$rc"
}
WATCHDOG=""
trap finish EXIT
# The whole run is bounded: past the limit the script is told to stop, and cleans up on its way out.
( sleep "$TIMEOUT"; log "FAILOVER_TIMEOUT of ${TIMEOUT}s reached"; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
trap 'exit 124' TERM

start_s=$(date +%s)
"$HA_ROOT/deploy/ha/up.sh"
up_s=$(( $(date +%s) - start_s ))
curl -fsS "http://127.0.0.1:$FRONT_PORT/api/v1/log/key" > "$OUT/vkey"
cp "$SECRETS/fabtrail_owner" "$OUT/.owner-password"
chmod 600 "$OUT/.owner-password"

# ---------------------------------------------------------------------------------------------------------------
log "load: $CLIENTS clients writing signed unit.register entries through http://127.0.0.1:$FRONT_PORT"
java -Xmx256m -cp "$CP" org.fabtrail.deploy.FailoverLoad run --url "http://127.0.0.1:$FRONT_PORT" \
  --admin-token-file "$SECRETS/admin-token" --clients "$CLIENTS" --out "$OUT" --max-seconds $((TIMEOUT - 60)) \
  > "$OUT/load.log" 2>&1 &
LOAD=$!

progress() { cat "$OUT/progress" 2>/dev/null || echo "0 0 0"; }
receipts() { progress | cut -d' ' -f1; }
# waits until an attempt sent after $1 (ms) got its receipt: writes resumed; prints how long that took
wait_resumed() {
  local since=$1 what=$2 limit=$((${FAILOVER_MAX_RESUME_MS:-60000} / 1000 + 30)) i
  for ((i = 0; i < limit * 10; i++)); do
    local sent
    sent=$(progress | cut -d' ' -f2)
    if [ "$sent" -ge "$since" ]; then
      log "writes resumed after $what ($(receipts) receipts so far)"
      return 0
    fi
    kill -0 "$LOAD" 2>/dev/null || { log "the load clients stopped:"; tail -20 "$OUT/load.log"; return 1; }
    sleep 0.1
  done
  log "writes did not resume within ${limit}s after $what"
  return 1
}
fault() { echo "$(now_ms) $*" >> "$OUT/faults.txt"; log "FAULT: $*"; }

wait_for "the first receipts" 120 sh -c "[ \$(cut -d' ' -f1 '$OUT/progress' 2>/dev/null || echo 0) -ge 20 ]" ||
  { tail -20 "$OUT/load.log"; exit 1; }
sleep "$SETTLE"

# 1. The primary's machine dies: its Patroni and its PostgreSQL (postmaster and every backend) with SIGKILL.
old=$(primary_node)
[ -n "$old" ] || { log "no primary"; exit 1; }
pm=$(postmaster_of "$old")
fault "primary pg$old killed (SIGKILL of its Patroni and PostgreSQL)"
t=$(tail -1 "$OUT/faults.txt" | cut -d' ' -f1)
kill -KILL "$(pid_of "pg$old")" "$pm" $(pgrep -P "$pm") 2>/dev/null || true
wait_resumed "$t" "the primary's death"
has_primary() { [ -n "$(primary_node)" ]; }
wait_for "a new primary" 60 has_primary
new=$(primary_node)
log "pg$new is primary now"
sleep "$SETTLE"

# 2. A Fabtrail instance dies mid-request: the one running the background jobs, so another must take them over.
jobs_leaders() {
  local n
  for n in $NODES; do
    if curl -fsS --max-time 2 "http://127.0.0.1:$(app_port "$n")/q/health/ready" 2>/dev/null | grep -q '"backgroundJobs": *true'; then
      printf '%s ' "$n"
    fi
  done
}
one_jobs_leader() { [ "$(jobs_leaders | wc -w)" -eq 1 ]; }
wait_for "exactly one instance running the background jobs" 30 one_jobs_leader ||
  { log "instances running the background jobs: $(jobs_leaders)"; exit 1; }
victim=$(jobs_leaders | tr -d ' ')
fault "Fabtrail instance app$victim killed (SIGKILL; it ran the background jobs)"
t=$(tail -1 "$OUT/faults.txt" | cut -d' ' -f1)
kill -KILL "$(pid_of "app$victim")"
wait_resumed "$t" "the instance's death"
wait_for "another instance to take the background jobs over" 30 one_jobs_leader ||
  { log "instances running the background jobs: $(jobs_leaders)"; exit 1; }
echo "$(( $(now_ms) - t )) app$victim app$(jobs_leaders | tr -d ' ')" > "$OUT/jobs-takeover"
log "app$(jobs_leaders | tr -d ' ') runs the background jobs now ($(cut -d' ' -f1 "$OUT/jobs-takeover") ms after the kill)"
sleep "$SETTLE"

# 3. The old primary's machine comes back: Patroni rewinds it if it must and it follows the new primary.
fault "old primary pg$old started again"
t=$(tail -1 "$OUT/faults.txt" | cut -d' ' -f1)
start_node "$old"
start_app "$victim"
wait_for "pg$old to rejoin as a streaming replica" 120 curl -fs "http://127.0.0.1:$(rest_port "$old")/replica"
wait_for "app$victim to be ready again" 120 app_ready "$victim"
wait_resumed "$t" "the old primary's return"
sleep "$SETTLE"

# 4. Planned switchover to the synchronous standby.
leader=$(primary_node)
candidate=""
for n in $NODES; do
  if curl -fs -o /dev/null "http://127.0.0.1:$(rest_port "$n")/sync"; then candidate=$n; fi
done
[ -n "$candidate" ] || { log "no synchronous standby to switch over to"; patronictl_ha list; exit 1; }
fault "switchover pg$leader -> pg$candidate (patronictl)"
t=$(tail -1 "$OUT/faults.txt" | cut -d' ' -f1)
patronictl_ha switchover --leader "pg$leader" --candidate "pg$candidate" --force
wait_resumed "$t" "the switchover"
wait_for "pg$candidate to be primary" 60 curl -fs "http://127.0.0.1:$(rest_port "$candidate")/primary"
sleep "$SETTLE"

# ---------------------------------------------------------------------------------------------------------------
touch "$OUT/stop"
wait_for "the clients to finish" 90 sh -c "! kill -0 $LOAD" || { log "the clients did not stop"; exit 1; }
wait "$LOAD" || { log "a client failed:"; tail -30 "$OUT/load.log"; exit 1; }
LOAD=""
patronictl_ha list | tee "$OUT/patroni-list.txt"

log "checking the receipts against the log"
rc=0
java -Xmx512m -cp "$CP" org.fabtrail.deploy.FailoverLoad check --out "$OUT" \
  --db-url "jdbc:postgresql://127.0.0.1:$DB_PORT/fabtrail" --db-user fabtrail_owner \
  --db-password-file "$OUT/.owner-password" --max-resume-ms "${FAILOVER_MAX_RESUME_MS:-60000}" || rc=1

owner_cmd() {
  FABTRAIL_DB_URL="jdbc:postgresql://127.0.0.1:$DB_PORT/fabtrail" FABTRAIL_DB_USER=fabtrail_owner \
    FABTRAIL_DB_PASSWORD="$(cat "$SECRETS/fabtrail_owner")" FABTRAIL_DATA_DIR="$OUT/verifier" \
    java -Xmx512m -jar "$FABTRAIL_JAR" "$@"
}
checks=("--checkpoint $OUT/newest-receipt-checkpoint")
for n in $NODES; do checks+=("--checkpoint $HA_DIR/app$n/latest-checkpoint"); done
for args in "${checks[@]}"; do
  log "verify $args"
  # shellcheck disable=SC2086
  owner_cmd verify --vkey "$OUT/vkey" $args > "$OUT/verify.out" 2>&1 || { rc=1; log "verify FAILED"; }
  tail -2 "$OUT/verify.out"
done
log "rebuild --check"
owner_cmd rebuild --check > "$OUT/rebuild.out" 2>&1 || { rc=1; log "rebuild --check FAILED"; }
tail -2 "$OUT/rebuild.out"
if grep -l "went backwards" "$HA_DIR"/app*/server.log; then
  log "an instance saw the log go backwards"
  rc=1
fi
for n in $NODES; do
  app_ready "$n" || { log "app$n is not ready at the end"; rc=1; }
done
one_jobs_leader || { log "not exactly one instance runs the background jobs: $(jobs_leaders)"; rc=1; }

# An instance connected straight to a standby (bypassing HAProxy) must not be ready: it cannot write.
standby=""
for n in $NODES; do
  if curl -fs -o /dev/null "http://127.0.0.1:$(rest_port "$n")/replica"; then standby=$n; fi
done
if [ -n "$standby" ]; then
  log "app4 on the standby pg$standby: its readiness must be DOWN"
  mkdir -p "$HA_DIR/app4"
  (
    set -a
    source "$HA_DIR/fabtrail.env"
    set +a
    export FABTRAIL_DB_URL="jdbc:postgresql://127.0.0.1:$(pg_port "$standby")/fabtrail" FABTRAIL_DATA_DIR=$HA_DIR/app4 \
      QUARKUS_HTTP_PORT=$(app_port 4)
    exec setsid java ${HA_JAVA_OPTS:--Xmx256m} -jar "$FABTRAIL_JAR" </dev/null >>"$HA_DIR/app4/server.log" 2>&1
  ) &
  echo $! > "$RUN/app4.pid"
  started() { curl -fs -o /dev/null "http://127.0.0.1:$(app_port 4)/q/health/started"; }
  on_standby() { curl -s "http://127.0.0.1:$(app_port 4)/q/health/ready" | grep -q '"databaseRole": *"standby"'; }
  if wait_for "app4 to start" 120 started && wait_for "app4 to see the standby" 30 on_standby; then
    code=$(curl -s -o "$OUT/app4-ready.json" -w '%{http_code}' "http://127.0.0.1:$(app_port 4)/q/health/ready")
    if [ "$code" = 503 ]; then
      log "app4 on the standby: readiness DOWN (503), databaseRole standby"
    else
      log "app4 on the standby answered readiness $code"; rc=1
    fi
  else
    tail -20 "$HA_DIR/app4/server.log"; rc=1
  fi
  kill "$(pid_of app4)" 2>/dev/null || true
fi

{
  echo "## Failover test, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $CLIENTS clients"
  echo
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), Patroni $(patroni --version | awk '{print $2}'),"
  echo "etcd $(etcd --version | awk '/etcd Version/ {print $3}'), HAProxy $(haproxy -v | awk 'NR==1 {print $3}'); stack up in ${up_s} s;"
  echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (the machine's other work included)."
  echo
  cat "$OUT/figures.md"
  [ -s "$OUT/jobs-takeover" ] && echo "background jobs taken over by $(cut -d' ' -f3 "$OUT/jobs-takeover") $(cut -d' ' -f1 "$OUT/jobs-takeover") ms after $(cut -d' ' -f2 "$OUT/jobs-takeover") was killed"
} > "$OUT/report.md"
cat "$OUT/report.md"
[ "$rc" -eq 0 ] && log "PASSED" || log "FAILED"
exit "$rc"
