#!/usr/bin/env bash
# The embedded FerretDB launcher's own spec (tools/ferretdb, Go). Skipped only
# where Go is absent, which is allowed when the suite runs on TEST_MONGODB_URI.
set -euo pipefail
cd "$(dirname "$0")/../tools/ferretdb"
if ! command -v go >/dev/null 2>&1; then
  echo "tools/ferretdb: Go not found, launcher spec skipped"
  exit 0
fi
go test ./...
