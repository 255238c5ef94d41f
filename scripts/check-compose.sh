#!/usr/bin/env bash
# Validates docker-compose.yml as Compose reads it, with .env.example and placeholder secrets as the .env (no Docker engine is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null; then
  echo "docker-compose is not installed (Debian: apt-get install docker-compose)" >&2
  exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp docker-compose.yml "$dir/"
cp -r deploy "$dir/"
{ cat .env.example; printf 'PUBLIC_HOST=bot.example.vn\nMONGO_ROOT_PASSWORD=placeholder\nTELEGRAM_WEBHOOK_SECRET=placeholder\n'; } > "$dir/.env"
(cd "$dir" && docker-compose -f docker-compose.yml config -q)
echo "docker-compose.yml: valid"
