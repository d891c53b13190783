"""``trangtin deploy`` says (in Vietnamese) when the built site is older than what it is built from,
and still publishes the whole last build."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from trangtin.cli.main import main

UNIT = "mn-hoa-sen"
HINT = f"chạy 'trangtin build {UNIT}' rồi đăng lại"
STALE = re.compile(r"^(?P<path>\S+): cảnh báo: tệp được sửa lúc \d\d:\d\d \d\d/\d\d/\d{4}, sau lần xây "
                   r"dựng trang lúc \d\d:\d\d \d\d/\d\d/\d{4}: trang được đăng chưa có thay đổi này — "
                   + re.escape(HINT) + "$")


def deploy(root: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Deploy into ``target``; the files the warnings name."""
    assert main(["--root", str(root), "deploy", UNIT, "--to", str(target)]) == 0
    err = capsys.readouterr().err
    assert (target / "index.html").is_file(), "the site is published all the same"
    named = [m.group("path") for line in err.splitlines() if (m := STALE.match(line))]
    assert len(named) == len([line for line in err.splitlines() if ": cảnh báo: " in line]), err
    return named


def edit(path: Path, addition: str) -> bytes:
    before = path.read_bytes()
    path.write_bytes(before + addition.encode("utf-8"))
    return before


def test_deploy_warns_when_content_config_or_network_changed_after_the_build(network_copy, tmp_path, capsys):
    assert main(["--root", str(network_copy), "build", UNIT, "--jobs", "1"]) == 0
    capsys.readouterr()
    target = tmp_path / "www"
    assert deploy(network_copy, target, capsys) == []
    built_at = (network_copy / "public" / UNIT / "index.html").stat().st_mtime_ns

    post = next((network_copy / "content" / UNIT / "posts").rglob("*.md"))
    before = edit(post, "\nThêm một đoạn sau khi xây dựng.\n")
    assert deploy(network_copy, target, capsys) == [post.relative_to(network_copy).as_posix()]
    post.write_bytes(before)  # saved again unchanged: newer on the disk, the same as built
    assert deploy(network_copy, target, capsys) == []
    os.utime(post, ns=(built_at, built_at))  # the build cache judges the whole site at once

    config = network_copy / "sites" / UNIT / "mkdocs.yml"
    before = edit(config, "# sửa sau khi xây dựng\n")
    assert deploy(network_copy, target, capsys) == [f"sites/{UNIT}/mkdocs.yml"]
    config.write_bytes(before)
    os.utime(config, ns=(built_at, built_at))

    edit(network_copy / "network.yml", "# sửa sau khi xây dựng\n")
    assert deploy(network_copy, target, capsys) == ["network.yml"]
    assert main(["--root", str(network_copy), "build", UNIT, "--jobs", "1"]) == 0
    capsys.readouterr()
    assert deploy(network_copy, target, capsys) == []


def test_deploy_names_the_five_newest_files_and_counts_the_others(network_copy, tmp_path, capsys):
    assert main(["--root", str(network_copy), "build", UNIT, "--jobs", "1"]) == 0
    capsys.readouterr()
    posts = sorted((network_copy / "content" / UNIT / "posts").rglob("*.md"))
    assert len(posts) > 5
    for post in posts:
        edit(post, "\nĐã sửa.\n")
    newest = posts[0]
    edit(newest, "Sửa lần nữa.\n")
    assert main(["--root", str(network_copy), "deploy", UNIT, "--to", str(tmp_path / "www")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"[{UNIT}]"
    warned = [line for line in lines if ": cảnh báo: " in line]
    assert len(warned) == 6
    shown = {m.group("path") for line in warned if (m := STALE.match(line))}
    assert shown == {p.relative_to(network_copy).as_posix() for p in [newest, *posts[-4:]]}
    assert warned[0] == (f"content/{UNIT}: cảnh báo: và {len(posts) - 5} tệp khác cũng được sửa sau lần "
                          f"xây dựng đó — {HINT}")
