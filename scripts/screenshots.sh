#!/usr/bin/env bash
# Refresh docs/screenshots/: the sample's school and portal pages at 390×844 and 1366×768,
# taken by the client check tests/clients/test_screenshots.py (Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
TRANGTIN_SCREENSHOTS="$PWD/docs/screenshots" bash scripts/clients.sh -k screenshots
