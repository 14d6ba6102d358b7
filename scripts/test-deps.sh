#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, idempotently (CI runs on a fresh machine as root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test-deps: missing ${need[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
  echo "test-deps: installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
