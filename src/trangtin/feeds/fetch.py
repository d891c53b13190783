"""Fetching a feed over HTTP politely and within bounds.

Timeouts (per read, and one deadline for the whole fetch of a feed: every page, every
retry and its backoff — enforced on each socket operation, so a server that sends one byte
a second cannot stretch it), retries with exponential backoff on network errors and 5xx/429,
a cap on the *decompressed* size (the body is inflated here, chunk by chunk, with a bounded
output — a gzip bomb stops at the cap instead of filling the memory), conditional GET
(``If-None-Match`` / ``If-Modified-Since``: a 304 transfers no body) and a User-Agent that says who is asking.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trangtin import __version__

if TYPE_CHECKING:  # httpx is imported when a client is made: a build that fetches nothing skips it
    import httpx

USER_AGENT = f"trangtin/{__version__} (+https://pypi.org/project/trangtin/; school portal feed reader)"
ACCEPT = ("application/feed+json, application/json;q=0.9, application/atom+xml, "
          "application/rss+xml;q=0.9, application/xml;q=0.8, */*;q=0.1")
_RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 10.0          # seconds, for connecting and for each read
    total_timeout: float = 30.0    # seconds for the whole fetch of one feed (pages, retries)
    max_bytes: int = 5_000_000     # after decompression
    retries: int = 2               # extra attempts after the first
    backoff: float = 0.5           # seconds, doubled at each retry
    concurrency: int = 4           # feeds fetched at the same time
    max_pages: int = 50            # archive pages followed per feed
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        found = {}
        if self.etag:
            found["If-None-Match"] = self.etag
        if self.last_modified:
            found["If-Modified-Since"] = self.last_modified
        return found


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int                    # 200, or 304 when the copy we have is still good
    body: bytes
    content_type: str
    validators: Validators
    attempts: int


class FetchFailed(Exception):
    """Why a feed could not be fetched; message and hint are Vietnamese."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


class _Retryable(Exception):
    pass


# --- the deadline, honoured by every socket operation --------------------------------------

_deadline = threading.local()  # each feed is fetched by one thread: its deadline is that thread's


@contextlib.contextmanager
def deadline_in(seconds: float) -> Iterator[float]:
    """Within the block, this thread's connections give up ``seconds`` from now."""
    previous = getattr(_deadline, "at", None)
    _deadline.at = time.monotonic() + seconds
    try:
        yield _deadline.at
    finally:
        _deadline.at = previous


def left_before_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    """The shorter of ``timeout`` and the time left before this thread's deadline."""
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise expired("deadline of the whole fetch reached")
    return left if timeout is None else min(timeout, left)



# --- fetching ---------------------------------------------------------------------------------

def make_client(policy: FetchPolicy) -> httpx.Client:
    import httpx

    from trangtin.feeds.transport import DeadlineTransport

    limits = httpx.Limits(max_connections=policy.concurrency * 2)
    return httpx.Client(
        timeout=httpx.Timeout(policy.timeout), follow_redirects=True, max_redirects=5,
        headers={"User-Agent": policy.user_agent, "Accept": ACCEPT,
                 "Accept-Encoding": "gzip, deflate"},
        transport=DeadlineTransport(limits),
    )


def fetch(client: httpx.Client, url: str, validators: Validators,
          policy: FetchPolicy) -> Fetched:
    """GET ``url``; retries transient failures, raises FetchFailed with a Vietnamese reason.

    Within a ``deadline_in`` block, retries and their backoff stop at the deadline too.
    """
    last: Exception | None = None
    for attempt in range(policy.retries + 1):
        if attempt:
            pause = policy.backoff * 2 ** (attempt - 1)
            if not _time_for(pause):
                break
            time.sleep(pause)
        try:
            return _attempt(client, url, validators, policy, attempt + 1)
        except _Retryable as exc:
            last = exc
        if not _time_for(0):
            raise FetchFailed(f"quá thời gian chờ {policy.total_timeout:g} giây cho cả nguồn tin "
                              f"({last})", "máy chủ của đơn vị trả lời quá chậm; kiểm tra máy "
                              "chủ hoặc tăng --timeout") from None
    raise FetchFailed(f"không tải được sau {attempt + 1} lần thử ({last})",
                      "kiểm tra địa chỉ 'feed:' trong network.yml và máy chủ của đơn vị")


def _time_for(seconds: float) -> bool:
    """Whether this thread's deadline leaves more than ``seconds``."""
    at = getattr(_deadline, "at", None)
    return at is None or at - time.monotonic() > seconds


def _attempt(client: httpx.Client, url: str, validators: Validators, policy: FetchPolicy,
             attempt: int) -> Fetched:
    import httpx

    try:
        with client.stream("GET", url, headers=validators.headers()) as response:
            if response.status_code in _RETRY_STATUS:
                raise _Retryable(f"máy chủ trả về mã {response.status_code}")
            if response.status_code == 304:
                return Fetched(url, 304, b"", "", validators, attempt)
            if response.status_code != 200:
                raise FetchFailed(f"máy chủ trả về mã {response.status_code}",
                                  "kiểm tra lại địa chỉ 'feed:' trong network.yml")
            body = _read_bounded(response, policy)
            return Fetched(str(response.url), 200, body,
                           response.headers.get("content-type", ""),
                           Validators(response.headers.get("etag"),
                                      response.headers.get("last-modified")), attempt)
    except httpx.TimeoutException:
        raise _Retryable(f"quá thời gian chờ {policy.timeout:g} giây") from None
    except httpx.TransportError as exc:
        raise _Retryable(f"lỗi kết nối: {exc}") from None


def _read_bounded(response: httpx.Response, policy: FetchPolicy) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise _too_large(policy)
    inflater = _inflater(response.headers.get("content-encoding", "identity"))
    deadline = time.monotonic() + policy.total_timeout
    chunks: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        if time.monotonic() > deadline:
            raise _Retryable(f"tải quá {policy.total_timeout:g} giây")
        data = _inflate(inflater, raw, policy.max_bytes - size)
        size += len(data)
        chunks.append(data)
    if inflater is not None:
        chunks.append(_inflate(inflater, b"", policy.max_bytes - size, final=True))
    return b"".join(chunks)


def _inflater(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    raise FetchFailed(f"máy chủ nén dữ liệu bằng '{encoding}' không được hỗ trợ",
                      "máy chủ cần trả dữ liệu không nén hoặc nén gzip")


def _inflate(inflater: zlib._Decompress | None, data: bytes, room: int,
             final: bool = False) -> bytes:
    """At most ``room`` bytes out; more than that means the body is over the cap."""
    if inflater is None:
        if len(data) > room:
            raise _too_large_for(room)
        return data
    try:
        out = inflater.flush(room + 1) if final else inflater.decompress(data, room + 1)
    except zlib.error as exc:
        raise FetchFailed(f"dữ liệu nén bị hỏng ({exc})", "kiểm tra máy chủ của đơn vị") from None
    if len(out) > room or inflater.unconsumed_tail:
        raise _too_large_for(room)
    return out


def _too_large(policy: FetchPolicy) -> FetchFailed:
    return FetchFailed(f"nguồn tin lớn hơn giới hạn {policy.max_bytes:,} byte",
                       "đơn vị nên chia nguồn tin thành nhiều trang (next_url / prev-archive)")


def _too_large_for(room: int) -> FetchFailed:
    return FetchFailed("nguồn tin lớn hơn giới hạn cho phép (sau khi giải nén)",
                       "đơn vị nên chia nguồn tin thành nhiều trang (next_url / prev-archive)")
