#!/usr/bin/env bash
# Start-up and static checking: `grantspec --version`, `grantspec validate` of the bundled suite
# (embedded sandbox environment: nothing is started by validate) and of 1,000 generated files.
# Usage: bench/startup.sh [RUNS=20]
source "$(dirname "$0")/lib.sh"
RUNS="${1:-20}"
build
python3 "$BENCH/gen.py" 1000 "$WORK/n1000"
cat >"$WORK/validate-env.yaml" <<YAML
issuer: https://as.example
profile: generic
secrets:
  app_secret: { env: BENCH_APP_SECRET }
clients:
  app_basic: { client_id: bench, client_secret: app_secret }
YAML
export BENCH_APP_SECRET=unused-by-validate
cd "$ROOT"
hyperfine --style basic --warmup 3 --runs "$RUNS" -N \
  --export-markdown "$WORK/startup.md" \
  -n 'grantspec --version' "$GRANTSPEC --version" \
  -n 'validate bundled suite' "$GRANTSPEC validate" \
  -n 'validate 1,000 files' "$GRANTSPEC validate $WORK/n1000/scenarios --env $WORK/validate-env.yaml"
/usr/bin/time -f 'validate 1,000 files: %e s wall, %U s user, %S s sys, %M KB peak RSS' \
  "$GRANTSPEC" validate "$WORK/n1000/scenarios" --env "$WORK/validate-env.yaml" >/dev/null

# The embedded sandbox: from spawning `grantspec serve` to its first answer (discovery over
# loopback), and to its JWKS (which waits for the RSA keys generated in the background), median
# of RUNS. The same server `issuer: embedded` starts inside a run.
python3 - "$GRANTSPEC" "$RUNS" <<'PY'
import json, statistics, subprocess, sys, time, urllib.request
binary, runs = sys.argv[1], int(sys.argv[2])
ready, answered, keys = [], [], []
for _ in range(runs):
    start = time.perf_counter()
    serve = subprocess.Popen([binary, "serve", "--addr", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    issuer = None
    for line in serve.stdout:
        if line.strip().startswith("issuer:"):
            issuer = line.split()[1]
            break
    ready.append(time.perf_counter() - start)
    with urllib.request.urlopen(issuer + "/.well-known/openid-configuration") as r:
        jwks_uri = json.load(r)["jwks_uri"]
    answered.append(time.perf_counter() - start)
    with urllib.request.urlopen(jwks_uri) as r:
        json.load(r)
    keys.append(time.perf_counter() - start)
    serve.terminate()
    serve.wait()
ms = lambda xs: f"{1000 * statistics.median(xs):.1f} ms"
print(f"embedded sandbox: listening after {ms(ready)}, first discovery answered after {ms(answered)}, JWKS (keys generated) after {ms(keys)} (median of {runs}, process spawn included)")
PY
