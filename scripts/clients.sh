#!/usr/bin/env bash
# The client checks: real tools judge the sample network (Nu HTML checker, axe-core in
# Chromium, Lighthouse mobile, a Playwright reader). Installs what they need, then runs
# `pytest -m clients`. Extra arguments go to pytest (e.g. -k lighthouse).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
    "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || bash scripts/setup.sh
.venv/bin/python -m pip install --quiet -e ".[test,clients]"

# Pinned by tests/clients/package-lock.json; no install scripts (nothing is downloaded
# besides the packages: Chromium is Debian's, vnu.jar ships inside its package).
(cd tests/clients && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)

echo "== client checks"
.venv/bin/python -m pytest -m clients -rs "$@" tests/clients
