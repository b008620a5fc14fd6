"""`dossier new FILE`: a seed and its source file from a text file, a saved web page or a PDF.

The original is read into text (see originals), written into `seeds/` as UTF-8 (an existing seed is
never modified), and `content/sources/<slug>.md` is written beside it with everything the original
told: title, outlet, date and address, and the original's kind, SHA-256 and the day it was
imported. What it did not tell is left as a `TODO` placeholder, which the build refuses until the
editor fills it in (see placeholders). Nothing is written unless everything can be."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, TextIO

from .originals import Original, read_original
from .placeholders import MARKER
from .seedhtml import paragraphs
from .validate import SLUG

_URL = re.compile(r"^https?://\S+$")
_FIGURE = re.compile(r"[^.!?\n]*\d[^.!?\n]*[.!?]?")


@dataclass(frozen=True)
class Plan:
    """What `new` writes: the seed (None when it is already in seeds/) and the source file."""

    seed_name: str
    seed: Optional[bytes]
    slug: str
    source: str
    report: tuple[str, ...]


def scaffold(root: Path, given: Path, slug: Optional[str], stdout: TextIO, stderr: TextIO,
             today: Optional[datetime.date] = None) -> int:
    path, shown = _located(root, given)
    original, problems = read_original(path, shown)
    if original is None:
        return _fail(stderr, *(p.format() for p in problems))
    plan, problem = _plan(root, path, original, slug, (today or datetime.date.today()).isoformat())
    if problem:
        return _fail(stderr, problem)
    problem = _write(root, plan)
    if problem:
        return _fail(stderr, problem)
    print(*plan.report, sep="\n", file=stdout)
    return 0


def _fail(stderr: TextIO, *lines: str) -> int:
    print(*lines, sep="\n", file=stderr)
    return 1


def _located(root: Path, given: Path) -> tuple[Path, str]:
    """The file named on the command line, and its name in messages: a bare `x.txt` that is not a
    file here is the project's `seeds/x.txt` (the seed is already in place)."""
    if given.parent == Path(".") and given.suffix.lower() == ".txt" and not given.is_file():
        return root / "seeds" / given.name, f"seeds/{given.name}"
    return given, str(given)


def _plan(root: Path, path: Path, original: Original, slug: Optional[str], today: str) -> tuple[Optional[Plan], str]:
    """What to write, or why nothing can be."""
    title = original.title or guess_title(original.text)
    slug = slug or slugify(title) or slugify(path.stem)
    if not SLUG.match(slug):
        return None, f"error: '{slug}' is not a valid slug: use lower-case ASCII letters, digits and hyphens"
    if (root / "content/sources" / f"{slug}.md").exists():
        return None, f"content/sources/{slug}.md: error: already exists\n    choose another name with --slug"
    seed_name = path.name if original.kind == "txt" else f"{slugify(path.stem, 10) or slug}.txt"
    data = path.read_bytes() if original.kind == "txt" else original.text.encode("utf-8")
    target = root / "seeds" / seed_name
    if target.exists() and (target.is_dir() or target.read_bytes() != data):
        return None, (f"seeds/{seed_name}: error: a different seed with this name exists\n"
                      "    seeds are never modified: rename the file you are importing")
    text = template(seed_name, path.name, original, title, today)
    report = (f"created content/sources/{slug}.md for seeds/{seed_name}",) + _told(original, title)
    return Plan(seed_name, None if target.exists() else data, slug, text, report), ""


def _told(original: Original, title: str) -> tuple[str, ...]:
    """What the editor must know: what was guessed, what is left to fill in."""
    lines = []
    if not original.title and original.kind != "txt":
        lines.append(f"    title: the {original.kind.upper()} states none; guessed from the text: {title}")
    lines += [f"    {line}" for line in original.checks]
    if original.dated_by:
        lines.append(f"    published: taken from {original.dated_by}; check that it is the publication date")
    unfilled = [name for name in ("outlet", "published") if not getattr(original, name)]
    if unfilled:
        lines.append(f"    to fill in: {', '.join(unfilled)} (marked {MARKER}: the build stops until you do)")
    if original.kind == "html":
        lines.append("    retrieved: set to today, the day of the import; change it if you saved the page earlier")
    if not original.url:
        lines.append("    not known: url (optional; add it if the report is online)")
    return tuple(lines)


def _write(root: Path, plan: Plan) -> str:
    """Write the seed (if new) and the source file, each whole or not at all; "" or the error."""
    seed = root / "seeds" / plan.seed_name
    source = root / "content/sources" / f"{plan.slug}.md"
    try:
        if plan.seed is not None:
            write_new(seed, plan.seed)
        try:
            write_new(source, plan.source.encode("utf-8"))
        except OSError:
            if plan.seed is not None:
                seed.unlink()
            raise
    except OSError as exc:
        return f"{exc.filename or source}: error: cannot write: {exc.strerror or exc}"
    return ""


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, whole or not at all (written aside, then linked in)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.parent / f".{path.name}.{os.getpid()}.partial"
    try:
        partial.write_bytes(data)
        os.link(partial, path)
    finally:
        partial.unlink(missing_ok=True)


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


def quoted(text: str) -> str:
    """`text` as a single-quoted YAML scalar."""
    return "'" + text.replace("'", "''") + "'"


def template(seed: str, file: str, original: Original, title: str, today: str) -> str:
    """The source file's text."""
    outlet = quoted(original.outlet) if original.outlet else f"{MARKER}          # who published it: the site's or paper's name"
    published = (f"{original.published}     # from {original.dated_by}: check it" if original.published
                 else f"{MARKER}       # the publication date, YYYY-MM-DD; say how you know in published_note")
    url = f"url: {original.url}" if original.url else "# url: https://…"
    retrieved = (f"retrieved: {today}     # the day the text was taken: today's import; change it if you saved the page earlier"
                 if original.kind == "html" else "# retrieved: YYYY-MM-DD   # the day the text was taken from the original")
    return f"""---
seed: {seed}
title: {quoted(title)}
outlet: {outlet}
published: {published}
{url}
# archive_url: https://web.archive.org/web/…   # an archived copy of the report (fact boxes link to it)
{retrieved}
# translation: original   # original, machine, human or unknown
original:                 # the file the seed was made from
  file: {quoted(file)}
  kind: {original.kind}
  sha256: {original.sha256}
  imported: {today}
topics: []
facts: []
# facts:
#   - id: example-figure
#     statement: One line in your own words saying what the source asserts.
#     value: 1000
#     unit: people
#     date: 2020-08-10      # the day the figure refers to; a period: 2020-08-09/2020-08-12, or 2020-08-09/..
#     reported: 2020-08-11  # optional: the day the figure was announced
#     scope: national       # optional: where it counts (a place topic's slug, or national)
#     count: daily          # optional: point (default), daily (per day or night) or cumulative
#     stage: preliminary    # optional, for an official count: partial, preliminary or final
#     # low: 1000 and high: 2000 instead of value for a range; qualifier: about, at least, up to…
#     by: Interior Ministry  # who the figure is attributed to (default: the outlet)
#     # attribution: inferred  # when the text does not say who; then also:
#     # attribution_reason: one line on why you attribute it to the Interior Ministry
#     quote: {quoted(example_quote(original.text))}
notes: []
# Below the closing line: your commentary on this source, in Markdown.
# Link with [[topic-slug]] or [[source-slug#fact-id]].
---
"""
