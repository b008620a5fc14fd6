"""Which search bundle indexes which page: the indexed pages dealt into shards.

Pages are dealt into shards by their kind (sources, topics, claims, other) and by a stable hash
of their slug: a shard whose pages outnumber the limit splits in two on the next bit of the hash
(extendible hashing), so a page keeps its shard as the dossier grows until that shard splits,
and no shard outgrows the limit.
Each shard is indexed on its own and cached under the digest of exactly the pages it indexes.

(A fact box or note is found as a part of its source's page: its heading has an id, so Pagefind
gives it as a sub-result that links to it. Giving Pagefind each box as a document of its own
would cost about three times the indexing time, for the fragment Pagefind writes per document.)"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Mapping

SHARD_PAGES = 1000  # most pages in one shard
KINDS = ("sources", "topics", "claims")  # the page kinds with shards of their own; the rest is "other"
_BITS = 32  # bits of the slug's hash a shard name may use
_VERSION = b"dossier-search-4\0"  # bumped when the documents given to Pagefind, or its bundles, change shape
_LANG = re.compile(rb'<html lang="([^"]*)"')
_IGNORED = re.compile(rb"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>")
# inline elements: their tags only mark up words (links, mentions, highlighted quotes, dates)
_INLINE = re.compile(rb"</?(?:a|abbr|b|cite|code|em|i|mark|q|s|small|span|strong|sub|sup|time|u)\b[^>]*>")


@dataclass(frozen=True)
class Shard:
    """One bundle's worth of pages: (site path, HTML), sorted by path."""

    name: str  # "sources-01", "topics", … (also its folder under `pagefind/`)
    documents: tuple[tuple[str, bytes], ...]

    @cached_property
    def digest(self) -> str:
        """The cache key: the shard's name and every page it indexes, path and bytes."""
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
        grouped.setdefault(name, []).append((path, lean(pages[path])))
    return [Shard(name, tuple(sorted(docs))) for name, docs in sorted(grouped.items())]


def lean(html: bytes) -> bytes:
    """What Pagefind needs of a page to index it as it stands: the language, the indexed part
    (`data-pagefind-body`) without the parts it ignores and without inline tags. The same words,
    filters and headings, in a third of the bytes (and time): Pagefind reads the seed's every
    mention link and highlighted quote otherwise. A page with no marked part is given whole."""
    start = html.find(b"<main")
    end = html.rfind(b"</main>")
    if start < 0 or end < 0 or b"data-pagefind-body" not in html[start:html.find(b">", start)]:
        return html
    body = _INLINE.sub(b"", _unignored(html[start:end + 7]))
    lang = _LANG.search(html)
    head = b'<!doctype html><html lang="' + (lang.group(1) if lang else b"") + b'"><meta charset="utf-8"><body>'
    return head + body + b"</body></html>"


def _unignored(html: bytes) -> bytes:
    """`html` without the elements marked `data-pagefind-ignore` (and what they hold)."""
    kept, at = [], 0
    while (found := _IGNORED.search(html, at)):
        kept.append(html[at:found.start()])
        at = _close(html, found.group(1), found.start())
    return b"".join(kept) + html[at:]


def _close(html: bytes, tag: bytes, start: int) -> int:
    """Where the element of `tag` opened at `start` ends (elements of the same name may nest in it)."""
    depth = 0
    for match in re.finditer(rb"<(/?)" + tag + rb"[\s>]", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html.find(b">", start + match.start()) + 1
    return len(html)
