"""Write the small placeholder PDFs listed by the sample network's registers.

Every ``tep:`` of ``documents:`` (van-ban/index.md) and ``disclosures:`` (cong-khai/index.md)
gets a one-page PDF of a few lines, so the "Tải về" links of the sample sites work. The
page uses a PDF base font (no embedded font keeps each file around 1 KB), which has no
Vietnamese glyphs: the page text is written without diacritics, while the document title
in the PDF properties keeps the full Vietnamese. Run from the repository root:

    python scripts/make_sample_documents.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from trangtin.common import text

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
REGISTERS = {"van-ban/index.md": "documents", "cong-khai/index.md": "disclosures"}
MAX_BYTES = 5_000


def front_matter(path: Path) -> dict[str, Any]:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---"):
        return {}
    meta = yaml.safe_load(raw.split("---", 2)[1])
    return meta if isinstance(meta, dict) else {}


def ascii_line(value: object) -> str:
    """Vietnamese without diacritics, keeping capitals (the base font cannot draw them)."""
    folded = []
    for char in str(value):
        plain = text.fold(char) or char
        folded.append(plain.upper() if char.isupper() else plain)
    return "".join(folded).encode("ascii", "replace").decode("ascii")


def pdf_string(value: str) -> str:
    return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_unicode(value: str) -> str:
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def short(value: object) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


def lines_for(unit_name: str, entry: dict[str, Any], kind: str) -> tuple[str, list[str]]:
    if kind == "documents":
        title = f"{entry['so_ky_hieu']} – {entry['trich_yeu']}"
        body = [entry["co_quan_ban_hanh"], f"So: {entry['so_ky_hieu']}",
                f"Ngay ban hanh: {short(entry['ngay_ban_hanh'])}", "", entry["trich_yeu"]]
    else:
        title = f"Công khai năm học {entry['nam_hoc']} – {entry['noi_dung']}"
        body = [unit_name, f"Cong khai nam hoc {entry['nam_hoc']}",
                f"Ngay cong khai: {short(entry['ngay'])}", "", entry["noi_dung"]]
    body += ["", "(Tai lieu mau cua mang trang thong tin trangtin - noi dung gia lap.)"]
    return title, [ascii_line(line) for line in body]


def wrap(line: str, width: int = 86) -> list[str]:
    words, out, current = line.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return out + [current]


def build_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF 1.4 with the lines in Helvetica and the title in its properties."""
    wrapped = [part for line in lines for part in wrap(line)]
    stream = "BT /F1 12 Tf 16 TL 56 780 Td\n" + "".join(
        f"{pdf_string(line)} Tj T*\n" for line in wrapped) + "ET\n"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream.encode('ascii'))} >>\nstream\n{stream}endstream",
        f"<< /Title {pdf_unicode(title)} /Producer (trangtin sample) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode("ascii")
    return bytes(out)


def unit_names() -> dict[str, str]:
    network = yaml.safe_load((ROOT / "network.yml").read_text(encoding="utf-8"))
    return {u["id"]: u["name"] for u in network.get("units", [])}


def main() -> int:
    names, count = unit_names(), 0
    for unit_dir in sorted(p for p in CONTENT.iterdir() if p.is_dir()):
        for register, kind in REGISTERS.items():
            page = unit_dir / register
            if not page.is_file():
                continue
            for entry in front_matter(page).get(kind) or []:
                if not entry.get("tep"):
                    continue
                title, lines = lines_for(names.get(unit_dir.name, unit_dir.name), entry, kind)
                target = page.parent / entry["tep"]
                target.parent.mkdir(parents=True, exist_ok=True)
                data = build_pdf(title, lines)
                assert len(data) < MAX_BYTES, f"{target}: {len(data)} bytes"
                target.write_bytes(data)
                count += 1
                print(f"{target.relative_to(ROOT)}: {len(data)} B")
    print(f"{count} tệp PDF")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
