"""What search indexes, and in which bundle: the indexed pages cut into documents and dealt into shards.

A source page gives Pagefind several documents: the page itself (its seed text and commentary)
and one per fact box and note, cut out of the page, so that a fact or a note is a result of its
own, with its own filters, linking to its box. The documents are dealt into shards by the kind of
their page (sources, topics, claims, other) and by a stable hash of its slug: a shard whose pages
outnumber the limit splits in two on the next bit of the hash (extendible hashing), so a page
keeps its shard as the dossier grows until that shard splits, and no shard outgrows the limit.
Each shard is indexed on its own and cached under the digest of exactly the documents it indexes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Mapping

SHARD_PAGES = 1000  # most pages in one shard (a source page counts once, with its facts and notes)
KINDS = ("sources", "topics", "claims")  # the page kinds with shards of their own; the rest is "other"
_BITS = 32  # bits of the slug's hash a shard name may use
_VERSION = b"dossier-search-3\0"  # bumped when the documents given to Pagefind change shape

# a fact box or note drawn on its source's page (only those have an id: boxes shown elsewhere do not)
_PART = re.compile(r'<(article|aside) class="(?:fact|note)\b[^"]*" id="([^"]+)"')
_TAGS = {tag: re.compile(rf"<(/?){tag}\b") for tag in ("article", "aside")}
_LANG = re.compile(r'<html lang="([^"]*)"')


@dataclass(frozen=True)
class Shard:
    """One bundle's worth of documents: (path given to Pagefind, HTML), sorted by path."""

    name: str  # "sources-01", "topics", … (also its folder under `pagefind/`)
    documents: tuple[tuple[str, bytes], ...]

    @cached_property
    def digest(self) -> str:
        """The cache key: the shard's name and every document it indexes, path and bytes."""
        h = hashlib.sha256(_VERSION + self.name.encode() + b"\0")
        for path, data in self.documents:
            h.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
        return h.hexdigest()[:32]


def kind(path: str) -> str:
    """The page kind of a site path: `sources/x/index.html` -> `sources`."""
    top = path.split("/", 1)[0]
    return top if top in KINDS and path.count("/") >= 2 else "other"


def slug_hash(path: str) -> int:
    """A stable number for a page: from its slug (`sources/<slug>/…`), or its path for other pages."""
    key = path.split("/")[1] if kind(path) != "other" else path
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:4], "big")


def assign(paths: list[str], limit: int = SHARD_PAGES) -> dict[str, str]:
    """The shard of each page path, by kind, then by as many bits of its hash as keep every shard
    at `limit` pages or fewer."""
    found: dict[str, str] = {}
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for path in paths:
        by_kind.setdefault(kind(path), []).append((slug_hash(path), path))
    for name, items in by_kind.items():
        for bits, members in _split(sorted(items), max(1, limit), ""):
            found.update((path, f"{name}-{bits}" if bits else name) for _, path in members)
    return found


def _split(items: list[tuple[int, str]], limit: int, bits: str) -> Iterator[tuple[str, list]]:
    """Extendible hashing: a bucket over the limit splits in two on its next hash bit."""
    if len(items) <= limit or len(bits) == _BITS:
        yield bits, items
        return
    shift = _BITS - len(bits) - 1
    for bit in "01":
        yield from _split([i for i in items if (i[0] >> shift) & 1 == int(bit)], limit, bits + bit)


def shards(pages: Mapping[str, bytes], limit: int = SHARD_PAGES) -> list[Shard]:
    """The shards of the indexed `pages` (site path -> HTML), sorted by name."""
    grouped: dict[str, list[tuple[str, bytes]]] = {}
    for path, name in assign(sorted(pages), limit).items():
        grouped.setdefault(name, []).extend(documents(path, pages[path]))
    return [Shard(name, tuple(sorted(docs))) for name, docs in sorted(grouped.items())]


def documents(path: str, html: bytes) -> list[tuple[str, bytes]]:
    """The documents of one page: itself, and each fact box or note drawn on it (a source page's),
    as a small page of its own at `<page folder>/<anchor>/index.html` (the box says where it links)."""
    found = [(path, html)]
    if b' id="fact-' not in html and b' id="note-' not in html:
        return found
    text = html.decode("utf-8")
    lang = _LANG.search(text)
    folder = path.rsplit("/", 1)[0]
    for anchor, part in parts(text):
        found.append((f"{folder}/{anchor}/index.html", _page(part, lang.group(1) if lang else "")))
    return found


def parts(html: str) -> Iterator[tuple[str, str]]:
    """(id, outer HTML) of every fact box and note drawn on its source's page."""
    for match in _PART.finditer(html):
        yield match.group(2), html[match.start():_end(html, match.group(1), match.start())]


def _end(html: str, tag: str, start: int) -> int:
    """Where the element of `tag` opened at `start` closes (tags of the same name may nest in it)."""
    depth = 0
    for match in _TAGS[tag].finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html.find(">", match.end()) + 1
    return len(html)


def _page(part: str, lang: str) -> bytes:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head>'
            f"<body><main data-pagefind-body>{part}</main></body></html>").encode("utf-8")
