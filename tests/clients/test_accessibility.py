"""axe-core finds no violation on the judged pages, in the light and in the dark palette."""

from __future__ import annotations

import pytest

from .conftest import NODE_MODULES, Scoreboard, require, settle

pytestmark = pytest.mark.clients

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA plus axe's best practices (landmarks, headings, region).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                      "best-practice"]}}


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        for node in violation["nodes"][:3]:
            lines.append(f"  {violation['id']} ({violation['impact']}): {node['target']} "
                         f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation(served, targets, chromium, browser_flags, scoreboard: Scoreboard,
                          scheme: str) -> None:
    from playwright.sync_api import sync_playwright

    axe_source = require(AXE, "axe-core").read_text(encoding="utf-8")
    failures = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=browser_flags)
        page = browser.new_page(color_scheme=scheme, viewport={"width": 412, "height": 823})
        for target in targets:
            page.goto(served.url(target.unit, target.path))
            settle(page)  # judged as readers see it, once the theme's scripts have run
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected, target.name
            page.add_script_tag(content=axe_source)
            result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            if result["violations"]:
                failures[target.name] = result["violations"]
        browser.close()
    count = sum(len(v) for v in failures.values())
    scoreboard.add(f"axe-core ({scheme} palette): {len(targets)} pages, {count} violations")
    assert not failures, "\n".join(f"{name}:\n{describe(v)}" for name, v in failures.items())
