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


def test_check_names_a_missing_banner_and_a_logo_that_is_not_a_picture(network_copy: Path) -> None:
    """A typo in ``banner:`` or a logo that is not a picture: the site would quietly show the
    default look; ``check`` says so, once, with the unit's line in network.yml or the file."""
    import datetime as dt

    from trangtin.content.checks import check_network

    network_file = network_copy / "network.yml"
    network_file.write_text(network_file.read_text("utf-8").replace(
        "banner: nhan-dien/banner.jpg", "banner: nhan-dien/bannner.jpg"), "utf-8")
    (network_copy / "content" / "thcs-an-binh" / "nhan-dien" / "logo.png").write_bytes(b"<svg></svg>")
    network = load_network(network_file)
    unit = network.units["thcs-an-binh"]
    day = dt.datetime(2025, 11, 20, 9, tzinfo=network.timezone)
    rendered = [d.render() for d in check_network(network, ["thcs-an-binh"], day).diagnostics]
    [banner] = [r for r in rendered if "bannner.jpg" in r]
    assert banner.startswith(f"network.yml:{unit.line}: cảnh báo: không thấy tệp banner "
                             "content/thcs-an-binh/nhan-dien/bannner.jpg của Trường THCS An Bình")
    logo = [r for r in rendered if "nhan-dien/logo.png" in r]
    assert logo and all(r.startswith("content/thcs-an-binh/nhan-dien/logo.png: cảnh báo:") for r in logo)
    assert not [r for r in logo if "không thấy" in r]
    clean = check_network(load_network(REPO / "network.yml"), ["thcs-an-binh"], day)
    assert not [d for d in clean.diagnostics if "nhan-dien/" in d.render()]
