# Shared by the benchmark scripts (run.sh, load.sh, soak.sh): source it from the repository's top directory.
PORT=${BENCH_PORT:-18471}

# bench_check_port: refuse to start when something already answers on the benchmark's port.
bench_check_port() {
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "port $PORT is in use; set BENCH_PORT" >&2
    exit 2
  fi
}

# bench_build: the packaged server (built when missing, or always with BENCH_REBUILD=1) and the load generators'
# class path in target/bench-classpath.txt.
bench_build() {
  if [ "${BENCH_REBUILD:-1}" = 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    ./mvnw -q -B package -DskipTests
  fi
  ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
}

# bench_start DATA_DIR: starts the packaged server as production would (embedded PostgreSQL in DATA_DIR, durable,
# -Xmx512m), with the bootstrap admin token "bench" and the per-token rate limit lifted (the benchmarks measure the
# ledger's capacity, not the limiter); waits until it is ready. Sets SERVER to its process id and stops it on exit.
bench_start() {
  local data=$1
  FABTRAIL_DATA_DIR="$data" FABTRAIL_GENERATE_OPERATOR_KEY=true FABTRAIL_BOOTSTRAP_ADMIN_TOKEN=bench \
    FABTRAIL_API_RATE_PER_SECOND=1000000 FABTRAIL_API_RATE_BURST=1000000 \
    QUARKUS_HTTP_PORT=$PORT java -Xmx512m -XX:+UseG1GC ${BENCH_JFR:+-XX:StartFlightRecording=filename=$data/server.jfr,settings=profile} \
    -jar target/quarkus-app/quarkus-run.jar >> "$data/server.log" 2>&1 &
  SERVER=$!
  trap 'bench_stop' EXIT
  for _ in $(seq 1 180); do
    curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 $SERVER 2>/dev/null || { echo "the server did not start:" >&2; tail -20 "$data/server.log" >&2; exit 1; }
    sleep 1
  done
  echo "the server was not ready after 180 s" >&2
  exit 1
}

bench_stop() {
  kill $SERVER 2>/dev/null || true
  wait $SERVER 2>/dev/null || true
}

# bench_client CLASS ARGS...: runs a load generator of src/test/java/org/fabtrail/bench against the server.
bench_client() {
  local class=$1
  shift
  java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    "org.fabtrail.bench.$class" --url "http://127.0.0.1:$PORT" --token bench "$@"
}

# bench_machine: one line saying when and on what a run was made.
bench_machine() {
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
}

# bench_cpu FILE: CPU seconds used so far, by group: the server JVM's threads (the sequencer, Vert.x event loops,
# request workers, JIT compilers, garbage collection, the rest), PostgreSQL's processes, and this script's waited-for
# children (the load generators). bench_cpu_report BEFORE AFTER prints where the CPU went between two snapshots.
bench_cpu() {
  local hz
  hz=$(getconf CLK_TCK)
  {
    for t in /proc/$SERVER/task/*; do
      if [ -r "$t/stat" ] && [ -r "$t/comm" ]; then printf '%s\t%s\n' "$(cat "$t/comm")" "$(sed 's/.*) //' "$t/stat")"; fi
    done | awk -F'\t' -v hz="$hz" '{
        split($2, f, " "); s = (f[12] + f[13]) / hz; n = $1
        g = n ~ /^fabtrail-sequen/ ? "server: sequencer" : n ~ /^vert\.x-eventloo/ ? "server: Vert.x event loops" \
          : n ~ /^executor-thread/ ? "server: request workers" : n ~ /Compiler/ ? "server: JIT compilers" \
          : n ~ /^(GC|G1)/ ? "server: garbage collection" : "server: other threads"
        sum[g] += s } END { for (g in sum) printf "%s\t%.1f\n", g, sum[g] }'
    # the whole JVM, threads that have ended included
    sed 's/.*) //' /proc/$SERVER/stat | awk -v hz="$hz" '{ printf "server: all threads\t%.1f\n", ($12 + $13) / hz }'
    for p in /proc/[0-9]*; do
      if [ "$(cat "$p/comm" 2>/dev/null)" = postgres ]; then sed 's/.*) //' "$p/stat" 2>/dev/null || true; fi
    done | awk -v hz="$hz" '{ s += ($12 + $13 + $14 + $15) / hz } END { printf "PostgreSQL\t%.1f\n", s }'
  } > "$1"
  # not in a pipeline: a subshell would report its own children, not this shell's
  times > "$1.times"
  awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] } printf "load generators\t%.1f\n", s }' \
    "$1.times" >> "$1"
  rm -f "$1.times"
}

bench_cpu_report() {
  echo "where the CPU went (seconds of CPU; two cores give two seconds per second):"
  awk -F'\t' 'NR == FNR { before[$1] = $2; next } { printf "  %-28s %8.1f\n", $1, $2 - before[$1] }' "$1" "$2" | sort -k1,1
}

# bench_seq FILE: the server's sequencer counters so far (batches, entries, seconds per phase) from /q/metrics.
# bench_seq_report BEFORE AFTER prints the sequencer's cost between two snapshots: entries per batch and
# microseconds per entry in each phase (lock, dedupe, prepare, apply, flush, append, commit), the figures issue 14
# asks to stay flat as the log grows.
bench_seq() {
  curl -fsS "http://127.0.0.1:$PORT/q/metrics" | grep -E '^fabtrail_sequencer_(batches_total|entries_total|seconds_total)' \
    | sed -E 's/\{phase="([a-z]+)"[^}]*\}/ \1/; s/^fabtrail_sequencer_//' > "$1"
}

bench_seq_report() {
  echo "sequencer, per phase (us per entry) over the write phases:"
  awk 'NR == FNR { k = $1 ($2 ~ /^[a-z]+$/ ? " " $2 : ""); before[k] = $NF; next }
       { k = $1 ($2 ~ /^[a-z]+$/ ? " " $2 : ""); d[k] = $NF - before[k] }
       END { e = d["entries_total"]; b = d["batches_total"]
             if (e <= 0) { print "  (no entries appended)"; exit }
             printf "  %d entries in %d batches, %.1f entries/batch\n", e, b, e / b
             n = split("lock dedupe prepare apply flush append commit", phase, " "); total = 0
             for (i = 1; i <= n; i++) { us = d["seconds_total " phase[i]] * 1e6 / e; total += us
                                        printf "  %-8s %8.1f\n", phase[i], us }
             printf "  %-8s %8.1f\n", "total", total }' "$1" "$2"
}

# bench_plans FILE: EXPLAIN (ANALYZE, BUFFERS) of the hot read queries on the running server's log
# (org.fabtrail.bench.QueryPlans), written to FILE.
bench_plans() {
  java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    org.fabtrail.bench.QueryPlans "$DATA" --plans "$1"
}

# bench_v15_indexes on|off: recreates or drops V15's two indexes (units by serial, transfer_units by received_idx)
# on the running server's database, to measure their cost on the write path (BENCH_V15_INDEXES=0).
bench_v15_indexes() {
  java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    org.fabtrail.bench.QueryPlans "$DATA" --v15-indexes "$1"
}
