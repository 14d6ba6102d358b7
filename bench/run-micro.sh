#!/usr/bin/env bash
# Micro-benchmarks (BenchmarkDotNet, short job): usage tap, usage-only chunk filter, HTTP head parser.
# BenchmarkDotNet's own artifacts go to bench/results/tmp/micro (ignored by git); the GitHub-markdown reports are
# collected into bench/results/micro.md. Extra arguments go to BenchmarkDotNet (e.g. --filter '*Tap*').
# In-process: building BenchmarkDotNet's child project on a busy 2-core box overran its 2-minute build timeout,
# and these benchmarks measure steady-state library code, which the host process runs just as well.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
artifacts=bench/results/tmp/micro
rm -rf "$artifacts"
dotnet run -c Release --project bench/Cllama.Bench -- --filter '*' --job short --inProcess --exporters github \
  --artifacts "$artifacts" "$@"

out=bench/results/micro.md
{
  echo "# Micro-benchmarks"
  echo
  echo "\`bench/run-micro.sh\` (BenchmarkDotNet short job), $(date -u +%Y-%m-%d). Per-event rows divide by the"
  echo "200 events of one stream (OperationsPerInvoke), so their Allocated column is bytes per event."
  echo "Load average before / after the run: $load_before / $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores;"
  echo "timings from a shared machine are only comparable with each other, allocations are exact."
  for report in "$artifacts"/results/*-report-github.md; do
    echo
    echo "## $(basename "$report" -report-github.md)"
    echo
    cat "$report"
  done
} >"$out"
echo "wrote $out"
