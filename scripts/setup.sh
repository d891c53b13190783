#!/usr/bin/env bash
# Create .venv (if missing) and install trangtin. Safe to run again.
#   bash scripts/setup.sh           what the sites need (the demo, building, publishing)
#   bash scripts/setup.sh --test    the same plus the test tools (pytest, ruff, mypy, lxml…)
#   bash scripts/setup.sh --check   only say which Python would be used
# PYTHON=/path/to/python3.12 picks the interpreter; otherwise the first of python3,
# python3.13, python3.12, python3.11 that is 3.11 or newer.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
check_only=false
case "${1:-}" in
  "") ;;
  --test) extras="[test]" ;;
  --check) check_only=true ;;
  *) echo "scripts/setup.sh: lỗi: không hiểu '$1' — dùng: bash scripts/setup.sh [--test|--check]" >&2
     exit 2 ;;
esac

python_version() {  # "3.11" or nothing when $1 is not a working Python
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

is_recent() {  # $1 like "3.11": true when 3.11 or newer
  local major=${1%%.*} minor=${1#*.}
  [ -n "$1" ] && { [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 11 ]; }; }
}

explain_old_python() {
  cat >&2 <<EOF
scripts/setup.sh: lỗi: trangtin cần Python 3.11 trở lên; $1 — cài một Python mới hơn rồi chạy lại:
  • Ubuntu 22.04 (Python 3.10 mặc định): sudo apt install python3.11 python3.11-venv
    (hoặc Python 3.12/3.13 từ PPA deadsnakes: sudo add-apt-repository ppa:deadsnakes/ppa,
    rồi sudo apt install python3.12 python3.12-venv). Không cần gỡ Python 3.10.
  • Ubuntu 24.04, Debian 12 trở lên: sudo apt install python3 python3-venv
  • Windows: cài Python 3.12 từ https://www.python.org/downloads/ (hoặc winget install
    Python.Python.3.12), rồi chạy lệnh trong Git Bash hoặc WSL.
  • Python ở chỗ khác: PYTHON=/đường/dẫn/python3.12 bash scripts/setup.sh
EOF
  exit 1
}

find_python() {  # prints the interpreter to use, or explains what was found and stops
  local candidates found="" name version
  if [ -n "${PYTHON:-}" ]; then candidates=("$PYTHON"); else
    candidates=(python3 python3.13 python3.12 python3.11); fi
  for name in "${candidates[@]}"; do
    command -v "$name" >/dev/null 2>&1 || continue
    version=$(python_version "$name")
    if is_recent "$version"; then echo "$name"; return; fi
    [ -n "$version" ] && found="${found:+$found, }$name là Python $version"
  done
  explain_old_python "${found:-không tìm thấy Python (${candidates[*]})}"
}

ensure_venv_module() {  # Debian and Ubuntu ship venv/ensurepip as a separate package
  "$1" -c 'import venv, ensurepip' 2>/dev/null && return
  echo "scripts/setup.sh: lỗi: $1 (Python $2) thiếu mô-đun venv — cài bằng: sudo apt install" \
       "python$2-venv, rồi chạy lại" >&2
  exit 1
}

if [ -x .venv/bin/python ] && ! is_recent "$(python_version .venv/bin/python)"; then
  echo "Thư mục .venv được tạo bằng Python $(python_version .venv/bin/python) (cần 3.11+): tạo lại." >&2
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  python=$(find_python)
  version=$(python_version "$python")
  if $check_only; then echo "Dùng $python (Python $version)."; exit 0; fi
  ensure_venv_module "$python" "$version"
  echo "Tạo .venv bằng $python (Python $version)…"
  "$python" -m venv .venv
elif $check_only; then
  echo "Dùng .venv/bin/python (Python $(python_version .venv/bin/python))."; exit 0
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".$extras"
