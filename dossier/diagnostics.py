"""Problems as values: where, what, how to fix it; collected, then reported together."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column; line 0 names a file or folder as a whole."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}" if self.line else self.path


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: Location
    level: str  # "error" or "warning"
    message: str
    hint: str = ""

    def format(self) -> str:
        """`path:line:col: level: message`, then the hint's lines indented. Text from the files
        (a value, a key) is shown with control characters escaped: one diagnostic, one line, and
        nothing a terminal would obey."""
        text = f"{printable(str(self.location))}: {self.level}: {printable(self.message)}"
        if self.hint:
            text += "\n" + "\n".join("    " + printable(line) for line in self.hint.split("\n"))
        return text


def printable(text: str) -> str:
    """`text` as a reader sees it, on one line and with nothing a terminal would obey: a space of
    any width (a non-breaking space in `6 700`) is shown as a space, every other invisible
    character is named (`[line break]`, `[U+200B ZERO WIDTH SPACE]`, `[U+001B]`)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _shown(ch) for ch in text)


_NAMED = {"\n": "[line break]", "\t": "[tab]", "\r": "[carriage return]"}


def _shown(ch: str) -> str:
    if unicodedata.category(ch) == "Zs":
        return " "
    name = unicodedata.name(ch, "")
    return _NAMED.get(ch) or f"[U+{ord(ch):04X}{' ' + name if name else ''}]"


def error(location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(location, "error", message, hint)


def warning(location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(location, "warning", message, hint)


@dataclass
class Report:
    """Collects diagnostics from every stage of a run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
