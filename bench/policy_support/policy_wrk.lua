-- wrk script for bench/policy_spike.py: POSTs JSON signatures with unique emails.
-- Every BENCH_DUP_EVERY-th request repeats an earlier email of the same thread (a duplicate
-- that must get 200, not a second row). Prints one JSON line with the figures at the end.
local path = os.getenv("BENCH_PATH")
local run = os.getenv("BENCH_RUN") or "r"
local dup_every = tonumber(os.getenv("BENCH_DUP_EVERY") or "0")
local zips = {}
for zip in string.gmatch(os.getenv("BENCH_ZIPS") or "74103", "[^,]+") do
  table.insert(zips, zip)
end
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  counter = 0
  dups = 0
  statuses = {}
end

function request()
  counter = counter + 1
  local n = counter
  if dup_every > 0 and n > 100 and n % dup_every == 0 then
    n = n - 50
    dups = dups + 1
  end
  local body = string.format(
    '{"name":"Bench Signer","email":"%s-%d-%d@bench.example.org","zip":"%s"}',
    run, tid, n, zips[(n % #zips) + 1])
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals, sent, dup_total = {}, 0, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
    sent = sent + thread:get("counter")
    dup_total = dup_total + thread:get("dups")
  end
  local parts = {}
  for status, count in pairs(totals) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"sent":%d,"sent_duplicates":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"status_errors":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, sent, dup_total,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, table.concat(parts, ",")))
end
