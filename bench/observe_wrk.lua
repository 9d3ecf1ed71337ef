-- wrk script for bench/observe_submit.py: POSTs PHQ-9 encounters as a signed-in clinician.
-- Families come from BENCH_FAMILIES (comma-separated ids of one site); answers are random,
-- drawn as the Python client draws them (mostly low scores, the difficulty item when any
-- answer is above 0). Prints one JSON line with the figures at the end.
local path = os.getenv("BENCH_PATH")
local cookie = os.getenv("BENCH_COOKIE") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
local csrf_cookie = os.getenv("BENCH_CSRF_COOKIE") or csrf
local families = {}
for id in string.gmatch(os.getenv("BENCH_FAMILIES") or "1", "[^,]+") do
  table.insert(families, id)
end
local choices = {"0", "0", "0", "0", "1", "1", "2", "2", "3", "3"}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(tid * 7919)
  statuses = {}
  headers = {["Content-Type"] = "application/json", ["X-CSRFToken"] = csrf,
             ["Cookie"] = cookie .. "; csrftoken=" .. csrf_cookie}
end

function request()
  local answers, any = {}, false
  for n = 1, 9 do
    local value = choices[math.random(#choices)]
    if value ~= "0" then any = true end
    table.insert(answers, string.format('"phq9_%d":"%s"', n, value))
  end
  if any then
    table.insert(answers, string.format('"phq9_difficulty":"%d"', math.random(0, 2)))
  end
  local body = string.format('{"family":%s,"instrument":"phq-9","answers":{%s}}',
    families[math.random(#families)], table.concat(answers, ","))
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(totals) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"errors":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), table.concat(parts, ",")))
end
