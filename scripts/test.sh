#!/usr/bin/env bash
# Install everything the tests need (Python packages into .venv, Debian and npm packages),
# then run the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -m venv .venv >/dev/null 2>&1; then
  apt-get update && apt-get install -y python3-venv && python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# Debian packages the tests need when missing: Chromium for the browser tests (Playwright's own
# browser download cannot work here), Node.js/npm to install axe-core and the Nu HTML Checker,
# and a Java runtime to run the checker.
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v npm >/dev/null || missing="$missing nodejs npm"
command -v java >/dev/null || missing="$missing default-jre-headless"
if [ -n "$missing" ]; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
exec .venv/bin/python -m pytest "$@"
