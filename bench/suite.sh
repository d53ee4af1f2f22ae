#!/usr/bin/env bash
# The synthetic suite, N scenarios, run by grantspec, Hurl and the raw-HTTP floor against one
# standalone sandbox, in interleaved rounds; then hyperfine on the same commands.
# Usage: [BEFORE=old-binary] [HYPERFINE=0] bench/suite.sh [N=500] [RUNS=5] [JOBS=8] [HURL_JOBS=8]
source "$(dirname "$0")/lib.sh"
N="${1:-500}" RUNS="${2:-5}" JOBS="${3:-8}" HURL_JOBS="${4:-$JOBS}"
build
python3 "$BENCH/gen.py" "$N" "$WORK/n$N"
start_sandbox 18080
trap 'stop $SANDBOX_PID' EXIT
write_env
export BENCH_APP_SECRET="$CLIENT_SECRET"
META="$(curl -s "$ISSUER/.well-known/openid-configuration")"
TOKEN_EP="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token_endpoint"])' <<<"$META")"
INTRO_EP="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["introspection_endpoint"])' <<<"$META")"

GS="$GRANTSPEC test $WORK/n$N/scenarios --env $WORK/bench-env.yaml --jobs $JOBS --report-dir $WORK/reports-$N"
HU="$HURL --test --jobs $HURL_JOBS --variable issuer=$ISSUER --variable token_endpoint=$TOKEN_EP \
--variable introspection_endpoint=$INTRO_EP --variable client_id=$CLIENT_ID \
--secret client_secret=$CLIENT_SECRET $WORK/n$N/hurl/*.hurl"
FL="$FLOOR $ISSUER $CLIENT_ID $CLIENT_SECRET $N $JOBS"

echo "# N=$N runs=$RUNS jobs=$JOBS hurl-jobs=$HURL_JOBS $(date -u +%FT%TZ)"
echo "grantspec: $GS"
echo "hurl:      ${HU//$CLIENT_SECRET/SECRET}"
echo "floor:     ${FL//$CLIENT_SECRET/SECRET}"
# grantspec also fetches discovery and the JWKS once before the first scenario (2 requests).
# BEFORE=path/to/an/older/grantspec adds it as a fourth command, to measure a change.
EXTRA=()
[[ -n "${BEFORE:-}" ]] && EXTRA+=("grantspec-before=$BEFORE ${GS#"$GRANTSPEC "}")
python3 "$BENCH/measure.py" --runs "$RUNS" --requests "$((3 * N))" \
  "grantspec=$GS" "hurl=$HU" "floor=$FL" "${EXTRA[@]}"
if [[ "${HYPERFINE:-1}" == 1 ]]; then
  hyperfine --style basic --runs "$RUNS" --warmup 1 \
    --export-markdown "$WORK/hyperfine-$N.md" \
    -n grantspec "$GS" -n hurl "$HU" -n floor "$FL" 2>&1 | sed "s/$CLIENT_SECRET/SECRET/g"
fi
