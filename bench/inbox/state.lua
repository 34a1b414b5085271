-- wrk script: triage, as the inbox's server-function call makes it: `POST
-- /api/set_state` with a form body `ids[0]=<id>&state=seen|new` (the two
-- alternate, so that each request changes something on most rows). Ids are
-- drawn at random in 1..MAX_ID (the seeded candidates). run.sh passes
-- Cookie, Origin, Content-Type and Accept: application/json with -H.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local max_id = tonumber(os.getenv("MAX_ID") or "200000")
local n = 0

function init(args)
    math.randomseed(7919 * (tonumber(thread_no) or 1))
end

function request()
    n = n + 1
    local state = (n % 2 == 0) and "new" or "seen"
    local body = "ids%5B0%5D=" .. math.random(1, max_id) .. "&state=" .. state
    return wrk.format("POST", "/api/set_state", nil, body)
end
