"""Cross-references: every [[target]] resolved against one index of pages and anchors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .diagnostics import Location, did_you_mean
from .markdown import Link
from .model import Content
from .urls import Urls, box_key, claim_key, source_key, topic_key

KINDS = ("sources", "topics", "claims")


@dataclass
class LinkIndex:
    """Every linkable target by canonical key (`topics/minsk`, `sources/x#fact-y`) and bare name."""

    targets: dict[str, Link] = field(default_factory=dict)
    bare: dict[str, list[str]] = field(default_factory=dict)
    broken: frozenset[str] = frozenset()  # targets whose file failed to validate: no second error

    def add(self, key: str, link: Link) -> None:
        self.targets[key] = link
        if "#" not in key:
            self.bare.setdefault(key.split("/", 1)[1], []).append(key)

    def lookup(self, target: str, here: Optional[str]) -> tuple[Optional[Link], str]:
        """The link for `target` as written on page `here` (a `sources/x` key), or None and why."""
        name, hash_, anchor = target.partition("#")
        if hash_:
            page = here if not name and here else self._page_key(name, "sources")
            if page is None:
                return None, self._unknown(name)
            for kind in ("fact", "note"):
                link = self.targets.get(f"{page}#{kind}-{anchor}")
                if link:
                    return link, ""
            anchors = [k.split("#", 1)[1].split("-", 1)[1] for k in self.targets if k.startswith(page + "#")]
            return None, f"'{page}' has no fact or note '{anchor}'{did_you_mean(anchor, anchors)}"
        key = self._page_key(name, None)
        if key is None:
            candidates = self.bare.get(name, [])
            if len(candidates) > 1:
                return None, f"'{name}' is ambiguous: write one of " + ", ".join(sorted(candidates))
            return None, self._unknown(name)
        return self.targets[key], ""

    def _page_key(self, name: str, default_kind: Optional[str]) -> Optional[str]:
        if "/" in name:
            return name if name in self.targets else None
        candidates = self.bare.get(name, [])
        if default_kind:
            candidates = [c for c in candidates if c.startswith(default_kind + "/")]
        return candidates[0] if len(candidates) == 1 else None

    def is_broken(self, target: str) -> bool:
        name = target.partition("#")[0]
        return name in self.broken or any(f"{kind}/{name}" in self.broken for kind in KINDS)

    def _unknown(self, name: str) -> str:
        return f"unknown cross-reference target '{name}'{did_you_mean(name, [*self.bare, *self.targets])}"


def edge(page: str, link: Link) -> tuple[str, str]:
    """A link from `page` as backlinks count it: to the target's page, for a fact or note."""
    return page, link.key.split("#", 1)[0] if link.kind in ("fact", "note") else link.key


def build_index(content: Content, urls: Urls) -> LinkIndex:
    """The index of every target."""
    index = LinkIndex(broken=content.broken)
    for source in content.sources:
        index.targets.update(source_links(source, urls))
        index.bare.setdefault(source.slug, []).append(source_key(source.slug))
    for topic in content.topics:
        index.add(topic_key(topic.slug), Link(urls.topic(topic.slug), topic.title, "topic", topic_key(topic.slug)))
    for claim in content.claims:
        index.add(claim_key(claim.slug), Link(urls.claim(claim.slug), claim.title, "claim", claim_key(claim.slug)))
    return index


def source_links(source, urls: Urls) -> tuple[tuple[str, Link], ...]:
    """The links to a source's page and to each of its fact and note boxes, by key."""
    key = source_key(source.slug)
    url = urls.source(source.slug)
    found = [(key, Link(url, source.title, "source", key))]
    found += [(box_key(key, fact.anchor), Link(f"{url}#{fact.anchor}", fact.statement, "fact", box_key(key, fact.anchor)))
              for fact in source.facts]
    found += [(box_key(key, note.anchor), Link(f"{url}#{note.anchor}", f"{note.kind.capitalize()} note", "note",
                                               box_key(key, note.anchor))) for note in source.notes]
    return tuple(found)


def locate(text: str, start: Location, needle: str) -> Location:
    """Where `needle` first appears in the file's `text` at or after `start`; `start` if not found."""
    if not text or start.line < 1:
        return start
    lines = text.split("\n")
    for number in range(start.line, len(lines) + 1):
        col = lines[number - 1].find(needle, max(start.col - 1, 0) if number == start.line else 0)
        if col >= 0:
            return Location(start.path, number, col + 1)
    return start
