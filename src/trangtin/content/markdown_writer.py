"""The small HTML vocabulary a Word converter writes, turned into plain Markdown.

The input is what mammoth produces from a ``.docx`` (headings, paragraphs, strong/em,
lists, tables, links, images, line breaks): well-formed, escaped XHTML. Everything in it came
from a teacher's document, so the output carries no raw HTML at all: every character that
Markdown or our extensions would read as markup is escaped, ``<`` becomes ``&lt;``, links are
kept only for the schemes a person may link to, and images point only at the names the caller
gives.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from trangtin.common import text

PICTURE_SCHEME = "tt-picture:"  # the src a caller gives mammoth for picture number N
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BACKSLASHED = re.compile(r"([\\`*_\[\]{}#])")
_TILDES = re.compile(r"~(?=~)")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^([+\->]|!(?=!))|^(\d+)([.)])|^([:=|])", re.MULTILINE)
_LINE_START_ENTITIES = {":": "&#58;", "=": "&#61;", "|": "&#124;"}
_SPACES = re.compile(r"[ \t\r\n]+")
_UNSAFE_IN_TARGET = re.compile(r"[\s<>\x00-\x1f\x7f]")
_LIST_START = re.compile(r"(?:-|\d+\.) ")
# Python-Markdown joins two lists that follow each other (bullets, then numbers) into one; a
# comment between them keeps them apart and never reaches the page.
LIST_SEPARATOR = "<!-- -->"
_HARD_BREAK = "\x00"  # stands for a manual line break until a block's text is final


def parse(markup: str) -> ET.Element:
    """The converter's output under one ``<body>``; it is escaped XHTML (no entities, no DTD)."""
    return ET.fromstring(f"<body>{markup}</body>")


def element_text(element: ET.Element) -> str:
    return clean("".join(element.itertext())).strip()


@dataclass
class Picture:
    """An image of the document as the caller named it, with its alternative text."""

    number: int
    name: str
    alt: str


@dataclass
class Writer:
    """Walks the converter's HTML; ``picture`` names picture N and gives its alt text."""

    picture: Callable[[int, str, str], Picture | None]
    pictures: list[Picture] = field(default_factory=list)

    def document(self, root: ET.Element) -> str:
        blocks: list[str] = []
        for block in self.blocks(root):
            if not block.strip():
                continue
            if blocks and _LIST_START.match(blocks[-1]) and _LIST_START.match(block):
                blocks.append(LIST_SEPARATOR)
            blocks.append(block)
        return "\n\n".join(blocks).strip() + "\n" if blocks else ""

    def blocks(self, element: ET.Element) -> Iterator[str]:
        loose = self.inline_text(element.text)
        if loose.strip():
            yield finish_paragraph(loose)
        children = list(element)
        for index, child in enumerate(children):
            yield from self.block(child, children, index)
            tail = self.inline_text(child.tail)
            if tail.strip():
                yield finish_paragraph(tail)

    def block(self, element: ET.Element, siblings: list[ET.Element], index: int) -> Iterator[str]:
        tag = element.tag
        if tag in _HEADINGS:
            line = single_line(self.inline(element))
            if line:
                yield f"{'#' * min(6, _HEADINGS[tag] + 1)} {line}"
        elif tag == "p":
            caption = _caption_near(siblings, index)
            body = finish_paragraph(self.inline(element, caption=caption))
            yield f"*{body}*" if element.get("class") == "caption" and body and "\n" not in body else body
        elif tag in ("ul", "ol"):
            yield "\n".join(self.list_lines(element, depth=0))
        elif tag == "table":
            yield "\n".join(self.table_lines(element))
        else:
            yield from self.blocks(element)

    # --- inline -----------------------------------------------------------------------------

    def inline(self, element: ET.Element, caption: str = "") -> str:
        parts = [self.inline_text(element.text)]
        for child in element:
            parts.append(self.inline_element(child, caption))
            parts.append(self.inline_text(child.tail))
        return "".join(parts)

    def inline_text(self, value: str | None) -> str:
        return escape(clean(value)) if value else ""

    def inline_element(self, element: ET.Element, caption: str) -> str:
        tag = element.tag
        if tag == "br":
            return _HARD_BREAK
        if tag == "img":
            return self.image(element, caption)
        inner = self.inline(element, caption)
        if tag in ("strong", "b"):
            return emphasis(inner, "**")
        if tag in ("em", "i"):
            return emphasis(inner, "*")
        if tag in ("s", "del"):
            return emphasis(inner, "~~")
        if tag == "a":
            return link(inner, element.get("href") or "")
        return inner

    def image(self, element: ET.Element, caption: str) -> str:
        source = element.get("src") or ""
        if not source.startswith(PICTURE_SCHEME):
            return ""
        picture = self.picture(int(source.removeprefix(PICTURE_SCHEME)), clean(element.get("alt") or ""), caption)
        if picture is None:
            return ""
        self.pictures.append(picture)
        return f"![{escape(single_line(picture.alt))}](<{picture.name}>)"

    # --- lists and tables -----------------------------------------------------------------

    def list_lines(self, element: ET.Element, depth: int) -> Iterator[str]:
        indent = "    " * depth
        number = 0
        for item in element:
            if item.tag != "li":
                continue
            number += 1
            marker = f"{number}." if element.tag == "ol" else "-"
            nested = [child for child in item if child.tag in ("ul", "ol")]
            for child in nested:
                item.remove(child)
            words = finish_paragraph(single_line(self.inline(item)))
            yield f"{indent}{marker} {words}".rstrip()
            for child in nested:
                yield from self.list_lines(child, depth + 1)

    def table_lines(self, table: ET.Element) -> Iterator[str]:
        rows = [[self.cell(cell) for cell in row if cell.tag in ("td", "th")] for row in table.iter("tr")]
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        yield "| " + " | ".join(rows[0]) + " |"
        yield "|" + "---|" * width
        for row in rows[1:]:
            yield "| " + " | ".join(row) + " |"

    def cell(self, cell: ET.Element) -> str:
        words = " ".join(single_line(self.inline(part)) for part in _cell_parts(cell))
        return words.strip().replace("|", "\\|")


