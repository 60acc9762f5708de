#!/usr/bin/env bash
# Fabtrail benchmark: starts the packaged server (embedded PostgreSQL, durable, -Xmx512m) in a fresh data
# directory, drives it with org.fabtrail.bench.LedgerBenchmark over HTTP, then times `verify` on the
# resulting log and prints the server's heap use. Options after the script name go to the load generator,
# e.g.  deploy/bench/run.sh --batch-entries 200000 --single-entries 50000
# Environment: BENCH_PORT, BENCH_JFR=1 (flight recording), BENCH_WRK_SECONDS (wrk phase, default 30; 0 skips it),
# BENCH_WRK_RATE (envelopes prepared per wrk second, default 6000), BENCH_WRK_ENTRIES (overrides the sizing),
# BENCH_DATA (an existing data directory, e.g. one deploy/bench/load.sh built, instead of a fresh one; it is kept),
# BENCH_V15_INDEXES=0 (drop V15's two indexes for the write phases and recreate them after: their write cost),
# BENCH_PLANS (file for the hot queries' EXPLAIN (ANALYZE, BUFFERS); default DATA_DIR/plans.txt), BENCH_RUN_VERIFY=0
# (skip the closing verify, which reads the whole log again), BENCH_WRK_READ_SECONDS (each wrk read phase, default 20;
# 0 skips them), BENCH_WRK_READ_PAUSES (e.g. "4 2 1": proofs and lookups again with each connection pausing that many
# milliseconds between requests, the latency below saturation).
# Results and method: docs/benchmarks.md. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/bench/lib.sh
bench_check_port
bench_build
DATA=${BENCH_DATA:-$(mktemp -d /tmp/fabtrail-bench.XXXXXX)}
echo "data directory: $DATA"
bench_start "$DATA"

bench_machine
if [ "${BENCH_V15_INDEXES:-1}" = 0 ]; then
  bench_v15_indexes off
  trap 'bench_v15_indexes on || true; bench_stop' EXIT
fi
bench_cpu "$DATA/cpu-before.txt"
bench_seq "$DATA/seq-before.txt"
bench_client LedgerBenchmark "$@"

if command -v wrk >/dev/null 2>&1 && [ "${BENCH_WRK_SECONDS:-30}" -gt 0 ]; then
  # wrk is a far lighter client than the JVM's HttpClient, so it shows more of the server's capacity when client
  # and server share the same two cores. Two threads, 64 connections, every envelope distinct and sent once: the
  # input is sized to the run (seconds x BENCH_WRK_RATE, a rate above anything this machine reaches), and a
  # thread that runs out stops rather than re-send. Appends are counted as the log's growth over the run.
  WRK_SECONDS=${BENCH_WRK_SECONDS:-30}
  WRK_ENTRIES=${BENCH_WRK_ENTRIES:-$(( WRK_SECONDS * ${BENCH_WRK_RATE:-6000} ))}
  bench_client LedgerBenchmark --batch-entries 0 --single-entries 0 --proofs 0 --dump "$DATA/bodies.txt" --dump-entries "$WRK_ENTRIES" >/dev/null
  tree_size() { curl -fsS "http://127.0.0.1:$PORT/api/v1/log/checkpoint" | sed -n 2p; }
  BEFORE=$(tree_size)
  echo
  echo "single entries with wrk (2 threads, 64 connections, $WRK_SECONDS s, $WRK_ENTRIES distinct envelopes):"
  wrk -t2 -c64 -d"${WRK_SECONDS}"s --latency -s deploy/bench/single.lua "http://127.0.0.1:$PORT" \
    -- "$DATA/bodies.txt" "$DATA/bodies.txt.token" 2 > "$DATA/wrk.txt"
  AFTER=$(tree_size)
  grep -E "Latency|50%|90%|99%|answers|ran out" "$DATA/wrk.txt" || true
  SECS=$(sed -n 's/^duration: \([0-9.]*\) s$/\1/p' "$DATA/wrk.txt")
  awk -v a="$AFTER" -v b="$BEFORE" -v s="$SECS" 'BEGIN { printf "distinct appends (log grew %d -> %d): %d, %.0f/s over %.1f s\n", b, a, a - b, (a - b) / s, s }'
fi

if command -v wrk >/dev/null 2>&1 && [ "${BENCH_WRK_READ_SECONDS:-20}" -gt 0 ]; then
  # The read phases again with wrk, 8 connections on 2 threads: the JVM client's own CPU (about a third of the two
  # cores) is what stood between the read queries (<= 0.25 ms at 10 M) and their p99 target.
  DATASET_UNITS=0
  prev=
  for a in "$@"; do [ "$prev" = --dataset-units ] && DATASET_UNITS=$a; prev=$a; done
  mkdir -p "$DATA/reads"
  bench_client ReadPaths --out "$DATA/reads" --count 20000 --dataset-units "$DATASET_UNITS"
  # wrk_reads KIND PAUSE: one read phase (paths of KIND, PAUSE ms between a connection's requests), one line of result.
  wrk_reads() {
    local out="$DATA/reads/wrk-$1${2:+-pause-$2}.txt"
    wrk -t2 -c8 -d"${BENCH_WRK_READ_SECONDS:-20}"s --latency -s deploy/bench/reads.lua "http://127.0.0.1:$PORT" \
      -- "$DATA/reads/$1.txt" bench "${2:-0}" > "$out"
    awk -v k="$1${2:+, $2 ms pause}" '/Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /^answers/ {a = $0}
      END { printf "  %-22s %8s req/s  p50 %-8s p99 %-8s %s\n", k, rps, p50, p99, a }' "$out"
  }
  echo
  echo "reads with wrk (2 threads, 8 connections, ${BENCH_WRK_READ_SECONDS:-20} s each, as the operator):"
  for kind in proofs lookups histories feed; do
    [ -f "$DATA/reads/$kind.txt" ] && wrk_reads "$kind"
  done
  # Below saturation: 8 connections that pause between requests, so the rate is what the machine can serve and the
  # p99 is the request's own cost rather than the wait for a core.
  for pause in ${BENCH_WRK_READ_PAUSES:-}; do
    for kind in proofs lookups; do
      [ -f "$DATA/reads/$kind.txt" ] && wrk_reads "$kind" "$pause"
    done
  done
fi

bench_seq "$DATA/seq-after.txt"
bench_cpu "$DATA/cpu-after.txt"
echo
bench_cpu_report "$DATA/cpu-before.txt" "$DATA/cpu-after.txt"
echo
bench_seq_report "$DATA/seq-before.txt" "$DATA/seq-after.txt"
if [ "${BENCH_V15_INDEXES:-1}" = 0 ]; then
  bench_v15_indexes on
  trap 'bench_stop' EXIT
fi
echo
PLANS=${BENCH_PLANS:-$DATA/plans.txt}
bench_plans "$PLANS" && echo "query plans (EXPLAIN (ANALYZE, BUFFERS)) written to $PLANS"
echo
echo "server heap after the run (-Xmx512m):"
jcmd $SERVER GC.heap_info 2>/dev/null | head -3 || true
echo "server peak resident memory: $(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$SERVER/status)"
echo
if [ "${BENCH_RUN_VERIFY:-1}" = 1 ]; then
  echo "whole-log verification (attaches to the running server's database):"
  FABTRAIL_DATA_DIR="$DATA" java -Xmx512m -jar target/quarkus-app/quarkus-run.jar verify
fi
