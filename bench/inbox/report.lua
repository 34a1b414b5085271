-- Shared by the wrk scripts of bench/inbox (loaded with dofile): counts
-- responses by status class in every thread and, at the end, prints one
-- machine-readable RESULT line that run.sh parses. wrk runs each thread in
-- its own Lua state; setup() (main state) keeps the thread handles so that
-- done() can read their counters.

local threads = {}

function setup(thread)
    thread:set("thread_no", #threads + 1)
    table.insert(threads, thread)
end

-- Per thread (globals of the thread's state), read back by done().
s1, s2, s3, s4, s5 = 0, 0, 0, 0, 0

function response(status, headers, body)
    local class = math.floor(status / 100)
    if class == 2 then
        s2 = s2 + 1
    elseif class == 3 then
        s3 = s3 + 1
    elseif class == 4 then
        s4 = s4 + 1
    elseif class == 5 then
        s5 = s5 + 1
    else
        s1 = s1 + 1
    end
end

function done(summary, latency, requests)
    local counts = { s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0 }
    for _, thread in ipairs(threads) do
        for name, _ in pairs(counts) do
            counts[name] = counts[name] + (tonumber(thread:get(name)) or 0)
        end
    end
    local seconds = summary.duration / 1e6
    local ms = function(us) return us / 1000 end
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d seconds=%.2f rps=%.1f mean_ms=%.2f p50_ms=%.2f p90_ms=%.2f p95_ms=%.2f "
            .. "p99_ms=%.2f max_ms=%.2f s2xx=%d s3xx=%d s4xx=%d s5xx=%d other=%d "
            .. "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d bytes=%d\n",
        summary.requests, seconds, summary.requests / seconds, ms(latency.mean),
        ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)),
        ms(latency:percentile(99)), ms(latency.max), counts.s2, counts.s3, counts.s4, counts.s5,
        counts.s1, e.connect, e.read, e.write, e.timeout, summary.bytes))
end