def _cell_parts(cell: ET.Element) -> Iterator[ET.Element]:
    """A cell's paragraphs and list items, flattened: a table row is one line of Markdown."""
    if len(cell) == 0 or all(child.tag not in ("p", "ul", "ol", "li", "table") for child in cell):
        yield cell
        return
    for child in cell.iter():
        if child.tag in ("p", "li") or (child is not cell and child.tag in _HEADINGS):
            yield child


def _caption_near(siblings: list[ET.Element], index: int) -> str:
    """The caption paragraph (Word's Caption style) just after a picture, else just before."""
    for neighbour in (index + 1, index - 1):
        if 0 <= neighbour < len(siblings):
            element = siblings[neighbour]
            if element.tag == "p" and element.get("class") == "caption":
                return element_text(element)
    return ""


def clean(value: str) -> str:
    """NFC, no control characters, every run of white space one space (Word's own breaks are <br>)."""
    return _SPACES.sub(" ", text.without_control_characters(text.nfc(value)))


def escape(value: str) -> str:
    """Text that Markdown and our extensions show as written, never as markup or HTML."""
    value = _ENTITY_LIKE.sub("&amp;", value)
    value = value.replace("<", "&lt;")
    value = _BACKSLASHED.sub(r"\\\1", value)
    return _TILDES.sub("\\~", value)


def emphasis(inner: str, marker: str) -> str:
    """Markdown emphasis must hug its words: Word often makes the space after a word bold."""
    words = inner.strip(" ")
    if not words.replace(_HARD_BREAK, "").strip():
        return inner
    leading = " " if inner.startswith(" ") else ""
    trailing = " " if inner.endswith(" ") else ""
    return f"{leading}{marker}{words}{marker}{trailing}"


def link(inner: str, href: str) -> str:
    words = inner.strip()
    scheme = text.link_scheme(href)
    if not words or scheme is None or scheme not in text.LINK_SCHEMES:
        return inner  # internal bookmarks and anything a person may not link to: the words only
    target = _UNSAFE_IN_TARGET.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), href.strip())
    return f"[{words}](<{target}>)"


def single_line(value: str) -> str:
    return value.replace(_HARD_BREAK, " ").strip()


def finish_paragraph(value: str) -> str:
    """Manual line breaks become Markdown hard breaks; no line may start a Markdown construct."""
    lines = [line.strip() for line in value.split(_HARD_BREAK)]
    lines = [line for line in lines if line]
    joined = "\n".join(lines)
    return _LINE_START.sub(_escape_line_start, joined).replace("\n", "  \n")


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    if match.group(2):
        return f"{match.group(2)}\\{match.group(3)}"
    return _LINE_START_ENTITIES[match.group(4)]
