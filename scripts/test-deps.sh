#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, idempotently (CI runs on a fresh machine as root):
#   - Debian's chromium (/usr/bin/chromium) and Node.js with npm, for the dashboard browser tests;
#   - playwright-core (pinned in Cllama.Tests/Dashboard/Browser/package-lock.json) into that folder's node_modules.
# playwright-core never downloads a browser: the tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test-deps: missing ${need[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
  echo "test-deps: installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

browser_dir=Cllama.Tests/Dashboard/Browser
stamp="$browser_dir/node_modules/.package-lock.json"
if [[ ! -f "$stamp" || "$browser_dir/package-lock.json" -nt "$stamp" ]]; then
  echo "test-deps: installing $browser_dir node modules"
  npm ci --prefix "$browser_dir" --no-audit --no-fund --loglevel=error >/dev/null
fi
