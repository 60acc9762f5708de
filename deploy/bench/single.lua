-- wrk script: POST pre-signed envelopes to /api/v1/entries, each exactly once across all threads. A thread that
-- has sent its share stops (it never re-sends: a replay is answered 200 without appending, which would inflate the
-- rate); run.sh sizes the input to the run and counts appends as the log's growth.
-- Usage: wrk -t2 -c64 -d60s --latency -s single.lua http://127.0.0.1:PORT -- <bodies file> <token file> <threads>
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  token = io.open(args[2]):read("*l")
  nthreads = tonumber(args[3] or "2")  -- each thread has its own Lua state: run.sh passes the -t count
  i = 0
  created, other, ranout = 0, 0, 0
end

function request()
  local n = id + 1 + i * nthreads
  i = i + 1
  if n > #bodies then
    -- out of distinct envelopes: stop this thread; the one request still needed is a read that appends nothing
    ranout = 1
    wrk.thread:stop()
    return wrk.format("GET", "/api/v1/log/checkpoint")
  end
  return wrk.format("POST", "/api/v1/entries", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token}, bodies[n])
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o, r = 0, 0, 0
  for _, t in ipairs(threads) do c = c + t:get("created"); o = o + t:get("other"); r = r + t:get("ranout") end
  io.write(string.format("answers: %d created (201), %d other\n", c, o))
  if r > 0 then
    io.write("ran out of distinct envelopes before the end: the rate below is a lower bound; raise BENCH_WRK_RATE\n")
  end
  io.write(string.format("duration: %.3f s\n", summary.duration / 1e6))
end
