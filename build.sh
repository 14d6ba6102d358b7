#!/usr/bin/env bash
# Builds, tests and benchmarks cllama-passthrough.
#   ./build.sh         publish the Native AOT binary to dist/cllama-passthrough
#   ./build.sh test    every test: unit, raw-socket, SDK, browser, and the published AOT binary
#   ./build.sh bench   benchmarks; results land in bench/results/
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

publish() {
  dotnet publish Cllama.Daemon/Cllama.Daemon.csproj -c Release -o artifacts/publish --nologo -v quiet
  mkdir -p dist
  cp artifacts/publish/cllama-passthrough dist/cllama-passthrough
  echo "built dist/cllama-passthrough ($(stat -c %s dist/cllama-passthrough) bytes)"
}

run_tests() {
  publish
  scripts/test-deps.sh
  mkdir -p artifacts/test
  local log=artifacts/test/dotnet-test.log
  set +e
  CLLAMA_BINARY="$PWD/dist/cllama-passthrough" dotnet test Cllama.Tests/Cllama.Tests.csproj -c Release --nologo \
    --logger "console;verbosity=normal" --results-directory artifacts/test 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  # The runner's own summary ("Total tests / Passed / Failed / Skipped" with the normal console logger),
  # restated as the plain "N passed, N failed" line CI reads.
  local total passed failed skipped
  total=$(sed -nE 's/^ *Total tests: *([0-9]+).*/\1/p' "$log" | tail -1)
  passed=$(sed -nE 's/^ +Passed: *([0-9]+) *$/\1/p' "$log" | tail -1)
  failed=$(sed -nE 's/^ +Failed: *([0-9]+) *$/\1/p' "$log" | tail -1)
  skipped=$(sed -nE 's/^ +Skipped: *([0-9]+) *$/\1/p' "$log" | tail -1)
  if [[ -z "$total" ]]; then
    echo "test run produced no summary (exit $rc)"
    exit 1
  fi
  echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  if [[ $rc -ne 0 || "${failed:-0}" != 0 || "${passed:-0}" == 0 ]]; then
    echo "TESTS FAILED (exit $rc)"
    exit 1
  fi
}

case "${1:-build}" in
  build) publish ;;
  test) run_tests ;;
  bench) publish; bench/run.sh ;;
  *) echo "usage: ./build.sh [test|bench]" >&2; exit 2 ;;
esac
