#!/usr/bin/env bash
# Fuzzes the scenario, environment and fixtures loaders with libFuzzer (cargo-fuzz), each for
# SECONDS (default 120), seeded with the bundled files. Not part of CI's default path.
#
#   fuzz/run.sh [SECONDS]
#
# cargo-fuzz needs nightly flags; stable rustc accepts them with RUSTC_BOOTSTRAP=1. A crash
# leaves its input in fuzz/artifacts/<target>/: copy it to fuzz/regressions/<target>/, where
# `cargo test --test fuzz_regressions` replays it, and fix the loader.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-120}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/scenario corpus/environment corpus/fixtures
cp ../scenarios/*.yaml corpus/scenario/
cp ../environments/*.yaml corpus/environment/
cp ../fixtures.yaml corpus/fixtures/
for target in scenario environment fixtures; do
  echo "==> $target for ${seconds}s"
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 \
    | grep -E '^(#[0-9]+ +(DONE|pulse)|Done|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)' || true
done
