#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs (Python packages and
# Debian's Chromium for the browser tests), then runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's Chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

echo "== installing Python packages"
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt

echo "== running tests"
exec python3 -m pytest "$@"
