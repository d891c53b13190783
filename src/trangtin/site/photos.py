"""The photos of one site: which files to process, and what the site publishes instead.

No MkDocs here: the plugin turns a ``PhotoPlan`` into MkDocs files. Each photo of a
published post (and each cover) is processed; its original is never published — the
plugin serves the largest processed JPEG at the URL the original would have had links to.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trangtin.common import text
from trangtin.common.diagnostics import Diagnostic
from trangtin.content.posts import Post
from trangtin.photos import pipeline
from trangtin.photos.markup import Photo, Source, asset_uri, public_url


@dataclass(frozen=True)
class PublishedPhoto:
    """A processed original: the picture for pages, the files to publish (URL, cache path)."""

    photo: Photo
    main: tuple[str, Path]
    extra: tuple[tuple[str, Path], ...]


@dataclass
class PhotoPlan:
    """For each original (by path from the unit's folder): its publication, or None if broken."""

    originals: dict[str, PublishedPhoto | None] = field(default_factory=dict)
    covers: dict[str, Photo] = field(default_factory=dict)
    og_images: dict[str, Source] = field(default_factory=dict)
    og_files: list[tuple[str, Path]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def cover_of(self, post: Post) -> Photo | None:
        return self.covers.get(post.src_uri)

    def og_image_of(self, post: Post) -> Source | None:
        return self.og_images.get(post.src_uri)


def plan_photos(posts: Iterable[Post], unit_id: str, content_dir: Path,
                cache: pipeline.ImageCache, workers: int | None = None,
                page_images: Iterable[str] = (), photos: Collection[str] | None = None) -> PhotoPlan:
    """Process the photos and covers of the given (published) posts.

    ``photos`` are the files judged to be photos by their content (default: by their name);
    ``page_images`` are the other photos of the site (section pages, shared folders): they
    get the same treatment, so no page can publish a photo's GPS position either.
    """
    posts = list(posts)
    is_photo = (lambda uri: uri in photos) if photos is not None else pipeline.is_image
    users = _users(posts, is_photo)
    for uri in page_images:
        users.setdefault(uri, "")
    jobs = {uri: _job(content_dir, unit_id, uri, pipeline.PHOTO) for uri in users}
    cover_jobs = {p.src_uri: _job(content_dir, unit_id, asset_uri(p.src_uri, p.cover or ""),
                                  pipeline.OPEN_GRAPH) for p in posts if _has_photo_cover(p, is_photo)}
    outcomes = pipeline.process_many([*jobs.values(), *cover_jobs.values()], cache, workers)
    plan = PhotoPlan()
    for uri, job in jobs.items():
        used_by = f" (ảnh trong bài content/{unit_id}/{users[uri]})" if users[uri] else ""
        plan.originals[uri] = _publish(uri, outcomes[job], used_by, plan)
    for post in posts:
        _add_cover(plan, post, cover_jobs.get(post.src_uri), outcomes)
    plan.diagnostics = [dataclasses.replace(d, unit=unit_id) for d in plan.diagnostics]
    return plan


def _job(content_dir: Path, unit_id: str, uri: str, profile: pipeline.Profile) -> pipeline.Job:
    return pipeline.Job(_on_disk(content_dir / uri), f"content/{unit_id}/{uri}", profile)


def _on_disk(path: Path) -> Path:
    """The file as named on disk: macOS writes names in NFD, posts refer to them in NFC."""
    if path.exists() or not path.parent.is_dir():
        return path
    wanted = text.nfc(path.name)
    return next((c for c in path.parent.iterdir() if text.nfc(c.name) == wanted), path)


def _users(posts: list[Post], is_photo: Callable[[str], bool]) -> dict[str, str]:
    """Every photo of the posts, with the first post that shows it (for messages)."""
    found: dict[str, str] = {}
    for post in posts:
        for uri in post.assets:
            if is_photo(uri):
                found.setdefault(uri, post.src_uri)
    return found


def _has_photo_cover(post: Post, is_photo: Callable[[str], bool]) -> bool:
    return bool(post.cover) and is_photo(asset_uri(post.src_uri, post.cover or ""))


def _publish(uri: str, outcome: pipeline.Outcome, used_by: str,
             plan: PhotoPlan) -> PublishedPhoto | None:
    if isinstance(outcome, Diagnostic):
        plan.diagnostics.append(dataclasses.replace(
            outcome, message=f"{outcome.message}{used_by}; ảnh đã bị bỏ qua"))
        return None
    stem = posixpath.splitext(posixpath.basename(uri))[0]
    files = [(public_url(outcome.key, stem, v.width, v.extension), v) for v in outcome.variants]
    photo = Photo(tuple(Source(url, v.width, v.height, v.format) for url, v in files))
    main = next((url, v.path) for url, v in files if v == outcome.largest)
    extra = tuple((url, v.path) for url, v in files if v != outcome.largest)
    return PublishedPhoto(photo, main, extra)


def _add_cover(plan: PhotoPlan, post: Post, job: pipeline.Job | None,
               outcomes: dict[pipeline.Job, pipeline.Outcome]) -> None:
    if job is None or not post.cover:
        return
    published = plan.originals.get(asset_uri(post.src_uri, post.cover))
    if published is not None:
        plan.covers[post.src_uri] = published.photo
    outcome = outcomes[job]
    if isinstance(outcome, pipeline.Processed):
        variant = outcome.largest
        stem = posixpath.splitext(posixpath.basename(job.source.name))[0]
        url = public_url(outcome.key, stem, variant.width, variant.extension, suffix="og")
        plan.og_images[post.src_uri] = Source(url, variant.width, variant.height, "jpeg")
        plan.og_files.append((url, variant.path))


# --- pictures of other units' items, fetched when aggregating -----------------------------

# Words every unit name shares: the initials come from what tells units apart.
_COMMON_WORDS = frozenset({"trường", "mầm", "non", "tiểu", "học", "trung", "cơ", "sở", "phổ",
                           "thông", "th", "thcs", "thpt", "mn", "ubnd", "xã", "phường", "phòng",
                           "gdđt", "giáo", "dục", "và", "đào", "tạo", "–", "-"})


def initials(name: str) -> str:
    """Two letters for a unit's placeholder: "Trường Tiểu học Sông Lam" → "SL"."""
    words = [w for w in name.split() if w.lower() not in _COMMON_WORDS] or name.split()
    return "".join(w[0] for w in words[-2:]).upper() or "?"


def plan_remote_pictures(stored: dict[str, Path | None], cache: pipeline.ImageCache,
                         workers: int | None = None) -> tuple[
                             dict[str, PublishedPhoto | None], list[Diagnostic]]:
    """Process the pictures a portal fetched (URL → the bytes kept, None if never fetched).

    Returns each URL's publication (None: show a placeholder) and the problems met."""
    jobs = {url: pipeline.Job(path, url, pipeline.PHOTO)
            for url, path in stored.items() if path is not None}
    outcomes = pipeline.process_many(jobs.values(), cache, workers)
    plan = PhotoPlan()
    published: dict[str, PublishedPhoto | None] = dict.fromkeys(stored)
    for url, job in jobs.items():
        name = posixpath.basename(url.split("?", 1)[0]) or "anh"
        published[url] = _publish(name, outcomes[job], "", plan)
    return published, plan.diagnostics
