-- wrk script for the login storm: POST /api/v1/auth/login in a loop, with
-- report.lua's result line (wrk runs from the repository root).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"username":"%s","password":"%s"}',
  os.getenv("BENCH_USER"), os.getenv("BENCH_PASSWORD"))

dofile("bench/report.lua")
