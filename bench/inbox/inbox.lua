-- wrk script: the inbox page, `GET /` as a signed-in member sees it first
-- (default view, newest first, the first 50 candidates, server-rendered
-- HTML). run.sh passes the session cookie and Accept-Encoding with -H; the
-- request itself is wrk's default one, built once.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
