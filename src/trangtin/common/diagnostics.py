"""Problems found in what people wrote, rendered in Vietnamese.

One template for every message: ``file:line: mức độ: message — cách sửa``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "lỗi"
    WARNING = "cảnh báo"
    INFO = "lưu ý"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in one file: where it is, what is wrong and how to fix it."""

    path: str
    line: int | None
    severity: Severity
    message: str
    hint: str = ""
    unit: str = ""

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.name.lower()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Diagnostic:
        fields = dict(data)
        fields["severity"] = Severity[str(fields["severity"]).upper()]
        return cls(**fields)  # type: ignore[arg-type]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(path: str, line: int | None, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, Severity.ERROR, message, hint)


def warning(path: str, line: int | None, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, Severity.WARNING, message, hint)


def info(path: str, line: int | None, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, Severity.INFO, message, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_dict() for d in diagnostics], ensure_ascii=False, indent=2)


class TrangtinError(Exception):
    """An input problem that stops one operation; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics


class InternalError(Exception):
    """A bug (not an input problem) met while working on one file; names that file."""

    def __init__(self, path: str, cause: BaseException):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.path = path
        self.__cause__ = cause
