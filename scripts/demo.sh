#!/usr/bin/env bash
# Quick start, part 1: set up, then build the whole sample network into public/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/trangtin build "$@"
echo "Mở public/index.html hoặc public/<đơn-vị>/index.html trong trình duyệt."
