-- wrk script for reads by many logged-in users: each request carries the
-- next of the session cookies in COOKIES_FILE (one per line), so a run
-- reads as many people's pages, not one person's again and again. The
-- requests are made once at start; per request only a table index runs.
-- Prints report.lua's RESULT line.
dofile("bench/report.lua")

local requests = {}
local next_request = 1

function init(args)
  for cookie in io.lines(os.getenv("COOKIES_FILE")) do
    requests[#requests + 1] = wrk.format(nil, nil, { Cookie = cookie })
  end
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
