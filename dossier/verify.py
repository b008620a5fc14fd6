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


_ATTR = re.compile(r'<([a-zA-Z][a-zA-Z0-9]*)\b|\s(id|href|src)="([^"]*)"')


@dataclass(frozen=True)
class Scan:
    """The ids and links of one page. Our templates always double-quote attributes, and every
    value inside is escaped, so a scan for `name="value"` finds exactly the attributes."""

    ids: frozenset
    links: tuple  # (offset, url)


def scan(html: str) -> Scan:
    ids, links, tag = set(), [], ""
    for match in _ATTR.finditer(html):
        if match.group(1):
            tag = match.group(1).lower()
        elif match.group(2) == "id":
            ids.add(unescape(match.group(3)))
        elif tag != "base":
            links.append((match.start(3), unescape(match.group(3))))
    return Scan(frozenset(ids), tuple(links))


def check_links(files: Mapping[str, bytes], urls: Urls, out_name: str = "site",
                previous: Optional[dict] = None) -> list[Diagnostic]:
    """Broken internal links of every HTML page in `files` (output path -> bytes). `previous`
    (path -> (bytes, Scan), kept by serve) saves rescanning pages whose bytes did not change; it is
    updated in place."""
    previous = previous if previous is not None else {}
    scans = {}
    for path in sorted(p for p in files if p.endswith(".html")):
        kept = previous.get(path)
        scans[path] = kept[1] if kept is not None and kept[0] == files[path] else scan(files[path].decode("utf-8"))
    previous.clear()
    previous.update({path: (files[path], found) for path, found in scans.items()})
    problems = []
    known: dict[str, str] = {}  # a site-absolute link is broken (or not) wherever it appears
    for path, found in scans.items():
        for offset, link in found.links:
            if link.startswith("/") and not link.startswith("//"):
                if link not in known:
                    known[link] = _broken(link, path, files, scans, urls)
                why = known[link]
            else:
                why = _broken(link, path, files, scans, urls)
            if why:
                text = files[path].decode("utf-8")
                line = text.count("\n", 0, offset) + 1
                col = offset - (text.rfind("\n", 0, offset) + 1) + 1
                problems.append(error(Location(f"{out_name}/{path}", line, col), f"broken link '{link}': {why}"))
    return problems


def _broken(link: str, page: str, files, scans, urls: Urls) -> str:
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
