-- wrk script for read scenarios: prints one machine-readable line at the
-- end. Status codes are counted by wrk itself (non-2xx/3xx), so no Lua runs
-- per response and the load generator stays as fast as it can be.
-- Set PROBE_DELAY_MS to pace each connection (a probe, not a flood).
local delay_ms = tonumber(os.getenv("PROBE_DELAY_MS") or "0")
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
if delay_ms > 0 then
  function delay() return delay_ms end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
