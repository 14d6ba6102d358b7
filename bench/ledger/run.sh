#!/usr/bin/env bash
# Ledger benchmarks: durable append throughput (1, 8, 64 writers) and start-up with 1,000,000 recorded requests,
# in-process and for the published binary when dist/cllama-passthrough exists. Writes bench/results/ledger.md.
# Knobs: LEDGER_BENCH_RECORDS (1000000), LEDGER_BENCH_SECONDS (5), LEDGER_BENCH_DIR (a dir on the disk to measure;
# default bench/results/.ledger-tmp, i.e. the repository's disk, not a tmpfs).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p bench/results
dir=${LEDGER_BENCH_DIR:-$PWD/bench/results/.ledger-tmp}
mkdir -p "$dir"
trap 'rm -rf "$PWD/bench/results/.ledger-tmp"' EXIT
binary_args=()
[[ -x dist/cllama-passthrough ]] && binary_args=(--binary dist/cllama-passthrough)
dotnet run -c Release --project bench/ledger/LedgerBench.csproj -- \
  --out bench/results/ledger.md --records "${LEDGER_BENCH_RECORDS:-1000000}" --seconds "${LEDGER_BENCH_SECONDS:-5}" \
  --dir "$dir" "${binary_args[@]}"
cat bench/results/ledger.md
