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
