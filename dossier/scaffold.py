"""`build.py new <seed>`: a source file for a seed, with the seed filled in and a commented example."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TextIO

from .load import read_text
from .seedhtml import paragraphs
from .validate import SLUG

_URL = re.compile(r"^https?://\S+$")
_FIGURE = re.compile(r"[^.!?\n]*\d[^.!?\n]*[.!?]?")


def scaffold(root: Path, seed: Path, slug: str | None, stdout: TextIO, stderr: TextIO) -> int:
    name = seed.name
    target = root / "seeds" / name
    if seed.parent != Path(".") and seed.resolve() != target.resolve():
        if not seed.is_file():
            print(f"{seed}: error: no such file", file=stderr)
            return 1
        if target.exists() and target.read_bytes() != seed.read_bytes():
            print(f"{target}: error: a different seed with this name exists", file=stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, target)
    text, _, problems = read_text(root, f"seeds/{name}")
    if text is None:
        for p in problems:
            print(p.format(), file=stderr)
        return 1
    title = guess_title(text)
    slug = slug or slugify(title) or slugify(Path(name).stem)
    if not SLUG.match(slug):
        print(f"error: '{slug}' is not a valid slug: use lower-case ASCII letters, digits and hyphens", file=stderr)
        return 1
    path = root / "content" / "sources" / f"{slug}.md"
    if path.exists():
        print(f"content/sources/{slug}.md: error: already exists", file=stderr)
        print("    choose another name with --slug", file=stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template(name, title, example_quote(text)), encoding="utf-8")
    print(f"created content/sources/{slug}.md for seeds/{name}", file=stdout)
    return 0


def guess_title(text: str) -> str:
    """The first paragraph's first line that is not a bare URL, shortened to a headline."""
    for span in paragraphs(text):
        line = text[span.start:span.end].split("\n")[0].strip()
        if line and not _URL.match(line):
            return line if len(line) <= 100 else line[:line.rfind(" ", 0, 100)].rstrip(",;:") + "…"
    return "Untitled"


def slugify(text: str, words: int = 6) -> str:
    ascii_text = text.encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text)[:words])


def example_quote(text: str) -> str:
    """A sentence with a figure in it, to show how a fact quotes its seed."""
    found = _FIGURE.search(text)
    return " ".join(found.group().split())[:160] if found else "a short passage copied from the seed"


def template(seed: str, title: str, quote: str) -> str:
    quoted = "'" + title.replace("'", "''") + "'"
    example = "'" + quote.replace("'", "''") + "'"
    return f"""---
seed: {seed}
title: {quoted}
outlet: TODO outlet name
published: 2020-01-01     # the publication date; say how you know in published_note
# url: https://…
# translation: original   # original, machine, human or unknown
topics: []
facts: []
# facts:
#   - id: example-figure
#     statement: One line in your own words saying what the source asserts.
#     value: 1000
#     unit: people
#     date: 2020-08-10      # the date the figure refers to
#     by: Interior Ministry  # who the figure is attributed to (default: the outlet)
#     quote: {example}
notes: []
---
The editor's commentary on this source, in Markdown. Link with `[[topic-slug]]` or `[[source-slug#fact-id]]`.
"""
