"""Publishing a built site: into a folder (atomically) or to a gh-pages branch (ghp-import).

Before publishing, :func:`stale_sources` names what changed after the build: the post a teacher
just wrote is not online until the site is built again. The site is still published (the
command only warns): what is in ``public/<unit>/`` is a whole, good build, and it may be the last
good one on purpose, when the newest content does not build yet.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from trangtin.common.dates import short_date
from trangtin.common.diagnostics import Diagnostic, TrangtinError, error, warning
from trangtin.network.model import Network
from trangtin.site import cache

SHOWN_STALE_FILES = 5


def _require_built(built: Path) -> None:
    if not (built / "index.html").is_file():
        raise TrangtinError([error(str(built), None, "chưa có trang đã xây dựng ở đây",
                                   "chạy 'trangtin build <id>' trước khi đăng")])


def deploy_to_folder(built: Path, target: Path) -> None:
    """Copy ``built`` into ``target``, replacing it only once the copy is complete."""
    _require_built(built)
    target = target.resolve()
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}")
    shutil.copytree(built, staging)
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def deploy_gh_pages(built: Path, repo: Path, remote: str, branch: str, push: bool) -> None:
    """Commit ``built`` to ``branch`` of the repository at ``repo`` with ghp-import."""
    from ghp_import import GhpError, ghp_import

    _require_built(built)
    cwd = Path.cwd()
    try:
        os.chdir(repo)
        ghp_import(str(built), mesg=f"Cập nhật trang {built.name}", remote=remote,
                   branch=branch, push=push, nojekyll=True)
    except GhpError as exc:
        raise TrangtinError([error(str(built), None, f"không đăng được lên {branch} ({exc.message})",
                                   "kiểm tra git remote và quyền đẩy (push)")]) from None
    finally:
        os.chdir(cwd)


def stale_sources(network: Network, unit_id: str, built: Path) -> list[Path]:
    """The files of the unit changed after ``built`` was built, newest first.

    A file only touched (saved again, checked out) is not counted when the build cache says
    that nothing the site reads has changed since its last build (that build then kept the
    older output, which is why its files look old).
    """
    if not (built / "index.html").is_file():
        return []
    built_at = (built / "index.html").stat().st_mtime_ns
    newer = [path for path in _sources(network, unit_id) if path.stat().st_mtime_ns > built_at]
    if newer and _unchanged_since_build(network.root, unit_id, built):
        return []
    return sorted(newer, key=lambda path: -path.stat().st_mtime_ns)


def _sources(network: Network, unit_id: str) -> list[Path]:
    config_file = network.config_file(unit_id)
    content = network.content_dir(unit_id)
    files = [path for path in content.rglob("*") if path.is_file()] if content.is_dir() else []
    return [network.path, *([config_file] if config_file else []), *files]


def _unchanged_since_build(root: Path, unit_id: str, built: Path) -> bool:
    return any(cache.reusable_site(root, unit_id, built, cache.site_fingerprint(root, unit_id, strict))
               for strict in (True, False))


def stale_warnings(network: Network, unit_id: str, built: Path) -> list[Diagnostic]:
    """One warning per file newer than the build (the newest few), in Vietnamese."""
    stale = stale_sources(network, unit_id, built)
    if not stale:
        return []
    built_at = dt.datetime.fromtimestamp((built / "index.html").stat().st_mtime, network.timezone)
    found = [_stale_warning(network, unit_id, path, built_at) for path in stale[:SHOWN_STALE_FILES]]
    if len(stale) > SHOWN_STALE_FILES:
        found.append(warning(f"content/{unit_id}", None,
                             f"và {len(stale) - SHOWN_STALE_FILES} tệp khác cũng được sửa sau lần "
                             "xây dựng đó", f"chạy 'trangtin build {unit_id}' rồi đăng lại"))
    return [Diagnostic(d.path, d.line, d.severity, d.message, d.hint, unit_id) for d in found]


def _stale_warning(network: Network, unit_id: str, path: Path, built_at: dt.datetime) -> Diagnostic:
    changed = dt.datetime.fromtimestamp(path.stat().st_mtime, network.timezone)
    return warning(path.relative_to(network.root).as_posix(), None,
                   f"tệp được sửa lúc {_moment(changed)}, sau lần xây dựng trang lúc "
                   f"{_moment(built_at)}: trang được đăng chưa có thay đổi này",
                   f"chạy 'trangtin build {unit_id}' rồi đăng lại")


def _moment(value: dt.datetime) -> str:
    return f"{value:%H:%M} {short_date(value)}"
