"""Aggregation of many remote feeds: a run where every feed answers 304 reuses the kept
copies without rewriting (or even re-encoding) them, and gives the same items and bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from trangtin.aggregate import collect
from trangtin.aggregate.collect import RemoteCache, aggregate, load_items, state_dir
from trangtin.feeds.fetch import FetchPolicy
from trangtin.network.model import Network, load_network

SCHOOLS = 30
ITEMS = 5
POLICY = FetchPolicy(timeout=2, total_timeout=5, retries=0, concurrency=4)


def feed(base: str, unit: str) -> bytes:
    items = [{"id": f"urn:trangtin:{unit}:posts/{n}", "url": f"{base}tin-tuc/{n}/",
              "title": f"Tin {n} của {unit}", "content_html": f"<p>Nội dung {n}</p>",
              "date_published": f"2026-03-{n + 1:02d}T07:30:00+07:00",
              "_trangtin": {"unit": unit}} for n in range(ITEMS)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": unit,
                       "items": items}, ensure_ascii=False).encode()


def serve(server: HTTPServer, statuses: list[int], root: Path) -> Network:
    """SCHOOLS feeds with ETags on one loopback server (every answer's status recorded),
    and the network reading them."""
    def answer(request: Request) -> Response:
        unit = request.path.split("/")[1]
        etag = f'"{unit}-v1"'
        if request.headers.get("If-None-Match") == etag:
            statuses.append(304)
            return Response(status=304, headers={"ETag": etag})
        statuses.append(200)
        return Response(feed(server.url_for(f"/{unit}/"), unit),
                        content_type="application/feed+json", headers={"ETag": etag})

    lines = ["units:", "  - {id: xa, name: Xã Thử, type: xa}"]
    for n in range(SCHOOLS):
        unit = f"truong-{n:02d}"
        server.expect_request(f"/{unit}/feed.json").respond_with_handler(answer)
        lines.append(f"  - {{id: {unit}, name: Trường {n}, type: truong, parent: xa, "
                     f"feed: '{server.url_for(f'/{unit}/feed.json')}'}}")
    (root / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_network(root / "network.yml")


def test_a_run_where_every_feed_answers_304_rewrites_nothing(
        tmp_path: Path, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    statuses: list[int] = []
    network = serve(server, statuses, tmp_path)

    aggregate(network, policy=POLICY)
    files = sorted(state_dir(network).rglob("*.json"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    first_items = load_items(network, "xa")

    saved: list[str] = []
    real_save = RemoteCache.save

    def counting_save(self: RemoteCache, network: Network) -> None:
        saved.append(self.unit)
        real_save(self, network)

    monkeypatch.setattr(collect.RemoteCache, "save", counting_save)
    [result] = aggregate(network, policy=POLICY)

    assert statuses == [200] * SCHOOLS + [304] * SCHOOLS
    assert all(s.ok and s.not_modified for s in result.sources)
    assert saved == []  # the kept copies are neither re-encoded nor rewritten
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    assert sorted(state_dir(network).rglob("*.json")) == files
    assert len(first_items) == SCHOOLS * ITEMS
    assert [i.id for i in load_items(network, "xa")] == [i.id for i in first_items]


def test_state_files_are_compact_json_that_reads_back(tmp_path: Path, server: HTTPServer) -> None:
    network = serve(server, [], tmp_path)
    [result] = aggregate(network, policy=POLICY)
    stored = (state_dir(network) / "aggregated" / "xa.json").read_text(encoding="utf-8")
    assert stored.count("\n") == 1 and "Tin 0 của truong-00" in stored
    assert load_items(network, "xa") == result.items
