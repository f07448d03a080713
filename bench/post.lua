-- wrk script for writes: authenticated POST /api/v2/tweets with a unique
-- body each, counting answers by status and recording the id of every 201
-- (from its Location header) in IDS_FILE, so the harness can check that
-- each tweet answered 201 is in the store.
local cookie = os.getenv("BENCH_COOKIE")
local ids_file = os.getenv("IDS_FILE")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = cookie
local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  ids = {}
  sent = 0
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil,
    string.format('{"body":"load test tweet %d-%d: group commit at work"}', tid, sent))
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 201 then
    local location = headers["Location"] or headers["location"]
    if location then
      table.insert(ids, (string.match(location, "(%d+)$")))
    end
  end
end

function done(summary, latency, requests)
  local total, sent_all, f = {}, 0, io.open(ids_file, "w")
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
    sent_all = sent_all + t:get("sent")
    for _, id in ipairs(t:get("ids")) do
      f:write(id, "\n")
    end
  end
  f:close()
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format("s%d=%d", status, n))
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d sent=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d %s\n",
    summary.requests, sent_all, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, table.concat(parts, " ")))
end
