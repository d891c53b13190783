"""network.yml: the sample loads; every kind of mistake names the key and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.common.diagnostics import TrangtinError
from trangtin.network.model import load_network

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "network.yml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    return [d.render() for d in caught.value.diagnostics]


def test_sample_network_loads_with_tree_and_identity():
    network = load_network(REPO / "network.yml")
    assert network.portal == "xa-an-binh"
    assert str(network.timezone) == "Asia/Ho_Chi_Minh"
    assert [u.id for u in network.ancestors("thcs-an-binh")] == ["xa-an-binh", "so-gddt-mau"]
    assert network.units["th-song-lam"].is_remote
    assert network.units["thcs-an-binh"].identity.responsible is not None
    teams = [t.id for t in network.teams("thcs-an-binh")]
    assert "thcs-an-binh-to-toan-tin" in teams
    assert network.find_team("thcs-an-binh", "tổ toán – tin").id == "thcs-an-binh-to-toan-tin"
    local = {u.id for u in network.local_units()}
    assert {"xa-an-binh", "mn-hoa-sen", "th-an-binh", "thcs-an-binh"} <= local
    assert "th-song-lam" not in local


def test_unknown_parent_names_key_and_line(tmp_path):
    path = write(tmp_path, "units:\n  - id: a\n    name: A\n    type: xa\n"
                           "  - id: b\n    name: B\n    type: truong\n    parent: khong-co\n")
    assert problems(path) == [
        "network.yml:8: lỗi: đơn vị 'b' có parent 'khong-co' không tồn tại — "
        "sửa parent thành id của một đơn vị đã khai báo"
    ]


def test_cycle_is_reported_for_each_unit_in_it(tmp_path):
    path = write(tmp_path, "units:\n  - id: a\n    name: A\n    type: xa\n    parent: b\n"
                           "  - id: b\n    name: B\n    type: truong\n    parent: a\n")
    found = problems(path)
    assert len(found) == 2
    assert found[0].startswith("network.yml:5: lỗi: đơn vị 'a' nằm trong vòng lặp cấp trên")
    assert found[1].startswith("network.yml:9: lỗi: đơn vị 'b' nằm trong vòng lặp cấp trên")


def test_duplicate_id_points_to_both_lines(tmp_path):
    path = write(tmp_path, "units:\n  - id: a\n    name: A\n    type: xa\n"
                           "  - id: a\n    name: A2\n    type: truong\n")
    assert problems(path) == [
        "network.yml:5: lỗi: id 'a' bị trùng — đã có đơn vị 'a' ở dòng 2; đặt id khác"
    ]


def test_unknown_type_lists_the_valid_ones(tmp_path):
    path = write(tmp_path, "units:\n  - id: a\n    name: A\n    type: school\n")
    (found,) = problems(path)
    assert found.startswith("network.yml:4: lỗi: loại đơn vị 'school' không hợp lệ — chọn một trong:")
    assert "truong" in found and "dac-khu" in found


def test_bad_id_and_unknown_key(tmp_path):
    path = write(tmp_path, "units:\n  - id: Trường A\n    name: A\n    type: truong\n"
                           "  - id: b\n    name: B\n    type: truong\n    adress: x\n")
    found = problems(path)
    assert any(f.startswith("network.yml:2: lỗi: id 'Trường A' không hợp lệ") for f in found)
    assert any(f.startswith("network.yml:8: lỗi: khóa 'adress' không được hỗ trợ") for f in found)


def test_yaml_syntax_error_has_line_and_vietnamese_text(tmp_path):
    path = write(tmp_path, "units:\n  - id: a\n    name: Trường: A: B\n    type: truong\n")
    (found,) = problems(path)
    assert found.startswith("network.yml:3: lỗi: YAML không hợp lệ: có dấu ':' không đúng chỗ")


def test_site_url_and_website_are_web_addresses(tmp_path):
    path = write(tmp_path, "units:\n  - id: a\n    name: A\n    type: xa\n"
                           "    site_url: javascript:alert(1)\n"
                           "    identity: {website: 'data:text/html,x'}\n")
    assert problems(path) == [
        "network.yml:5: lỗi: 'javascript:alert(1)' không phải là địa chỉ trang web — viết địa chỉ "
        "đầy đủ, ví dụ: https://thcs-anbinh.example.edu.vn/",
        "network.yml:6: lỗi: 'data:text/html,x' không phải là địa chỉ trang web — viết địa chỉ "
        "đầy đủ, ví dụ: https://thcs-anbinh.example.edu.vn/"]
