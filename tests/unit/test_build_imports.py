"""What ``trangtin build`` loads: not the HTTP client, the feed parser, the report or the
preview server, which only aggregating, reporting and previewing use (~0.1 s of every build)."""

from __future__ import annotations

import subprocess
import sys


def test_a_build_imports_no_http_client_feed_parser_report_or_server() -> None:
    code = ("import sys, trangtin.cli.main, trangtin.site.plugin, trangtin.site.build\n"
            "print(' '.join(sorted(m for m in ('httpx', 'httpcore', 'feedparser', 'openpyxl', "
            "'trangtin.report.export', 'http.server') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def test_fetching_still_works_with_its_imports_deferred() -> None:
    from trangtin.feeds.fetch import FetchPolicy, make_client

    with make_client(FetchPolicy()) as client:
        assert type(client._transport).__name__ == "DeadlineTransport"
