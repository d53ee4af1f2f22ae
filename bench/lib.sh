# Shared by the bench scripts: paths, building, starting `grantspec serve` and reading the
# credentials of its `app_basic` client from what it prints.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
WORK="$BENCH/work"
GRANTSPEC="$ROOT/target/release/grantspec"
FLOOR="$ROOT/target/release/grantspec-bench-floor"
HURL="$BENCH/.tools/bin/hurl"
mkdir -p "$WORK"

build() {
  (cd "$ROOT" && cargo build --release --quiet)
  (cd "$BENCH/floor" && CARGO_TARGET_DIR="$ROOT/target" cargo build --release --quiet)
}

# start_sandbox PORT: starts `grantspec serve` on 127.0.0.1:PORT; sets SANDBOX_PID, ISSUER,
# CLIENT_ID, CLIENT_SECRET (app_basic: client_secret_basic, consumer-style opaque tokens).
start_sandbox() {
  local port="$1" log="$WORK/serve-$1.log"
  "$GRANTSPEC" serve --addr "127.0.0.1:$port" >"$log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 100); do grep -q 'app_basic' "$log" 2>/dev/null && break; sleep 0.05; done
  ISSUER="$(awk '/issuer:/ {print $2; exit}' "$log")"
  # `app_basic client_id=… auth=… client_secret=…`: read the fields by name, not position.
  CLIENT_ID="$(grep -m1 ' app_basic ' "$log" | grep -o 'client_id=[^ ]*' | cut -d= -f2)"
  CLIENT_SECRET="$(grep -m1 ' app_basic ' "$log" | grep -o 'client_secret=[^ ]*' | cut -d= -f2)"
  [[ -n "$ISSUER" && -n "$CLIENT_SECRET" ]] || { cat "$log"; exit 1; }
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# The grantspec environment for the running sandbox: the secret comes from the process
# environment (BENCH_APP_SECRET), as it would for a real server.
write_env() {
  cat >"$WORK/bench-env.yaml" <<YAML
issuer: $ISSUER
profile: generic
secrets:
  app_secret: { env: BENCH_APP_SECRET }
clients:
  app_basic: { client_id: $CLIENT_ID, client_secret: app_secret }
YAML
}
