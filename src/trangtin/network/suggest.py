"""Matching what people type against the network's names: forgiving, with a "did you mean"."""

from __future__ import annotations

import difflib
import re

from trangtin.common import text
from trangtin.network.model import Network, Unit


def find_team(network: Network, unit: Unit, value: str) -> Unit | None:
    """The unit's tổ by id or name, forgiving case, accents and dashes (``to toan - tin``)."""
    team = network.find_team(unit.id, value)
    if team is not None:
        return team
    names = {key: t for t in network.teams(unit.id) for key in (t.id, t.name, t.short_name) if key}
    found = loose_match(value, list(names))
    return names[found] if found else None


def find_category(network: Network, name: str) -> str | None:
    """The network's category for what was typed, forgiving a '-' written for '–'."""
    return network.find_category(name) or loose_match(name, network.categories)


def loose_match(wanted: str, choices: list[str]) -> str | None:
    """The one choice equal to ``wanted`` once case, accents, spaces and punctuation are ignored."""
    key = _loose(wanted)
    hits = {choice for choice in choices if _loose(choice) == key}
    return hits.pop() if key and len(hits) == 1 else None


def _loose(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.fold(value))


def did_you_mean(wanted: str, choices: list[str]) -> str | None:
    """The closest choice to what was typed, comparing without diacritics and case."""
    folded = {text.fold(choice): choice for choice in choices}
    guess = difflib.get_close_matches(text.fold(wanted), list(folded), 1, 0.5)
    return folded[guess[0]] if guess else None


def category_hint(network: Network, name: str) -> str:
    guess = did_you_mean(name, network.categories)
    return (f"có phải ý bạn là '{guess}'?" if guess
            else "chọn một trong: " + " | ".join(network.categories))


def team_hint(network: Network, unit: Unit, name: str) -> str:
    teams = [t.name for t in network.teams(unit.id)]
    if not teams:
        return f"{unit.name} chưa khai báo tổ chuyên môn nào trong network.yml; bỏ dòng 'to:'"
    guess = did_you_mean(name, teams + [t.short_name for t in network.teams(unit.id) if t.short_name])
    return f"có phải ý bạn là '{guess}'?" if guess else "chọn một trong: " + " | ".join(teams)
