"""A PDF read into a seed (pypdf): the text of every page in order, its lines joined into
paragraphs, words hyphenated across lines mended and running page numbers dropped; the title and
date from the document's metadata.

Paragraphs are told apart by the vertical gaps between them (pypdf's layout mode renders a gap
as an empty line). A paragraph that runs over a page break is joined again when the page ends
mid-sentence."""

from __future__ import annotations

import io
import re

from .originals import Unreadable

# "12", "- 12 -", "Page 12", "page 12 of 40", "12 / 40" alone on the first or last line of a page
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?(?:\s*[-–—])?$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"”»’')\]]$")
_HYPHENATED = re.compile(r"(\w+)-$")
_FAILURES = (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError)


def read_pdf(data: bytes) -> dict:
    """Text, title and date of a PDF, or Unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unreadable("the PDF is encrypted", "save a copy without a password (print it to PDF), then try again")
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
        info = reader.metadata
    except (PyPdfError, *_FAILURES) as exc:
        raise Unreadable(f"cannot read this PDF: {exc}", "check that the file is a complete PDF") from None
    text = seed_text(pages)
    if not text.strip():
        raise Unreadable("found no text in this PDF (a scan?)", "run it through text recognition (OCR) first")
    published = _date(info)
    return {"text": text, "title": " ".join(str(info.title or "").split()) if info else "", "published": published,
            "dated_by": "the PDF's creation date" if published else ""}


def _date(info) -> str:
    try:
        created = info.creation_date if info else None
    except _FAILURES:  # a date pypdf cannot parse: the editor fills it in
        return ""
    return created.date().isoformat() if created else ""


def seed_text(pages: list[str]) -> str:
    """The pages' text as paragraphs separated by blank lines."""
    found: list[str] = []
    for page in pages:
        blocks = _blocks(page)
        if found and blocks and not _SENTENCE_END.search(found[-1]):
            found[-1] += "\n" + blocks.pop(0)  # a paragraph running over the page break
        found += blocks
    whole = "\n".join(found).lower()
    return "\n\n".join(_mended(paragraph, whole) for paragraph in found) + "\n" if found else ""


def _blocks(page: str) -> list[str]:
    """A page's paragraphs, each a list of lines joined by line breaks, without its page number."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in page.split("\n")]
    content = [i for i, line in enumerate(lines) if line]
    for edge in content[:1] + content[-1:]:
        if _PAGE_NUMBER.match(lines[edge]):
            lines[edge] = ""
    blocks, current = [], []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    return blocks


def _mended(paragraph: str, whole: str) -> str:
    """A paragraph's lines joined into one: `demon-` + `strators` is `demonstrators`, unless the
    document writes the word with its hyphen elsewhere (`self-immolation`)."""
    lines = paragraph.split("\n")
    text = lines[0]
    for line in lines[1:]:
        hyphen = _HYPHENATED.search(text)
        if text.endswith("\u00ad"):
            text = text[:-1] + line
        elif hyphen and line[:1].islower():
            word = hyphen.group(1) + "-" + re.match(r"\w*", line).group()
            text = (text if word.lower() in whole else text[:-1]) + line  # (`whole` keeps the line breaks)
        else:
            text += " " + line
    return text
