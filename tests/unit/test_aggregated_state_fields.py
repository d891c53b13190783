"""The aggregation state keeps every field of an item: what is read back is what was stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

from trangtin.aggregate.collect import item_from_dict, item_to_dict
from trangtin.content.items import Item

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def test_an_item_with_every_field_set_survives_the_state_file() -> None:
    item = Item(
        "urn:trangtin:mn-hoa-sen:posts/2025/11/thuc-don", "mn-hoa-sen", "Thực đơn tuần 3",
        "https://mn-hoa-sen.example.edu.vn/tin-tuc/2025/11/thuc-don/",
        dt.datetime(2025, 11, 14, 16, 0, tzinfo=LOCAL), dt.datetime(2025, 11, 15, 8, 0, tzinfo=LOCAL),
        ("Thực đơn",), ("bán trú",), "Tổ Nhà trẻ", ("Lê Thị Hoa",), "Thực đơn của bé",
        "<p>Thứ Hai: cháo thịt bằm</p>", "https://mn-hoa-sen.example.edu.vn/anh.jpg", True, True,
        "content/mn-hoa-sen/posts/2025/11/thuc-don.md", ("xa-an-binh",), dt.date(2025, 11, 17))
    assert all(getattr(item, f.name) not in (None, "", (), False) for f in dataclasses.fields(Item))
    stored = json.loads(json.dumps(item_to_dict(item), ensure_ascii=False))
    assert item_from_dict(stored) == item
    assert stored["applies_to"] == "2025-11-17"
