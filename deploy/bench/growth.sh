#!/usr/bin/env bash
# Growth curves: grows one data set through the sizes given and runs the benchmark at each, so every figure is
# measured against the same log at 100 k, 1 M and 10 M entries (one unit per ten entries).
#   deploy/bench/growth.sh DATA_DIR [SIZE ...]        default sizes: 100000 1000000 10000000
# At each size: deploy/bench/load.sh grows the log to that many entries (resumable; DatasetLoader's log for a
# smaller size is a prefix of the larger one), then deploy/bench/run.sh on the same data directory measures the
# batch endpoint, single entries (wrk), inclusion proofs, unit lookups and histories over the whole data set, feed
# pages, heap and resident memory, and whole-log verification. Output: DATA_DIR/growth-<size>.txt for each size.
# Environment as for run.sh (BENCH_PORT, BENCH_WRK_SECONDS, ...), and BENCH_BATCH_ENTRIES (batch phase, default
# 20000), BENCH_READS (requests per read phase, default 20000). Each size also writes the hot queries' plans
# (EXPLAIN (ANALYZE, BUFFERS)) to PLANS_DIR/plans-<size>.txt (BENCH_PLANS_DIR, default DATA_DIR; docs/plans for
# the run docs/benchmarks.md reports), and with BENCH_COMPARE_V15=1 runs the benchmark a second time with V15's two
# indexes dropped for its write phases (DATA_DIR/growth-<size>-without-v15.txt): their write cost.
# BENCH_GROWTH=load grows through the sizes first, keeping a copy of the log at each smaller size (DATA_DIR-<size>),
# without benchmarking; BENCH_GROWTH=bench then benchmarks those copies and DATA_DIR (the largest size) one after the
# other, so the benchmarks can wait for an idle machine while the slow part, the load, does not.
# Method and figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 DATA_DIR [SIZE ...]" >&2; exit 2; }
DATA=$(mkdir -p "$1" && cd "$1" && pwd)
shift
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000 10000000)
. deploy/bench/lib.sh
bench_build
export BENCH_REBUILD=0
MODE=${BENCH_GROWTH:-both}
LARGEST=${SIZES[${#SIZES[@]}-1]}
# dir SIZE: the data directory that holds the log of that size (a copy in bench mode, DATA_DIR otherwise).
dir() { if [ "$MODE" = bench ] && [ "$1" != "$LARGEST" ]; then echo "$DATA-$1"; else echo "$DATA"; fi; }
for size in "${SIZES[@]}"; do
  units=$(( size / 10 ))
  if [ "$MODE" != bench ]; then
    echo "== growing to $size entries, $units units"
    BENCH_LOAD_VERIFY=0 deploy/bench/load.sh "$DATA" --entries "$size" --units "$units"
  fi
  if [ "$MODE" = load ]; then
    [ "$size" = "$LARGEST" ] || { rm -rf "$DATA-$size"; cp -a "$DATA" "$DATA-$size"; }
    continue
  fi
  echo "== benchmark at $size entries"
  PLANS_DIR=${BENCH_PLANS_DIR:-$DATA}
  mkdir -p "$PLANS_DIR"
  BENCH_PLANS="$PLANS_DIR/plans-$size.txt" BENCH_DATA="$(dir "$size")" deploy/bench/run.sh \
    --batch-entries "${BENCH_BATCH_ENTRIES:-20000}" --single-entries 0 --proofs "${BENCH_READS:-20000}" \
    --dataset-units "$units" | tee "$DATA/growth-$size.txt"
  if [ "${BENCH_COMPARE_V15:-0}" = 1 ]; then
    echo "== benchmark at $size entries without V15's indexes"
    BENCH_V15_INDEXES=0 BENCH_PLANS="$DATA/plans-$size-without-v15.txt" BENCH_DATA="$(dir "$size")" deploy/bench/run.sh \
      --batch-entries "${BENCH_BATCH_ENTRIES:-20000}" --single-entries 0 --proofs 0 \
      | tee "$DATA/growth-$size-without-v15.txt"
  fi
done
