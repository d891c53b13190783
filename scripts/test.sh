#!/usr/bin/env bash
# Quick start, part 2: set up with the test tools, then run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/python -m pytest -q "$@"
