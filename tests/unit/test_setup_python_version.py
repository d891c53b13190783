"""scripts/setup.sh checks the Python version before installing anything, in Vietnamese.

The script runs from a copy in a temporary project folder (so no real ``.venv`` is touched);
an old interpreter is a small executable answering the version question the way Python 3.10
would.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

SETUP = Path(__file__).resolve().parents[2] / "scripts" / "setup.sh"
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(BASH is None, reason="bash is needed to run scripts/setup.sh")


def project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir(parents=True)
    shutil.copy(SETUP, tmp_path / "scripts" / "setup.sh")
    return tmp_path


def old_python(folder: Path, name: str = "python3", version: str = "3.10") -> Path:
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text(f'#!/bin/sh\necho "{version}"\n', encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def run_setup(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BASH), str(root / "scripts" / "setup.sh"), *args],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


def test_an_old_python_is_refused_in_vietnamese_before_anything_is_installed(
        tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    python = old_python(tmp_path / "bin")
    done = run_setup(root, PYTHON=str(python))
    assert done.returncode == 1
    message = done.stderr
    assert "trangtin cần Python 3.11 trở lên" in message
    assert f"{python} là Python 3.10" in message
    assert "sudo apt install python3.11 python3.11-venv" in message
    assert "deadsnakes" in message and "Windows" in message
    assert "requires a different Python" not in message + done.stdout
    assert not (root / ".venv").exists()


def test_a_missing_python_is_named(tmp_path: Path) -> None:
    root = project(tmp_path)
    done = run_setup(root, "--check", PYTHON=str(tmp_path / "khong-co-python"))
    assert done.returncode == 1
    assert "không tìm thấy Python" in done.stderr


def test_a_newer_python_beside_an_old_python3_is_chosen(tmp_path: Path) -> None:
    """Ubuntu 22.04 with python3.11 installed: ``python3`` is 3.10, ``python3.11`` is used."""
    root = project(tmp_path / "project")
    bin_dir = tmp_path / "bin"
    old_python(bin_dir)
    (bin_dir / "python3.11").symlink_to(sys.executable)
    path = os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")])
    done = run_setup(root, "--check", PATH=path, PYTHON="")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"Dùng python3\.1[1-9] \(Python 3\.1[1-9]\)\.", done.stdout.strip())
    assert not (root / ".venv").exists()


def test_an_unknown_option_is_explained(tmp_path: Path) -> None:
    done = run_setup(project(tmp_path), "--bogus")
    assert done.returncode == 2
    assert "không hiểu '--bogus'" in done.stderr
