"""MkDocs 1.6.1 is from 2024: the sample sites must also build with ProperDocs, its drop-in fork."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..htmlcheck import parse


def test_a_school_builds_with_properdocs(network_copy, tmp_path):
    out = tmp_path / "site"
    command = [str(Path(sys.executable).parent / "properdocs"), "build", "--strict",
               "-f", "mkdocs.yml", "-d", str(out)]
    result = subprocess.run(command, cwd=network_copy / "sites" / "thcs-an-binh",
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    home = parse(out / "index.html")
    assert home.get("lang") == "vi"
    assert home.find_class("tt-identity")[0].text_content().count("Trường THCS An Bình") >= 1
    assert (out / "tin-tuc" / "index.html").is_file()
