#!/usr/bin/env bash
# Builds a large log for the growth-curve benchmark: starts the packaged server on the data directory given
# (embedded PostgreSQL, durable, -Xmx512m), loads it with org.fabtrail.bench.DatasetLoader through the batch
# endpoint (the real sequencer, rules and detectors), stops the server and runs `verify` on the result.
#   deploy/bench/load.sh DATA_DIR [--entries 10000000] [--units 1000000] [--seed fabtrail] [--clients 3]
# Resumable: run the same command again after an interruption and it goes on from the last finished block (the
# envelopes follow from the seed, so what was already appended is answered 200 and not appended twice).
# Keep DATA_DIR out of git. Method and figures: docs/benchmarks.md. Environment: BENCH_PORT.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 DATA_DIR [loader options]" >&2; exit 2; }
DATA=$(mkdir -p "$1" && cd "$1" && pwd)
shift
PORT=${BENCH_PORT:-18471}
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "port $PORT is in use; set BENCH_PORT" >&2
  exit 2
fi

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test

FABTRAIL_DATA_DIR="$DATA" FABTRAIL_GENERATE_OPERATOR_KEY=true FABTRAIL_BOOTSTRAP_ADMIN_TOKEN=bench \
  QUARKUS_HTTP_PORT=$PORT java -Xmx512m -XX:+UseG1GC -jar target/quarkus-app/quarkus-run.jar >> "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { echo "the server did not start:" >&2; tail -20 "$DATA/server.log" >&2; exit 1; }
  sleep 1
done

java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.fabtrail.bench.DatasetLoader --url "http://127.0.0.1:$PORT" --token bench --progress "$DATA/loader.progress" "$@"

kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT
echo "whole-log verification:"
FABTRAIL_DATA_DIR="$DATA" java -Xmx512m -jar target/quarkus-app/quarkus-run.jar verify
