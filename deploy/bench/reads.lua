-- wrk script: GET paths drawn at random from a file (one per line, from org.fabtrail.bench.ReadPaths), with a
-- bearer token, and count the answers that are not 200 (a read phase that measures errors is not a read phase).
-- Usage: wrk -t2 -c8 -d20s --latency -s reads.lua http://127.0.0.1:PORT -- <paths file> <token> [pause ms]
-- With a pause, each connection waits that long after an answer before it asks again (a client with think time), so
-- the phase measures the latency at a rate below the machine's capacity instead of the queue at saturation.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  headers = {["Authorization"] = "Bearer " .. args[2]}
  math.randomseed(os.time() * 16 + id)  -- each thread has its own Lua state and its own draws
  ok, other = 0, 0
  pause = tonumber(args[3] or "0")
end

function delay()
  return pause
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local o, x = 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); x = x + t:get("other") end
  io.write(string.format("answers: %d ok (200), %d other\n", o, x))
end
