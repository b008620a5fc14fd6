"""A saved web page read into a seed: the article's main text, without the page's furniture
(menus, cookie banners, related links, footers), and the title, site name, date and address
its metadata states. Trafilatura does the extraction (and htmldate, under it, the date)."""

from __future__ import annotations

import re

from .originals import Unreadable

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
# Dates from the page's metadata only (meta tags, JSON-LD, <time>): never guessed from its text
_DATES = {"extensive_search": False, "original_date": True}


def read_webpage(data: bytes) -> dict:
    """Text and metadata of a saved page (bytes in whatever encoding the page declares)."""
    import trafilatura

    page = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_images=False,
                                       favor_precision=True, date_extraction_params=_DATES)
    if page is None or not (page.text or "").strip():
        raise Unreadable("found no article text in this page",
                         "save the page itself (HTML), or copy its text into a .txt file")
    outlet = _line(page.sitename)
    return {"text": paragraphs(page.text), "title": _line(page.title), "outlet": outlet,
            "published": page.date if _DATE.match(page.date or "") else "", "url": _web_address(page.url),
            "dated_by": "the page's metadata" if page.date else "",
            "checks": (f"outlet: the page names no site; taken from its address: {outlet}",) if _HOST.match(outlet) else ()}


def paragraphs(text: str) -> str:
    """Trafilatura's text (one block of the page per line) as paragraphs separated by blank lines."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"


def _line(text) -> str:
    return " ".join(str(text or "").split())


def _web_address(url) -> str:
    url = str(url or "").strip()
    return url if re.match(r"^https?://\S+$", url) else ""
