#!/usr/bin/env bash
# Soak: 30 minutes (BENCH_SOAK_SECONDS) of mixed load against the packaged server: single-entry writes, unit lookups,
# inclusion proofs and signed-in web pages at once, reported per minute (BENCH_SOAK_WINDOW) so that drift in latency
# or memory shows; ends with the last minute compared with the first, and the server's resident memory over the run.
#   deploy/bench/soak.sh                    a fresh data directory
#   BENCH_DATA=/data/fabtrail-10m deploy/bench/soak.sh     on a log deploy/bench/load.sh built
# Environment: BENCH_PORT, BENCH_REBUILD=0 (use the jar as built). Method and figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/bench/lib.sh
bench_check_port
bench_build
DATA=${BENCH_DATA:-$(mktemp -d /tmp/fabtrail-soak.XXXXXX)}
echo "data directory: $DATA"
bench_start "$DATA"
WINDOW=${BENCH_SOAK_WINDOW:-60}
( while kill -0 $SERVER 2>/dev/null; do
    awk -v t="$(date +%s)" '/VmRSS/ {print t, $2/1024}' /proc/$SERVER/status 2>/dev/null || true
    sleep "$WINDOW"
  done ) > "$DATA/soak-rss.txt" &
bench_machine
bench_client LedgerBenchmark --batch-entries 0 --single-entries 0 --proofs 0 \
  --soak-seconds "${BENCH_SOAK_SECONDS:-1800}" --soak-window "$WINDOW"
awk 'NR == 1 {first = $2} {last = $2; if ($2 > max) max = $2} END {
  printf "server resident memory: %.0f MiB after the first window, %.0f MiB at the end, %.0f MiB at most\n", first, last, max }' \
  "$DATA/soak-rss.txt"
