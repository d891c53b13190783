"""Publishing for real: a folder copy, a gh-pages branch pushed to a bare repository, a preview server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from trangtin.cli.main import main

from ..htmlcheck import parse


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_deploy_to_a_folder_replaces_it_whole(network_copy, tmp_path, capsys):
    assert main(["--root", str(network_copy), "build", "mn-hoa-sen", "--jobs", "1"]) == 0
    target = tmp_path / "www" / "mn-hoa-sen"
    target.mkdir(parents=True)
    (target / "stale.html").write_text("old", encoding="utf-8")
    assert main(["--root", str(network_copy), "deploy", "mn-hoa-sen", "--to", str(target)]) == 0
    assert not (target / "stale.html").exists()
    assert parse(target / "index.html").get("lang") == "vi"
    assert sorted(p.name for p in target.parent.iterdir()) == ["mn-hoa-sen"]


def test_deploy_before_build_says_what_to_do(network_copy, tmp_path, capsys):
    assert main(["--root", str(network_copy), "deploy", "mn-hoa-sen", "--to", str(tmp_path / "x")]) == 1
    assert "chạy 'trangtin build <id>' trước khi đăng" in capsys.readouterr().err


def test_deploy_to_gh_pages_pushes_the_built_site(network_copy, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", str(remote))
    git(network_copy, "init", "-q")
    git(network_copy, "-c", "user.name=t", "-c", "user.email=t@example.edu.vn", "commit", "-q",
        "--allow-empty", "-m", "init")
    git(network_copy, "remote", "add", "origin", str(remote))
    assert main(["--root", str(network_copy), "build", "mn-hoa-sen", "--jobs", "1"]) == 0
    assert main(["--root", str(network_copy), "deploy", "mn-hoa-sen", "--gh-pages"]) == 0
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "index.html" in files and ".nojekyll" in files and "tin-tuc/index.html" in files


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_previews_a_site(network_copy):
    port = free_port()
    command = [sys.executable, "-m", "trangtin.cli", "--root", str(network_copy), "serve",
               "mn-hoa-sen", "--addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = b""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    body = answer.read()
                break
            except OSError:
                time.sleep(0.5)
        assert "Trường Mầm non Hoa Sen".encode() in body
    finally:
        server.terminate()
        printed, _ = server.communicate(timeout=30)
    assert f"Xem trước mn-hoa-sen tại http://127.0.0.1:{port}/ — nhấn Ctrl+C để dừng" in printed.decode()
