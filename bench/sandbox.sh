#!/usr/bin/env bash
# The sandbox under load (issue 3 "Speed"): wrk at 32 connections on loopback against
# `grantspec serve` and panva's oidc-provider, one after the other in the same run, for
# discovery, client_credentials with Basic and introspection; then a 60-second
# client_credentials run against the sandbox with its RSS sampled every 5 seconds.
# Usage: bench/sandbox.sh [SECONDS=10] [CONNECTIONS=32] [SOAK_SECONDS=60]
source "$(dirname "$0")/lib.sh"
SECS="${1:-10}" CONNS="${2:-32}" SOAK="${3:-60}"
build
echo "# $(date -u +%FT%TZ) wrk -t2 -c$CONNS -d${SECS}s --latency; $(nproc) cores"

load() { # load NAME URL [BODY AUTH]
  local name="$1" url="$2"
  if [[ $# -gt 2 ]]; then
    BENCH_BODY="$3" BENCH_AUTH="$4" wrk -t2 -c"$CONNS" -d"${SECS}s" --latency \
      -s "$BENCH/post.lua" "$url" >"$WORK/wrk.out"
  else
    wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$url" >"$WORK/wrk.out"
  fi
  awk -v n="$name" '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    /non-2xx or socket errors/ {err=$NF}
    END {printf "| %s | %s | %s | %s | %s |\n", n, rps, p50, p99, err}' "$WORK/wrk.out"
}

endpoints() { # endpoints SERVER_NAME ISSUER ID SECRET
  local meta token intro auth at
  meta="$(curl -s "$2/.well-known/openid-configuration")"
  token="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token_endpoint"])' <<<"$meta")"
  intro="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["introspection_endpoint"])' <<<"$meta")"
  auth="Basic $(printf '%s:%s' "$3" "$4" | base64 -w0)"
  at="$(curl -s -u "$3:$4" -d grant_type=client_credentials -d scope=PersonneConsult "$token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  load "$1 discovery" "$2/.well-known/openid-configuration"
  load "$1 client_credentials (Basic)" "$token" "grant_type=client_credentials&scope=PersonneConsult" "$auth"
  load "$1 introspection" "$intro" "token=$at" "$auth"
}

echo "| server, endpoint | requests/s | p50 | p99 | errors |"
echo "|---|---:|---:|---:|---:|"
start_sandbox 18090
endpoints "grantspec sandbox" "$ISSUER" "$CLIENT_ID" "$CLIENT_SECRET"
stop "$SANDBOX_PID"

OP_SECRET="bench-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
(cd "$BENCH/oidc-provider" && exec node server.js 18091 bench-client "$OP_SECRET") \
  >"$WORK/oidc-provider.log" 2>&1 &
OP_PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18091/.well-known/openid-configuration >/dev/null && break; sleep 0.1; done
endpoints "oidc-provider $(node -p 'require("./bench/oidc-provider/node_modules/oidc-provider/package.json").version' 2>/dev/null || true)" \
  http://127.0.0.1:18091 bench-client "$OP_SECRET"
stop "$OP_PID"

if ((SOAK > 0)); then
  start_sandbox 18092
  auth="Basic $(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w0)"
  echo
  echo "memory of grantspec serve under client_credentials load, ${SOAK}s (RSS, MB, every 5 s):"
  BENCH_BODY="grant_type=client_credentials&scope=PersonneConsult" BENCH_AUTH="$auth" \
    wrk -t2 -c"$CONNS" -d"${SOAK}s" --latency -s "$BENCH/post.lua" "$ISSUER/token" >"$WORK/soak.out" &
  WRK_PID=$!
  samples=""
  while kill -0 "$WRK_PID" 2>/dev/null; do
    samples+="$(($(ps -o rss= -p "$SANDBOX_PID") / 1024)) "
    sleep 5
  done
  echo "$samples"
  grep -E 'Requests/sec|^ +(50|99)%' "$WORK/soak.out"
  stop "$SANDBOX_PID"
fi
