#!/usr/bin/env bash
# Quick start, part 1: set up, then build the whole sample network into public/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The school hosted elsewhere (th-song-lam) is served on 127.0.0.1:8765 during the build.
.venv/bin/python scripts/demo_remote/serve.py -- .venv/bin/trangtin build "$@"
# The portal's "Thống kê tin bài" in short: this school year and the sample's (2025-2026).
.venv/bin/python scripts/demo_report.py
echo "Xem kết quả: chạy .venv/bin/trangtin preview rồi mở địa chỉ lệnh đó in ra (http://127.0.0.1:8000/)."
echo "Thống kê tin bài (thi đua): public/xa-an-binh/thong-ke/ — bao-cao.xlsx, bao-cao.json, bao-cao.csv."
