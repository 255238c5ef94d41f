#!/usr/bin/env bash
# Makes sure what the test suite needs beyond node_modules is on this machine:
# Go (to build the embedded FerretDB) and Chromium (for the web chat browser test).
set -euo pipefail

if ! command -v go >/dev/null 2>&1; then
  echo "Go is needed to build the embedded FerretDB (tools/ferretdb). Install Go 1.24+ or set TEST_MONGODB_URI." >&2
  [ -n "${TEST_MONGODB_URI:-}" ] || exit 1
fi

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the web chat browser test (once)…"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
