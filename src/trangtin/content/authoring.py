"""``trangtin new``: a new post file with a commented front-matter template, ready to fill in.

The file is ``content/<unit>/posts/<yyyy>/<mm>/<slug>.md``, dated now in the network's time
zone (Asia/Ho_Chi_Minh), with the unit's tổ and the network's categories listed in comments.
It starts as a draft (``draft: true``) so a half-written post is never published by accident.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trangtin.common import dates, text, weeks
from trangtin.common.diagnostics import Diagnostic, InternalError, TrangtinError, error
from trangtin.content.posts import POSTS_DIR
from trangtin.network.model import Network, Unit
from trangtin.network.suggest import category_hint, did_you_mean, find_category, find_team, team_hint

GUIDE = "docs/huong-dan-viet-bai.md"


@dataclass(frozen=True)
class NewPost:
    """What was created: where, and what a teacher should do next."""

    path: Path
    display: str
    unit: Unit


def new_post(network: Network, unit_id: str, title: str, team: str | None = None,
             category: str | None = None, date: str | None = None,
             now: dt.datetime | None = None) -> NewPost:
    """Create the post file; raise TrangtinError (in Vietnamese) when anything is wrong."""
    unit = _writable_unit(network, unit_id)
    problems: list[Diagnostic] = []
    title = text.nfc(title).strip()
    slug = text.slugify(title)
    if not slug:
        problems.append(error("(dòng lệnh)", None, f"tiêu đề '{title}' không dùng được để đặt tên tệp",
                              "viết tiêu đề có chữ hoặc số, ví dụ: \"Lễ khai giảng năm học 2025–2026\""))
    team_name = _team_name(network, unit, team, problems)
    category_name = _category(network, category, problems)
    when = _when(network, date, now, problems)
    if problems:
        raise TrangtinError(problems)
    assert when is not None
    path = network.content_dir(unit.id) / POSTS_DIR / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"
    display = path.relative_to(network.root).as_posix()
    try:
        _write_new(path, display, render_template(network, unit, title, when, team_name, category_name))
    except TrangtinError:
        raise
    except Exception as exc:  # a bug: say so, and which file was being written
        raise InternalError(display, exc) from exc
    return NewPost(path, display, unit)


def _writable_unit(network: Network, unit_id: str) -> Unit:
    unit = network.units.get(unit_id)
    if unit is None:
        guess = did_you_mean(unit_id, sorted(network.units))
        hint = f"có phải ý bạn là '{guess}'?" if guess else "xem danh sách id trong network.yml"
        raise TrangtinError([error("network.yml", None, f"không có đơn vị '{unit_id}'", hint)])
    if unit.type == "to":
        school = network.units.get(unit.parent or "")
        school_id = school.id if school else "<trường>"
        raise TrangtinError([error("network.yml", unit.line, f"'{unit_id}' là một tổ chuyên môn, không có trang riêng",
                                   f"viết bài cho trường kèm tên tổ: trangtin new {school_id} \"Tiêu đề\" "
                                   f"--to \"{unit.name}\"")])
    if network.config_file(unit.id) is None:
        where = "lấy tin qua feed từ trang riêng" if unit.is_remote else "không được xây dựng trang ở đây"
        raise TrangtinError([error("network.yml", unit.line, f"đơn vị '{unit_id}' {where}",
                                   "viết bài trên trang của chính đơn vị đó")])
    return unit


def _team_name(network: Network, unit: Unit, team: str | None, problems: list[Diagnostic]) -> str | None:
    if team is None:
        return None
    found = find_team(network, unit, team)
    if found is None:
        problems.append(error("(dòng lệnh)", None, f"tổ '{team}' không có trong danh sách tổ của {unit.name}",
                              team_hint(network, unit, team)))
        return None
    return found.name


def _category(network: Network, category: str | None, problems: list[Diagnostic]) -> str | None:
    if category is None:
        return None
    found = find_category(network, category)
    if found is None:
        problems.append(error("(dòng lệnh)", None, f"chuyên mục '{category}' không có trong danh sách",
                              category_hint(network, category)))
    return found


def _when(network: Network, date: str | None, now: dt.datetime | None,
          problems: list[Diagnostic]) -> dt.datetime | None:
    if date is None:
        return (now or dates.now(network.timezone)).astimezone(network.timezone).replace(second=0, microsecond=0)
    try:
        return dates.parse_typed_date(date, network.timezone)  # 25/12/2026 too: typed, not stored
    except dates.DateProblem as problem:
        problems.append(error("(dòng lệnh)", None, problem.message, problem.hint))
        return None


def _write_new(path: Path, display: str, body: str) -> None:
    if path.exists():
        raise TrangtinError([error(display, None, "bài viết này đã có, không ghi đè",
                                   "mở tệp đó để sửa, hoặc chọn một tiêu đề khác")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as stream:
            stream.write(body)
    except FileExistsError:
        raise TrangtinError([error(display, None, "bài viết này đã có, không ghi đè",
                                   "mở tệp đó để sửa, hoặc chọn một tiêu đề khác")]) from None
    except OSError as exc:
        raise TrangtinError([error(display, None, f"không ghi được tệp ({exc.strerror})",
                                   "kiểm tra quyền ghi vào thư mục content")]) from None


def _quoted(value: str) -> str:
    """A YAML double-quoted string (JSON strings are valid YAML), safe for ':' and '#'."""
    return json.dumps(value, ensure_ascii=False)


def render_template(network: Network, unit: Unit, title: str, when: dt.datetime,
                    team: str | None, category: str | None, authors: Sequence[str] = (),
                    body: str | None = None, gallery: bool = False) -> str:
    """The new file's text: front matter with a comment on every key, then a body to replace
    (or the ``body`` an import wrote)."""
    lines = [
        "---",
        "# Phần thông tin đầu bài. Dòng bắt đầu bằng '#' là ghi chú, không hiện lên trang.",
        f"# Hướng dẫn: {GUIDE}. Viết xong, kiểm tra bằng lệnh: trangtin check {unit.id}",
        f"title: {_quoted(title)}",
        f"date: {when:%Y-%m-%d %H:%M}          # giờ Việt Nam, dạng năm-tháng-ngày giờ:phút",
        _authors_line(authors),
        *_team_lines(network, unit, team),
        *_category_lines(network, category),
        *_applies_to_lines(network, unit, category, when),
        "tags: []                         # từ khóa tự do, ví dụ: [khai giảng, lớp 6]",
        'description: ""                  # tóm tắt 1–2 câu; để trống thì lấy đoạn đầu của bài',
        "# cover: anh-bia.jpg             # ảnh bìa: đặt tệp ảnh cạnh tệp này rồi bỏ dấu '#' ở đầu dòng",
        "highlight: false                 # true = bài nổi bật, đề xuất đăng lại trên cổng thông tin cấp trên",
        *(["gallery: true                    # bài ảnh: các ảnh hiện thành lưới"] if gallery else []),
        "draft: true                      # bản nháp: chưa đăng. Viết xong thì sửa thành false",
        *_approval_lines(unit),
        "---",
        "",
    ]
    if body is not None:
        return "\n".join(lines) + "\n" + body
    lines += [
        "Viết nội dung bài ở đây. Mỗi đoạn cách nhau một dòng trống.",
        "",
        "<!-- Chèn ảnh: đặt tệp ảnh cạnh tệp này rồi viết một dòng như sau (bỏ dấu ngoặc nhọn):",
        "     ![Mô tả ngắn nội dung ảnh](<ten-anh.jpg>)",
        "     Tiêu đề mục nhỏ: một dòng bắt đầu bằng '## '. -->",
        "",
    ]
    return "\n".join(lines)


def _authors_line(authors: Sequence[str]) -> str:
    if not authors:
        return "authors: []                      # người viết, ví dụ: [Nguyễn Văn An, Trần Thị Bình]"
    chosen = f"authors: [{', '.join(_quoted(name) for name in authors)}]"
    return f"{chosen}{' ' * max(1, 33 - len(chosen))}# người viết"


def _team_lines(network: Network, unit: Unit, team: str | None) -> list[str]:
    teams = network.teams(unit.id)
    if not teams:
        return []
    chosen = f"to: {_quoted(team)}" if team else "# to: \"Tên tổ\""
    return [f"{chosen}{' ' * max(1, 33 - len(chosen))}# tổ chuyên môn, chọn một trong:",
            *(f"#   {t.name}" for t in teams)]


def _category_lines(network: Network, category: str | None) -> list[str]:
    chosen = f"categories: [{_quoted(category)}]" if category else "categories: []"
    return [f"{chosen}{' ' * max(1, 33 - len(chosen))}# chuyên mục, chọn một hoặc vài mục trong:",
            *(f"#   {name}" for name in network.categories)]


def _applies_to_lines(network: Network, unit: Unit, category: str | None, when: dt.datetime) -> list[str]:
    """A menu or a plan the disclosure calendar asks for: the period it is for, by default the
    one after today (a menu posted on Friday is for next week)."""
    wanted = text.fold(category or "")
    rule = next((r for r in network.disclosure_rules(unit.id)
                 if wanted in {text.fold(c) for c in r.categories}), None)
    if rule is None:
        return []
    chosen = f"ap_dung: {weeks.applies_to_text(rule.period, weeks.next_period_start(rule.period, when.date()))}"
    return [f"{chosen}{' ' * max(1, 33 - len(chosen))}# kỳ áp dụng: tuần hoặc tháng của thực đơn, kế hoạch"]


def _approval_lines(unit: Unit) -> list[str]:
    if not unit.requires_approval:
        return []
    return ["# approved_by: \"Họ tên\"          # Ban Giám hiệu ghi tên khi duyệt; chưa duyệt thì bài chưa đăng"]
