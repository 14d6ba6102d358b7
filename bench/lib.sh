# Shared by bench/run.sh and bench/governance/run.sh (sourced, not run): a temp dir whose processes are stopped on
# exit, free ports, waiting for a 200, and the fake provider — nginx serving a realistic OpenAI chat completion and
# its streamed form as static files — plus the wrk scripts that POST to it.
# The sourcing script sets BENCH_NAME (for messages) and NGINX before calling these.

# bench_tmp prefix: makes $TMP, and stops everything added to PIDS (and removes $TMP) on exit.
bench_tmp() {
  TMP=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http url: waits (at most 5 s) until GET url answers 200.
wait_http() {
  local url=$1 i
  for ((i = 0; i < 100; i++)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]] && return 0
    sleep 0.05
  done
  echo "$BENCH_NAME: $url never answered 200" >&2
  return 1
}

# ---- fake provider bodies: a realistic OpenAI chat completion, and its streamed form ----
COMPLETION_JSON='{"id":"chatcmpl-BENCH0001","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today? I can answer questions, write code, or summarise documents.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":21,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench00001"}'
sse_body() {
  local head='"id":"chatcmpl-BENCH0002","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench00001"'
  local words=(Hello "!" " How" " can" " I" " help" " you" " today" "?" " I" " can" " answer" " questions" "," " write"
    " code" " or" " summarise" " documents" ".")
  printf 'data: {%s,"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n' "$head"
  local w
  for w in "${words[@]}"; do
    printf 'data: {%s,"choices":[{"index":0,"delta":{"content":"%s"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n' "$head" "$w"
  done
  printf 'data: {%s,"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n' "$head"
  printf 'data: {%s,"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":21,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n' "$head"
  printf 'data: [DONE]\n\n'
}

# nginx_conf dir workers servers: a whole config for an instance that keeps its files in dir.
nginx_conf() {
  [[ $(id -u) == 0 ]] && echo "user $(id -un);" # as root, workers would otherwise drop to nobody
  cat <<EOF
worker_processes $2;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  # cllama never closes a keep-alive connection after N requests; neither does the reference.
  keepalive_requests 100000000;
$3
}
EOF
}

# start_nginx dir: runs the instance configured in dir/nginx.conf; its pid is the last in PIDS.
start_nginx() {
  "$NGINX" -e "$1/error.log" -p "$1" -c "$1/nginx.conf" -g 'daemon off;' &
  PIDS+=($!)
}

# start_fake_provider dir port workers: the fake provider on port, serving /json/v1/... and /sse/v1/....
start_fake_provider() {
  local dir=$1 port=$2
  mkdir -p "$dir/www/json/v1/chat" "$dir/www/sse/v1/chat"
  printf '%s' "$COMPLETION_JSON" >"$dir/www/json/v1/chat/completions"
  sse_body >"$dir/www/sse/v1/chat/completions"
  nginx_conf "$dir" "$3" "$(
    cat <<EOF
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    open_file_cache max=16;
    # Static files refuse POST with 405; error_page turns that into a 200 GET of the same file.
    location /json/v1/ { default_type application/json; error_page 405 =200 \$uri; }
    location /sse/v1/ { default_type text/event-stream; error_page 405 =200 \$uri; }
  }
EOF
  )" >"$dir/nginx.conf"
  start_nginx "$dir"
}

# lua_script file model stream token: a wrk script POSTing one chat request (streamed with usage when stream=true).
lua_script() {
  local stream=""
  [[ $3 == true ]] && stream=',"stream":true,"stream_options":{"include_usage":true}'
  cat >"$1" <<EOF
wrk.method = "POST"
wrk.body = '{"model":"$2","messages":[{"role":"user","content":"hi"}]$stream}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $4"
EOF
}
