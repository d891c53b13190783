"""Every page of the sample network passes the Nu HTML Checker (errors only)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import NODE_MODULES, Scoreboard, require

pytestmark = pytest.mark.clients

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Material's base.html puts autocomplete="off" on its two hidden toggle checkboxes (drawer,
# search) so that Firefox does not restore them checked when a reader comes back to a page.
# The attribute is only allowed on text-like inputs; the markup is hard-coded in base.html
# outside any block, so overriding it means copying Material's whole base template.
# We filter exactly this message on exactly those inputs, nothing else.
TOGGLE_AUTOCOMPLETE = "Attribute “autocomplete” is only allowed when the input type is"


def is_material_toggle(message: dict) -> bool:
    extract = message.get("extract", "")
    return (message.get("message", "").startswith(TOGGLE_AUTOCOMPLETE)
            and 'class="md-toggle"' in extract and 'type="checkbox"' in extract)


# An embed from a host of `embeds:` (YouTube, Google Maps) keeps "allow-scripts allow-same-origin":
# their players need both. The checker warns that the pair lets a frame of the *same* origin
# as the page lift its sandbox; an embed here is always https from another, allow-listed host,
# so it only keeps the rights of its own origin, and the sandbox still forbids navigating our
# page, opening dialogs and submitting forms (docs/security.md). Exactly this message on an
# iframe of an allow-listed host is filtered, nothing else.
EMBED_SANDBOX = "Bad value “allow-scripts allow-same-origin"
EMBED_HOSTS = ("https://www.youtube.com/", "https://www.youtube-nocookie.com/", "https://youtube.com/",
               "https://www.google.com/maps/", "https://maps.google.com/")


def is_allowed_embed_sandbox(message: dict) -> bool:
    extract = message.get("extract", "")
    return (message.get("message", "").startswith(EMBED_SANDBOX) and "<iframe" in extract
            and any(f'src="{host}' in extract for host in EMBED_HOSTS))


def run_vnu(pages: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: run scripts/clients.sh first")
    result = subprocess.run([java, "-jar", str(require(VNU, "vnu-jar")), "--errors-only",
                             "--format", "json", "--exit-zero-always", *map(str, pages)],
                            capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stderr or result.stdout)["messages"]


def test_every_page_is_valid_html(served, scoreboard: Scoreboard) -> None:
    pages = sorted(served.root.rglob("*.html"))
    assert len(pages) > 20, "the sample network is too small to judge"
    messages = run_vnu(pages)
    filtered = [m for m in messages if is_material_toggle(m)]
    errors = [m for m in messages if not is_material_toggle(m)]
    scoreboard.add(f"Nu HTML checker: {len(pages)} pages, {len(errors)} errors "
                   f"({len(filtered)} Material toggle autocomplete messages filtered)")
    report = "\n".join(f"{m.get('url', '').split('/public/')[-1]}:{m.get('lastLine')}: "
                       f"{m.get('message')}" for m in errors[:40])
    assert not errors, f"{len(errors)} HTML errors:\n{report}"
