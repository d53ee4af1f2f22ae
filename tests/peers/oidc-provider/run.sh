#!/usr/bin/env bash
# Runs grantspec's bundled suite against panva's oidc-provider, started here on loopback.
#
#   tests/peers/oidc-provider/run.sh [EXTRA grantspec test ARGS...]
#
# Installs the pinned oidc-provider (package-lock.json) when needed, generates this run's
# secrets (the registration initial access token, the test user's password, the static
# client's secret), starts provider.js, waits for it to print its issuer, checks
# `grantspec apply`, `plan` and `destroy` against it, runs
# `grantspec test --env oidc-provider --ephemeral-fixtures` (fixtures registered through its
# RFC 7591 endpoint and deleted after), and stops the provider it started, and only that one.
# Exits with grantspec's exit code: 0 when nothing outside the environment's baseline failed.
#
# Environment: GRANTSPEC (the grantspec command; default `cargo run --quiet --locked --`),
# OIDC_PEER_REPORT_DIR (default reports/oidc-provider), OIDC_PEER_PORT (must match the issuer
# of environments/oidc-provider.yaml; default 3939).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

port="${OIDC_PEER_PORT:-3939}"
reports="${OIDC_PEER_REPORT_DIR:-reports/oidc-provider}"
read -r -a grantspec <<<"${GRANTSPEC:-cargo run --quiet --locked --}"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "run.sh: node and npm are needed (Node.js 18, 20 or 22)" >&2
  exit 2
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 18 ]; then
  echo "run.sh: Node.js $node_major is too old for oidc-provider 8 (18, 20 or 22)" >&2
  exit 2
fi

# npm ci only when node_modules does not hold exactly what the lock file pins.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.grantspec-lock" 2>/dev/null; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$here/node_modules/.grantspec-lock"
fi

secret() { node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("base64url"))'; }
OIDC_PEER_IAT="$(secret)"
OIDC_PEER_TOPSI_PASSWORD="$(secret)"
# Reserved characters that HTTP Basic must form-urlencode (RFC 6749 §2.3.1), all VSCHAR (App. A).
OIDC_PEER_RESERVED_SECRET="$(secret):/+ %&=~"
export OIDC_PEER_PORT="$port" OIDC_PEER_IAT OIDC_PEER_TOPSI_PASSWORD OIDC_PEER_RESERVED_SECRET

work="$(mktemp -d)"
provider_pid=""
stop() {
  if [ -n "$provider_pid" ] && kill -0 "$provider_pid" 2>/dev/null; then
    kill "$provider_pid" 2>/dev/null || true
    wait "$provider_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

node "$here/provider.js" >"$work/provider.log" 2>&1 &
provider_pid=$!

issuer=""
for _ in $(seq 1 100); do
  if ! kill -0 "$provider_pid" 2>/dev/null; then
    echo "run.sh: oidc-provider exited before it was ready:" >&2
    cat "$work/provider.log" >&2
    exit 3
  fi
  issuer="$(sed -n 's/^issuer: //p' "$work/provider.log")"
  [ -n "$issuer" ] && break
  sleep 0.1
done
if [ -z "$issuer" ]; then
  echo "run.sh: oidc-provider printed no issuer within 10 s:" >&2
  cat "$work/provider.log" >&2
  exit 3
fi
expected="$(sed -n 's/^issuer: *//p' environments/oidc-provider.yaml)"
if [ "$issuer" != "$expected" ]; then
  echo "run.sh: oidc-provider runs at $issuer but environments/oidc-provider.yaml says $expected" >&2
  exit 2
fi
echo "oidc-provider $(node -p 'require(process.argv[1]).version' "$here/node_modules/oidc-provider/package.json") ready at $issuer (pid $provider_pid)"

# The provisioning lifecycle on its own first: apply, a plan that must find nothing to do
# (RFC 7592 reads agree with what was registered), destroy.
lifecycle() {
  local status=0
  "${grantspec[@]}" "$@" --env oidc-provider --state-dir "$work/state" >"$work/lifecycle.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$work/lifecycle.log" >&2
    echo "run.sh: grantspec $* failed against oidc-provider (exit $status)" >&2
    exit 1
  fi
}
lifecycle apply --auto-approve
lifecycle plan --detailed-exitcode
lifecycle destroy --auto-approve
echo "grantspec apply, plan (no changes) and destroy: ok"

set +e
"${grantspec[@]}" test --env oidc-provider --ephemeral-fixtures \
  --state-dir "$work/state" \
  --snapshot-dir "$here/snapshots" \
  --report-dir "$reports" \
  "$@"
status=$?
set -e
cp "$work/provider.log" "$reports/provider.log" 2>/dev/null || true
exit "$status"
