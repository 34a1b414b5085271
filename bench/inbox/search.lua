-- wrk script: inbox searches, rotating over English and Japanese terms of
-- different frequency in the seeded titles and excerpts (a common word, a
-- rarer one, two words, kana, kanji). SEARCH_PATH is the path the encoded
-- term is appended to: "/?q=" (the page, HTML) or "/api/v1/candidates?q="
-- (the JSON API; same query engine).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local terms = {
    "kubernetes", "クラスタ", "ランタイム", "gateway api", "cilium", "可観測性", "etcd",
    "security advisory", "移行", "autoscaling",
}

local function encode(text)
    return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local prefix = os.getenv("SEARCH_PATH") or "/?q="
local paths = {}
for i, term in ipairs(terms) do
    paths[i] = prefix .. encode(term)
end

local n = 0

function init(args)
    -- Threads start at different terms, so that the mix is even at any moment.
    n = (tonumber(thread_no) or 1) * 3
end

function request()
    n = n + 1
    return wrk.format("GET", paths[n % #paths + 1])
end
