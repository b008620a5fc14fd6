"""After rendering: every internal href/src must reach a built file, every #fragment an element id."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


@dataclass
class Links:
    """What one link check leaves for the next (serve keeps it): each page's scan, and its
    problems with the files they were checked against."""

    pages: dict = field(default_factory=dict)  # HTML path -> (bytes, Scan)
    found: dict = field(default_factory=dict)  # HTML path -> (problems, files its links reach, link -> answer)
    files: frozenset = frozenset()  # every output path
    setting: tuple = ()  # (urls, output folder name) the check was made with


def check_links(files: Mapping[str, bytes], urls: Urls, out_name: str = "site",
                state: Optional[Links] = None) -> list[Diagnostic]:
    """Broken internal links of every HTML page in `files` (output path -> bytes).

    With the `state` of the last check (updated in place), a page is checked again only if its
    bytes changed or a file its links reach appeared, disappeared or changed its ids. A page found
    in `state.pages` with these very bytes is not scanned again (the renderer scans what it renders)."""
    state = state if state is not None else Links()
    if state.setting != (urls, out_name):  # (a page's scan holds whatever the setting: pages are kept)
        state.found, state.files, state.setting = {}, frozenset(), (urls, out_name)
    scans, changed = {}, set()
    for path in sorted(p for p in files if p.endswith(".html")):
        kept = state.pages.get(path)
        if kept is not None and (kept[0] is files[path] or kept[0] == files[path]):
            scans[path] = kept[1]
        else:
            scans[path] = scan(files[path].decode("utf-8"))
            changed.add(path)
    names = frozenset(files)
    moved = (names ^ state.files) | {p for p in changed if p not in state.pages or state.pages[p][1].ids != scans[p].ids}
    problems: list[Diagnostic] = []
    known: dict[str, tuple[str, Optional[str]]] = {}  # a site-absolute link is broken (or not) wherever it appears
    found = {}
    for path, page in scans.items():
        kept = state.found.get(path)
        if path in changed or kept is None or not kept[1].isdisjoint(moved):
            kept = _check_page(path, page, files, scans, urls, out_name, known, kept[2] if kept else {}, moved)
        found[path] = kept
        problems += kept[0]
    state.pages = {path: (files[path], page) for path, page in scans.items()}
    state.found, state.files = found, names
    return problems


def _check_page(path: str, page: Scan, files, scans, urls: Urls, out_name: str, known: dict,
                before: dict, moved: frozenset) -> tuple[list, frozenset, dict]:
    """The page's problems, the files its links reach, and the answer for each link (an answer
    of the last check still holds if the file it reached did not move)."""
    problems, reached, answers = [], set(), {}
    for offset, link in page.links:
        if link in answers:
            why, target = answers[link]
        elif link in before and before[link][1] is not None and before[link][1] not in moved:
            why, target = before[link]
        elif link.startswith("/") and not link.startswith("//"):
            if link not in known:
                known[link] = _broken(link, path, files, scans, urls)
            why, target = known[link]
        else:
            why, target = _broken(link, path, files, scans, urls)
        answers[link] = why, target
        if target is not None:
            reached.add(target)
        if why:
            text = files[path].decode("utf-8")
            line = text.count("\n", 0, offset) + 1
            col = offset - (text.rfind("\n", 0, offset) + 1) + 1
            problems.append(error(Location(f"{out_name}/{path}", line, col), f"broken link '{link}': {why}"))
    return problems, frozenset(reached), answers


def _broken(link: str, page: str, files, scans, urls: Urls) -> tuple[str, Optional[str]]:
    """Why the link is broken ("" if it is not), and the output file it reaches (None: external)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return "", None  # external: not ours to check
    if not parts.path:
        target = page
    elif parts.path.startswith("/"):
        if not parts.path.startswith(urls.prefix):
            return f"outside the site's base path {urls.prefix}", None
        target = output_file(unquote(parts.path[len(urls.prefix):]))
    else:
        base = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
        joined = normpath(base + unquote(parts.path))
        if joined == ".." or joined.startswith("../"):
            return "outside the site", None
        folder = parts.path.endswith("/") or parts.path in (".", "..")
        target = output_file("" if joined == "." else joined + ("/" if folder else ""))
    if target not in files:
        return f"no file {target} in the site", target
    if parts.fragment and target in scans and unquote(parts.fragment) not in scans[target].ids:
        return f"no element with id '{parts.fragment}' on {target}", target
    return "", target
