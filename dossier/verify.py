"""After rendering: every internal href/src must reach a built file, every #fragment an element id."""

from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass
from html import unescape
from posixpath import normpath
from typing import Iterator, Mapping, Optional
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Location, error
from .memo import MISSING, Memo, key
from .urls import Urls, output_file


_ATTR = re.compile(r'\s(id|href|src)="([^"]*)"')
_BASE = re.compile(r"<base\b[^>]*>", re.I)
_EXTERNAL = ("https://", "http://", "mailto:")  # links that are not ours to check
_OURS_NOT = ("", None)


@dataclass(frozen=True)
class Scan:
    """The ids and links of one page, kept compact (a build keeps one for every page until its
    links are checked). Our templates always double-quote attributes, and every value inside is
    escaped, so a scan for `name="value"` finds exactly the attributes."""

    names: str  # the page's ids, one per line (an id holds no whitespace)
    urls: str  # the URL of every link, one after the other
    ends: array  # where each link's URL ends in `urls`
    offsets: array  # where each link's URL stands in the page
    marks: str  # the digest of the ids: what a link to one of them needs of the page

    @property
    def ids(self) -> frozenset:
        return frozenset(self.names.split("\n")) if self.names else frozenset()

    @property
    def links(self) -> Iterator[tuple[int, str]]:
        """(offset, url) of every link, in the page's order."""
        start = 0
        for offset, end in zip(self.offsets, self.ends):
            yield offset, self.urls[start:end]
            start = end


def scan(html: str) -> Scan:
    bases = [(m.start(), m.end()) for m in _BASE.finditer(html)]  # <base href> is not a link
    ids, urls, ends, offsets, end = set(), [], array("L"), array("L"), 0
    for match in _ATTR.finditer(html):
        value = match.group(2)
        if "&" in value:
            value = unescape(value)
        if match.group(1) == "id":
            ids.add(value)
        elif not bases or not any(start <= match.start() < stop for start, stop in bases):
            urls.append(value)
            end += len(value)
            ends.append(end)
            offsets.append(match.start(2))
    names = "\n".join(sorted(ids))
    return Scan(names, "".join(urls), ends, offsets, hashlib.sha256(names.encode()).hexdigest())


def check_links(files: Mapping[str, bytes], urls: Urls, out_name: str = "site",
                scans: Optional[Mapping[str, Scan]] = None, keys: Optional[Mapping[str, str]] = None,
                memo: Optional[Memo] = None) -> list[Diagnostic]:
    """Broken internal links of every HTML page in `files` (output path -> bytes), from the
    pages' `scans` (made when each page was rendered; a page without one is scanned here).

    With the pages' render `keys` and a `memo`, a page's answer is taken from the memo when the
    page is the same and so is what its links reach: the files there (or not), and the ids of
    those its links ask a fragment of."""
    scans = scans or {}
    scans = {path: scans.get(path) or scan(files[path].decode("utf-8")) for path in sorted(files) if path.endswith(".html")}
    check = _Check(files, scans, urls, out_name, keys or {}, memo)
    return [problem for path in scans for problem in check.page(path)]


class _Check:
    def __init__(self, files, scans, urls: Urls, out_name: str, keys: Mapping[str, str], memo: Optional[Memo]):
        self.files, self.scans, self.urls, self.out_name, self.keys, self.memo = files, scans, urls, out_name, keys, memo
        self.ids = _Ids(scans)
        self.known: dict[str, tuple[str, Optional[str]]] = {}  # a site-absolute link's answer, the same everywhere
        self.states: Optional[tuple[dict, dict]] = None  # (made once, when first asked)

    def page(self, path: str) -> tuple[Diagnostic, ...]:
        own = self.keys.get(path)
        if own is None or self.memo is None:
            return self._check(path)[0]
        base = key(own, self.urls.base_url, self.out_name)
        reached = self.memo.lookup("link-reach", base)
        found = self.memo.lookup("link-check", key(base, self._states(reached))) if reached is not MISSING else MISSING
        if found is MISSING:
            found, reached = self._check(path)
            self.memo.put("link-reach", base, reached)
            self.memo.put("link-check", key(base, self._states(reached)), found)
        return found

    def _states(self, reached: tuple) -> tuple:
        """What the links of a page need of the files they reach: that each exists, and the ids
        of those they ask a fragment of."""
        states = self.states
        if states is None:
            states = self.states = self._all_states()
        return tuple(states[anchored].get(target, "missing") for target, anchored in reached)

    def _all_states(self) -> tuple[dict, dict]:
        """Each file's state as a link reaches it: without a fragment, that it exists; with one,
        the ids it holds (for a page: their digest)."""
        plain = dict.fromkeys(self.files, "file")
        return plain, {**plain, **{path: found.marks for path, found in self.scans.items()}}

    def _check(self, path: str) -> tuple[tuple[Diagnostic, ...], tuple]:
        """The page's problems, and the files its links reach (with whether any asks a fragment)."""
        problems, answers, known = [], {}, self.known
        for offset, link in self.scans[path].links:
            answer = answers.get(link)
            if answer is None:
                if link.startswith(_EXTERNAL):
                    answer = _OURS_NOT  # (no need to take it apart: a page links to many such)
                elif link.startswith("/") and not link.startswith("//"):
                    answer = known.get(link) or known.setdefault(link, _broken(link, path, self.files, self.ids, self.urls))
                else:
                    answer = _broken(link, path, self.files, self.ids, self.urls)
                answers[link] = answer
            if answer[0]:
                problems.append(error(_where(self.files[path], self.out_name, path, offset), f"broken link '{link}': {answer[0]}"))
        reached: dict[str, bool] = {}
        for link, (_, target) in answers.items():
            if target is not None:
                reached[target] = reached.get(target, False) or "#" in link
        return tuple(problems), tuple(sorted(reached.items()))


def _where(data: bytes, out_name: str, path: str, offset: int) -> Location:
    text = data.decode("utf-8")
    line = text.count("\n", 0, offset) + 1
    return Location(f"{out_name}/{path}", line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


class _Ids(dict):
    """The ids of each page, made from its scan when first asked for (during one check only)."""

    def __init__(self, scans: Mapping[str, Scan]) -> None:
        super().__init__()
        self.scans = scans

    def __contains__(self, path) -> bool:
        return path in self.scans

    def __missing__(self, path: str) -> frozenset:
        found = self[path] = self.scans[path].ids
        return found


def _broken(link: str, page: str, files, ids: Mapping[str, frozenset], urls: Urls) -> tuple[str, Optional[str]]:
    """Why the link is broken ("" if it is not), and the output file it reaches (None: external,
    or outside the site)."""
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
    if parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
        return f"no element with id '{parts.fragment}' on {target}", target
    return "", target
