"""What a seed is made from: a text file, a saved web page or a PDF, read into plain text and
whatever metadata the original carries (`dossier new`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from .diagnostics import Diagnostic, Location, error

KINDS = {".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass(frozen=True)
class Original:
    """An original document read into a seed's text (paragraphs separated by blank lines) and the
    metadata it states; "" where it states nothing."""

    kind: str  # "txt", "html" or "pdf"
    sha256: str  # of the original file's bytes
    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""  # YYYY-MM-DD
    url: str = ""
    dated_by: str = ""  # where `published` comes from, for the editor to check
    checks: tuple[str, ...] = ()  # what else the editor should check (a guess, in a line each)


class Unreadable(Exception):
    """Why an original cannot be read, in the reader's words, with a hint."""

    def __init__(self, why: str, hint: str = ""):
        super().__init__(why)
        self.why, self.hint = why, hint


def read_original(path: Path, shown: str) -> tuple[Optional[Original], list[Diagnostic]]:
    """The original at `path` (named `shown` in messages), or a located error saying why not."""
    kind = KINDS.get(path.suffix.lower())
    where = Location(shown, 0, 0)
    if kind is None:
        return None, [error(where, f"cannot make a seed from a '{path.suffix}' file",
                            "give a .txt, .html, .htm or .pdf file")]
    if not path.is_file():
        return None, [error(where, "no such file" if not path.exists() else "is not a file")]
    data = path.read_bytes()
    try:
        found = _reader(kind)(data)
    except Unreadable as problem:
        return None, [error(where, problem.why, problem.hint)]
    return Original(kind, hashlib.sha256(data).hexdigest(), **found), []


def _reader(kind: str) -> Callable[[bytes], dict]:
    """The function that reads an original of `kind` (its library imported only when needed)."""
    if kind == "html":
        from .webpage import read_webpage
        return read_webpage
    if kind == "pdf":
        from .pdftext import read_pdf
        return read_pdf
    return read_plain_text


def read_plain_text(data: bytes) -> dict:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                         "save the file as UTF-8") from None
    return {"text": text}
