-- wrk script: POST pre-signed envelopes to /api/v1/entries, each exactly once across all threads.
-- Usage: wrk -t2 -c64 -d60s --latency -s single.lua http://127.0.0.1:PORT -- <bodies file> <token file>
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
  nthreads = counter
  i = 0
  created, other = 0, 0
end

function request()
  local n = id + 1 + i * 2
  i = i + 1
  if n > #bodies then
    n = ((n - 1) % #bodies) + 1  -- past the end: resubmissions (answered 200, not appended)
  end
  return wrk.format("POST", "/api/v1/entries", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token}, bodies[n])
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do c = c + t:get("created"); o = o + t:get("other") end
  io.write(string.format("appended (201): %d, other answers: %d, appended per second: %.0f\n", c, o,
    c / (summary.duration / 1e6)))
end
