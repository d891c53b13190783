"""identity.color, logo and banner in network.yml: a colour white text cannot be read on is
refused with its line and a darker suggestion; paths stay inside the unit's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.common.diagnostics import TrangtinError
from trangtin.network.model import MIN_CONTRAST, contrast_with_white, darkened, load_network

REPO = Path(__file__).resolve().parents[2]
SAMPLE = (REPO / "network.yml").read_text(encoding="utf-8")
COLOR_LINE = '      color: "#0e4a6e"'


def with_line(tmp_path: Path, start: str, line: str) -> tuple[Path, int]:
    """The sample network with the line starting with ``start`` replaced, and its number."""
    lines = SAMPLE.splitlines()
    [index] = [i for i, text in enumerate(lines) if text.startswith(start)]
    lines[index] = line
    path = tmp_path / "network.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, index + 1


def with_identity(tmp_path: Path, line: str) -> tuple[Path, int]:
    return with_line(tmp_path, COLOR_LINE, line)


def problems(path: Path) -> list[str]:
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    return [d.render() for d in caught.value.diagnostics]


def test_sample_school_has_a_logo_a_banner_and_a_readable_colour() -> None:
    identity = load_network(REPO / "network.yml").units["thcs-an-binh"].identity
    assert (identity.logo, identity.banner) == ("nhan-dien/logo.png", "nhan-dien/banner.jpg")
    assert contrast_with_white(identity.color) >= MIN_CONTRAST
    assert load_network(REPO / "network.yml").units["th-an-binh"].identity.color == ""


def test_a_light_colour_is_refused_with_its_line_and_a_darker_suggestion(tmp_path: Path) -> None:
    path, line = with_identity(tmp_path, '      color: "#ffcc00"')
    [message] = problems(path)
    assert message.startswith(f"network.yml:{line}: lỗi: màu '#ffcc00' quá sáng")
    assert "1.5:1" in message and "4.5:1" in message
    suggestion = darkened("#ffcc00")
    assert f'color: "{suggestion}"' in message and contrast_with_white(suggestion) >= MIN_CONTRAST


@pytest.mark.parametrize("value", ["blue", '"#12345"', '"0e4a6e"', '"#0e4a6e; x: y"'])
def test_a_colour_that_is_not_hex_is_refused(tmp_path: Path, value: str) -> None:
    path, line = with_identity(tmp_path, f"      color: {value}")
    [message] = problems(path)
    assert message.startswith(f"network.yml:{line}: lỗi: màu ")
    assert "#rrggbb" in message


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # the AA grey


@pytest.mark.parametrize("value", ["/etc/logo.png", "../thcs-an-binh/logo.png", "C:/anh/logo.png"])
def test_a_logo_outside_the_units_folder_is_refused(tmp_path: Path, value: str) -> None:
    path, line = with_line(tmp_path, "      logo: nhan-dien/logo.png", f"      logo: {value}")
    [message] = problems(path)
    assert message.startswith(f"network.yml:{line}: lỗi: '{value}' không phải đường dẫn tệp trong thư mục")
