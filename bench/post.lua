-- wrk: POST a fixed form body with a fixed Authorization header, both from the environment
-- (BENCH_AUTH, BENCH_BODY), set by bench/sandbox.sh.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")

-- Counts non-2xx answers so that a run of errors is not mistaken for throughput.
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d\n",
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
