#!/usr/bin/env bash
# Install everything the tests need into .venv (and Debian's Chromium for the browser tests),
# then run the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -m venv .venv >/dev/null 2>&1; then
  apt-get update && apt-get install -y python3-venv && python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
if [ ! -x /usr/bin/chromium ]; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
exec .venv/bin/python -m pytest "$@"
