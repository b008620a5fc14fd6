"""After rendering: every internal href/src must reach a built file, every #fragment an element id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from posixpath import normpath
from typing import Mapping, Optional
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Location, error
from .urls import Urls, output_file


_ATTR = re.compile(r'\s(id|href|src)="([^"]*)"')
_BASE = re.compile(r"<base\b[^>]*>", re.I)


@dataclass(frozen=True)
class Scan:
    """The ids and links of one page. Our templates always double-quote attributes, and every
    value inside is escaped, so a scan for `name="value"` finds exactly the attributes."""

    ids: frozenset
    links: tuple  # (offset, url)


def scan(html: str) -> Scan:
    bases = [(m.start(), m.end()) for m in _BASE.finditer(html)]  # <base href> is not a link
    ids, links = set(), []
    for match in _ATTR.finditer(html):
        value = match.group(2)
        if "&" in value:
            value = unescape(value)
        if match.group(1) == "id":
            ids.add(value)
        elif not bases or not any(start <= match.start() < end for start, end in bases):
            links.append((match.start(2), value))
    return Scan(frozenset(ids), tuple(links))


def check_links(files: Mapping[str, bytes], urls: Urls, out_name: str = "site",
                scans: Optional[Mapping[str, Scan]] = None) -> list[Diagnostic]:
    """Broken internal links of every HTML page in `files` (output path -> bytes), from the
    pages' `scans` (made when each page was rendered; a page without one is scanned here)."""
    scans = scans or {}
    scans = {path: scans.get(path) or scan(files[path].decode("utf-8")) for path in sorted(files) if path.endswith(".html")}
    problems: list[Diagnostic] = []
    known: dict[str, str] = {}  # a site-absolute link is broken (or not) wherever it appears
    for path, page in scans.items():
        answers: dict[str, str] = {}
        for offset, link in page.links:
            if link not in answers:
                absolute = link.startswith("/") and not link.startswith("//")
                if absolute and link in known:
                    answers[link] = known[link]
                else:
                    answers[link] = _broken(link, path, files, scans, urls)
                    if absolute:
                        known[link] = answers[link]
            if answers[link]:
                problems.append(error(_where(files[path], out_name, path, offset), f"broken link '{link}': {answers[link]}"))
    return problems


def _where(data: bytes, out_name: str, path: str, offset: int) -> Location:
    text = data.decode("utf-8")
    line = text.count("\n", 0, offset) + 1
    return Location(f"{out_name}/{path}", line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _broken(link: str, page: str, files, scans, urls: Urls) -> str:
    """Why the link is broken ("" if it is not)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return ""  # external: not ours to check
    if not parts.path:
        target = page
    elif parts.path.startswith("/"):
        if not parts.path.startswith(urls.prefix):
            return f"outside the site's base path {urls.prefix}"
        target = output_file(unquote(parts.path[len(urls.prefix):]))
    else:
        base = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
        joined = normpath(base + unquote(parts.path))
        if joined == ".." or joined.startswith("../"):
            return "outside the site"
        folder = parts.path.endswith("/") or parts.path in (".", "..")
        target = output_file("" if joined == "." else joined + ("/" if folder else ""))
    if target not in files:
        return f"no file {target} in the site"
    if parts.fragment and target in scans and unquote(parts.fragment) not in scans[target].ids:
        return f"no element with id '{parts.fragment}' on {target}"
    return ""
