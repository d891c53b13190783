"""Publishing a built site: into a folder (atomically) or to a gh-pages branch (ghp-import)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from trangtin.common.diagnostics import TrangtinError, error


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
