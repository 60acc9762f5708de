#!/usr/bin/env bash
# Builds a large log for the growth-curve benchmark: starts the packaged server on the data directory given
# (embedded PostgreSQL, durable, -Xmx512m), loads it with org.fabtrail.bench.DatasetLoader through the batch
# endpoint (the real sequencer, rules and detectors), stops the server and runs `verify` on the result.
#   deploy/bench/load.sh DATA_DIR [--entries 10000000] [--units 1000000] [--seed fabtrail] [--clients 3]
# Resumable: run the same command again after an interruption and it goes on from the last finished block (the
# envelopes follow from the seed, so what was already appended is answered 200 and not appended twice).
# Keep DATA_DIR out of git. Method and figures: docs/benchmarks.md. Environment: BENCH_PORT; BENCH_LOAD_VERIFY=0
# skips the final verify (growth.sh does: run.sh verifies the same log right after, and times it).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 DATA_DIR [loader options]" >&2; exit 2; }
DATA=$(mkdir -p "$1" && cd "$1" && pwd)
shift
. deploy/bench/lib.sh
bench_check_port
BENCH_REBUILD=${BENCH_REBUILD:-0} bench_build
bench_start "$DATA"

bench_seq "$DATA/seq-load-before.txt"
bench_client DatasetLoader --progress "$DATA/loader.progress" "$@"
bench_seq "$DATA/seq-load-after.txt"
bench_seq_report "$DATA/seq-load-before.txt" "$DATA/seq-load-after.txt" | sed '1s/over the write phases/while loading/'
bench_stop
trap - EXIT
if [ "${BENCH_LOAD_VERIFY:-1}" = 1 ]; then
  echo "whole-log verification:"
  FABTRAIL_DATA_DIR="$DATA" java -Xmx512m -jar target/quarkus-app/quarkus-run.jar verify
fi
