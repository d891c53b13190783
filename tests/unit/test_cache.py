"""Cache keys: what makes two inputs the same, and how long a kept site stays valid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trangtin.site.cache import digest, plain, site_fingerprint, tree_digest, valid_until

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_kept_site_expires_at_local_midnight() -> None:
    now = dt.datetime(2025, 9, 5, 21, 15, tzinfo=VN)
    assert valid_until(now, []) == dt.datetime(2025, 9, 6, 0, 0, tzinfo=VN).timestamp()


def test_a_kept_site_expires_when_a_scheduled_post_is_due() -> None:
    now = dt.datetime(2025, 9, 5, 7, 0, tzinfo=VN)
    due = dt.datetime(2025, 9, 5, 15, 30, tzinfo=VN)
    earlier = dt.datetime(2025, 9, 1, 8, 0, tzinfo=VN)
    assert valid_until(now, [earlier, due]) == due.timestamp()


def test_values_without_a_stable_picture_never_match() -> None:
    thing = object()
    assert plain([thing]) != plain([thing])
    assert plain({"a": [1, dt.date(2025, 9, 5)]}) == plain({"a": [1, dt.date(2025, 9, 5)]})


def test_digests_separate_their_parts() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("ab", "c") == digest("ab", "c")


def test_tree_digest_follows_content_and_names(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("một", encoding="utf-8")
    first = tree_digest(tmp_path, contents=True)
    (tmp_path / "a.md").write_text("hai", encoding="utf-8")
    second = tree_digest(tmp_path, contents=True)
    (tmp_path / "a.md").rename(tmp_path / "b.md")
    assert len({first, second, tree_digest(tmp_path, contents=True)}) == 3


def test_a_site_fingerprint_follows_content_and_the_environment_it_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "network.yml").write_text("units: []\n", encoding="utf-8")
    post = tmp_path / "content" / "truong" / "posts" / "2025" / "09" / "a.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: A\n---\nMột\n", encoding="utf-8")
    first = site_fingerprint(tmp_path, "truong", strict=True)
    assert site_fingerprint(tmp_path, "truong", strict=True) == first
    assert site_fingerprint(tmp_path, "truong", strict=False) != first
    post.write_text("---\ntitle: A\n---\nHai\n", encoding="utf-8")
    second = site_fingerprint(tmp_path, "truong", strict=True)
    assert second != first
    monkeypatch.setenv("TT_TEST_VALUE", "1")
    assert site_fingerprint(tmp_path, "truong", strict=True) == second, "no !ENV: not read"
    (tmp_path / "sites" / "truong").mkdir(parents=True)
    (tmp_path / "sites" / "truong" / "mkdocs.yml").write_text(
        "copyright: !ENV TT_TEST_VALUE\n", encoding="utf-8")
    third = site_fingerprint(tmp_path, "truong", strict=True)
    monkeypatch.setenv("TT_TEST_VALUE", "2")
    assert site_fingerprint(tmp_path, "truong", strict=True) != third
