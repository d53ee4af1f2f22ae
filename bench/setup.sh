#!/usr/bin/env bash
# Installs the benchmark's tools: hyperfine and wrk (apt), Hurl (cargo, into bench/.tools),
# panva's oidc-provider (npm, pinned by bench/oidc-provider/package-lock.json).
# Not part of CI: benchmarks are run by hand (see bench/README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
HURL_VERSION="${HURL_VERSION:-8.0.1}"

need_apt=()
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
command -v wrk >/dev/null || need_apt+=(wrk)
command -v /usr/bin/time >/dev/null || need_apt+=(time)
dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || need_apt+=(libcurl4-openssl-dev)
dpkg -s libxml2-dev >/dev/null 2>&1 || need_apt+=(libxml2-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev) # bindgen, for libxml
if ((${#need_apt[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

if [[ ! -x "$here/.tools/bin/hurl" ]]; then
  cargo install hurl --version "$HURL_VERSION" --locked --root "$here/.tools"
fi

if [[ ! -d "$here/oidc-provider/node_modules" ]]; then
  (cd "$here/oidc-provider" && npm ci --no-audit --no-fund)
fi
