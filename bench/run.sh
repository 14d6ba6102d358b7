#!/usr/bin/env bash
# Benchmarks dist/cllama-passthrough against references measured in the same run (the machine is small, shared
# and noisy, so results are ratios): ./build.sh bench publishes the binary, then runs this.
#   1. GET /health throughput and p99 at 50 connections, against nginx answering the same body.
#   2. Binary size, and start-up time to the first /health 200 (median of BENCH_STARTS starts).
#   3. POST /v1/chat/completions (JSON and SSE) through cllama, through nginx proxy_pass, and direct, against a
#      fake provider served by nginx. Skipped while the proxy answers 404.
# Writes bench/results/latest.md and latest.json. Loopback only; every process started here is stopped on exit.
# Knobs: BENCH_ROUNDS (3), BENCH_DURATION (10s, health), BENCH_PROXY_DURATION (5s), BENCH_STARTS (10),
#        BENCH_NGINX_WORKERS (auto).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/dist/cllama-passthrough
RESULTS=$ROOT/bench/results
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
PROXY_DURATION=${BENCH_PROXY_DURATION:-5s}
WARMUP=2s
STARTS=${BENCH_STARTS:-10}
# Both servers may use every core: cllama's thread pool spreads over both, so nginx gets one worker per core too.
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-auto}
WRK_ARGS=(-t2 -c50 --latency --timeout 5s)
SECRET=s3cr3t-bench-token
CLK_TCK=$(getconf CLK_TCK)
PROVIDER_KEY=sk-bench-0000000000

[[ -x $BIN ]] || { echo "bench: $BIN missing; run ./build.sh bench" >&2; exit 1; }

