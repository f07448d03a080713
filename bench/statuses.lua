-- wrk script that counts responses by status code across threads (for the
-- overload scenario: 200s against 503s, and whether 503s say Retry-After).
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  retry_after_missing = 0
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 503 and headers["Retry-After"] == nil and headers["retry-after"] == nil then
    retry_after_missing = retry_after_missing + 1
  end
end

function done(summary, latency, requests)
  local total, missing = {}, 0
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
    missing = missing + t:get("retry_after_missing")
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format("s%d=%d", status, n))
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d retry_after_missing=%d %s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, missing, table.concat(parts, " ")))
end