ensure_tools() {
  local missing=()
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  ((${#missing[@]} == 0)) && return
  [[ $(id -u) == 0 ]] || { echo "bench: need ${missing[*]} (apt-get install as root)" >&2; exit 1; }
  echo "bench: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
ensure_tools
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

BENCH_NAME=bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_tmp cllama-bench

# ---- nginx: the reference (/health, proxy_pass) and the fake provider, as two instances so that each one's CPU
# time can be read on its own ----
REF_PORT=$(free_port)
FAKE_PORT=$(free_port)
mkdir -p "$TMP/ref"
start_fake_provider "$TMP/fake" "$FAKE_PORT" "$NGINX_WORKERS"
FAKE_PID=${PIDS[-1]}
nginx_conf "$TMP/ref" "$NGINX_WORKERS" "$(
  cat <<EOF
  upstream fake { server 127.0.0.1:$FAKE_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$REF_PORT;
    location = /health { default_type application/json; return 200 '{"ok":true}'; }
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Authorization "Bearer $PROVIDER_KEY";
    location /json/v1/ { proxy_pass http://fake; }
    location /sse/v1/ { proxy_pass http://fake; proxy_buffering off; }
  }
EOF
)" >"$TMP/ref/nginx.conf"
start_nginx "$TMP/ref"
REF_PID=${PIDS[-1]}

# ---- cllama: one agent, two providers pointing at the fake provider ----
API_PORT=$(free_port)
UI_PORT=$(free_port)
mkdir -p "$TMP/context/bench" "$TMP/auth" "$TMP/state"
printf '{"token":"bench:%s","pod":"bench","service":"bench","type":"bench"}\n' "$SECRET" >"$TMP/context/bench/metadata.json"
cat >"$TMP/auth/providers.json" <<EOF
{"providers":{
  "fakejson":{"base_url":"http://127.0.0.1:$FAKE_PORT/json/v1","api_key":"$PROVIDER_KEY","auth":"bearer"},
  "fakesse":{"base_url":"http://127.0.0.1:$FAKE_PORT/sse/v1","api_key":"$PROVIDER_KEY","auth":"bearer"}}}
EOF
chmod 600 "$TMP/auth/providers.json" # it holds (fake) keys; cllama warns about anything laxer
export CLAW_CONTEXT_ROOT=$TMP/context CLAW_AUTH_DIR=$TMP/auth CLAW_STATE_DIR=$TMP/state
LISTEN_ADDR=127.0.0.1:$API_PORT UI_ADDR=127.0.0.1:$UI_PORT "$BIN" >/dev/null 2>"$TMP/cllama.err" &
PIDS+=($!)
CLLAMA_PID=$!

wait_http "http://127.0.0.1:$REF_PORT/health"
wait_http "http://127.0.0.1:$API_PORT/health"

RECORDS=$TMP/records.tsv
: >"$RECORDS"

# cpu_ticks server: user+system clock ticks used so far by a server's processes (all threads; nginx's workers too).
cpu_ticks() {
  local pids
  case $1 in
    cllama) pids=$CLLAMA_PID ;;
    ref) pids="$REF_PID $(pgrep -P "$REF_PID" | tr '\n' ' ')" ;;
    fake) pids="$FAKE_PID $(pgrep -P "$FAKE_PID" | tr '\n' ' ')" ;;
  esac
  # shellcheck disable=SC2086 # a list of pids
  (cd /proc && cat $(printf '%s/stat ' $pids)) | awk '{t += $14 + $15} END {print t}'
}

# wrk_run bench target server round duration url [lua]: one measured run, recorded for report.py with the CPU
# seconds the server spent on it (less sensitive to a noisy neighbour than requests/s).
wrk_run() {
  local bench=$1 target=$2 server=$3 round=$4 duration=$5 url=$6 lua=${7:-}
  local out=$TMP/wrk-$bench-$target-$round.txt before after cpu
  before=$(cpu_ticks "$server")
  wrk "${WRK_ARGS[@]}" -d"$duration" ${lua:+-s "$lua"} "$url" >"$out"
  after=$(cpu_ticks "$server")
  cpu=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t / hz}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$bench" "$target" "$round" "$out" "$cpu" >>"$RECORDS"
  printf '  %-12s %-12s round %s: %10s req/s, p99 %8s, server CPU %5ss\n' "$bench" "$target" "$round" \
    "$(awk '/^Requests\/sec:/{print $2}' "$out")" "$(awk '$1=="99%"{print $2}' "$out")" "$cpu"
}

warm() { # url [lua]
  wrk "${WRK_ARGS[@]}" -d"$WARMUP" ${2:+-s "$2"} "$1" >/dev/null
}

# run_bench bench duration "target server url [lua]" ...: warm each target once, then ROUNDS rounds, rotating the
# order so that no target always runs first (or right after the same neighbour).
run_bench() {
  local bench=$1 duration=$2
  shift 2
  local specs=("$@") n=$# r i spec target server url lua
  for spec in "${specs[@]}"; do
    read -r _ _ url lua <<<"$spec"
    warm "$url" "$lua"
  done
  for ((r = 1; r <= ROUNDS; r++)); do
    for ((i = 0; i < n; i++)); do
      read -r target server url lua <<<"${specs[(i + r - 1) % n]}"
      wrk_run "$bench" "$target" "$server" "$r" "$duration" "$url" "$lua"
    done
  done
}

echo "== 1. /health throughput (nginx worker_processes $NGINX_WORKERS)"
run_bench health "$DURATION" \
  "cllama cllama http://127.0.0.1:$API_PORT/health" \
  "nginx ref http://127.0.0.1:$REF_PORT/health"

echo "== 2. binary size and start-up"
gcc -O2 -o "$TMP/startprobe" bench/startprobe.c
# Its own state dir: the ledger takes an exclusive lock, and the cllama under test above still holds $TMP/state.
mkdir -p "$TMP/state-probe"
CLAW_STATE_DIR="$TMP/state-probe" "$TMP/startprobe" "$STARTS" "$BIN" >"$TMP/startup.txt"
awk '{printf "  start %2d: %7.1f ms to the first 200 (%5.1f ms on CPU, %6.1f ms waiting for one)\n", NR, $1, $2, $3}' \
  "$TMP/startup.txt"

echo "== 3. proxy"
lua_script "$TMP/cllama-json.lua" fakejson/gpt-4o-mini false "bench:$SECRET"
lua_script "$TMP/cllama-sse.lua" fakesse/gpt-4o-mini true "bench:$SECRET"
lua_script "$TMP/plain-json.lua" gpt-4o-mini false "bench:$SECRET"
lua_script "$TMP/plain-sse.lua" gpt-4o-mini true "bench:$SECRET"

# probe model stream: the status of one request through cllama; the body lands in $TMP/probe.out.
probe() {
  local stream=""
  [[ $2 == true ]] && stream=',"stream":true,"stream_options":{"include_usage":true}'
  curl -s -o "$TMP/probe.out" -w '%{http_code}' --max-time 10 -X POST \
    -H "Authorization: Bearer bench:$SECRET" -H 'Content-Type: application/json' \
    --data "{\"model\":\"$1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]$stream}" \
    "http://127.0.0.1:$API_PORT/v1/chat/completions" || true
}

PROXY_STATUS=ok
PROXY_MESSAGE=""
json_status=$(probe fakejson/gpt-4o-mini false)
if [[ $json_status == 404 ]]; then
  PROXY_STATUS=not_available
  PROXY_MESSAGE="proxy not available yet (POST /v1/chat/completions answers 404)"
elif [[ $json_status != 200 ]] || ! grep -q '"usage"' "$TMP/probe.out"; then
  PROXY_STATUS=error
  PROXY_MESSAGE="JSON request through cllama answered HTTP $json_status: $(head -c 300 "$TMP/probe.out")"
else
  sse_status=$(probe fakesse/gpt-4o-mini true)
  if [[ $sse_status != 200 ]] || ! grep -q '^data: \[DONE\]' "$TMP/probe.out"; then
    PROXY_STATUS=error
    PROXY_MESSAGE="SSE request through cllama answered HTTP $sse_status without a [DONE] event: $(head -c 300 "$TMP/probe.out")"
  fi
fi
if [[ $PROXY_STATUS == ok ]]; then
  run_bench proxy-json "$PROXY_DURATION" \
    "cllama cllama http://127.0.0.1:$API_PORT/v1/chat/completions $TMP/cllama-json.lua" \
    "nginx-proxy ref http://127.0.0.1:$REF_PORT/json/v1/chat/completions $TMP/plain-json.lua" \
    "direct fake http://127.0.0.1:$FAKE_PORT/json/v1/chat/completions $TMP/plain-json.lua"
  run_bench proxy-sse "$PROXY_DURATION" \
    "cllama cllama http://127.0.0.1:$API_PORT/v1/chat/completions $TMP/cllama-sse.lua" \
    "nginx-proxy ref http://127.0.0.1:$REF_PORT/sse/v1/chat/completions $TMP/plain-sse.lua" \
    "direct fake http://127.0.0.1:$FAKE_PORT/sse/v1/chat/completions $TMP/plain-sse.lua"
else
  echo "  skipped: $PROXY_MESSAGE"
  if [[ $PROXY_STATUS == error ]]; then
    tail -n 20 "$TMP/cllama.err" | sed 's/^/  cllama stderr: /'
  fi
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# Earlier results are not what was measured: only changes elsewhere make the build dirty.
if [[ -n $(git status --porcelain --untracked-files=no -- . ':!bench/results' 2>/dev/null) ]]; then
  commit+="-dirty"
fi
export BENCH_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) BENCH_COMMIT=$commit BENCH_NPROC=$(nproc)
export BENCH_CPU=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo) BENCH_KERNEL=$(uname -r)
export BENCH_WRK_ARGS="wrk ${WRK_ARGS[*]}" BENCH_ROUNDS=$ROUNDS BENCH_DURATION=$DURATION
export BENCH_PROXY_DURATION=$PROXY_DURATION BENCH_NGINX_WORKERS=$NGINX_WORKERS
export BENCH_NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
export BENCH_BINARY_BYTES=$(stat -c %s "$BIN") BENCH_STARTUP_FILE=$TMP/startup.txt
export BENCH_PROXY_STATUS=$PROXY_STATUS BENCH_PROXY_MESSAGE=$PROXY_MESSAGE
echo
python3 bench/report.py "$RECORDS" "$RESULTS"
[[ $PROXY_STATUS != error ]]
