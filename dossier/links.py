"""Cross-references: every [[target]] resolved against one index of pages and anchors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from .diagnostics import Diagnostic, Location, did_you_mean, error
from .markdown import Link, Resolver
from .model import Content, Text
from .recall import Recall
from .urls import Urls

KINDS = ("sources", "topics", "claims")


@dataclass
class LinkIndex:
    """Every linkable target by canonical key (`topics/minsk`, `sources/x#fact-y`) and bare name."""

    targets: dict[str, Link] = field(default_factory=dict)
    bare: dict[str, list[str]] = field(default_factory=dict)
    edges: set[tuple[str, str]] = field(default_factory=set)  # (from page key, to target key)
    problems: list[Diagnostic] = field(default_factory=list)
    broken: frozenset[str] = frozenset()  # targets whose file failed to validate: no second error
    known: dict[Link, Link] = field(default_factory=dict)  # links of earlier builds, to hand on again

    def add(self, key: str, link: Link) -> None:
        self.targets[key] = self.canonical(link)
        if "#" not in key:
            self.bare.setdefault(key.split("/", 1)[1], []).append(key)

    def canonical(self, link: Link) -> Link:
        """The equal link of an earlier build, if any (so that an unchanged link is the very same
        object, build after build); else `link`, remembered as such."""
        return self.known.setdefault(link, link)

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

    def _is_broken(self, target: str) -> bool:
        name = target.partition("#")[0]
        return name in self.broken or any(f"{kind}/{name}" in self.broken for kind in KINDS)

    def _unknown(self, name: str) -> str:
        return f"unknown cross-reference target '{name}'{did_you_mean(name, [*self.bare, *self.targets])}"

    def resolver(self, text: Text, page: str, files: Mapping[str, str], source: Optional[str] = None) -> Resolver:
        """A resolver for the Markdown in `text`, which appears on `page`; misses become errors."""
        def resolve(target: str) -> Optional[Link]:
            link, why = self.lookup(target, source)
            if link is None and self._is_broken(target):
                return None
            if link is None:
                self.problems.append(error(locate(files, text.location, "[[" + target), why,
                                           "targets: a source, topic or claim slug, or source#fact-id"))
                return None
            self.record(page, link)
            return link
        return resolve

    def record(self, page: str, link: Link) -> None:
        """Remember that `page` links to `link` (for backlinks)."""
        self.edges.add(edge(page, link))


def edge(page: str, link: Link) -> tuple[str, str]:
    """A link from `page` as backlinks count it: to the target's page, for a fact or note."""
    return page, link.key.split("#", 1)[0] if link.kind in ("fact", "note") else link.key


def build_index(content: Content, urls: Urls, known: Optional[dict[Link, Link]] = None,
                recall: Optional[Recall] = None) -> LinkIndex:
    """The index of every target; a link equal to one in `known` is that very object (so that what
    is built from links is recognised as unchanged cheaply). With `recall`, the links of a source
    that did not change are not made again."""
    index = LinkIndex(broken=content.broken, known=known if known is not None else {})
    recall = recall if recall is not None else Recall()
    for source in content.sources:  # (a source's links are made canonical once, when made)
        links = recall.get(("links", source.slug), (source, urls),
                           lambda: tuple((key, index.canonical(link)) for key, link in _source_links(source, urls)))
        index.targets.update(links)
        index.bare.setdefault(source.slug, []).append(f"sources/{source.slug}")
    for topic in content.topics:
        index.add(f"topics/{topic.slug}", Link(urls.topic(topic.slug), topic.title, "topic", f"topics/{topic.slug}"))
    for claim in content.claims:
        index.add(f"claims/{claim.slug}", Link(urls.claim(claim.slug), claim.title, "claim", f"claims/{claim.slug}"))
    return index


def _source_links(source, urls: Urls) -> tuple[tuple[str, Link], ...]:
    key = f"sources/{source.slug}"
    url = urls.source(source.slug)
    found = [(key, Link(url, source.title, "source", key))]
    found += [(f"{key}#{fact.anchor}", Link(f"{url}#{fact.anchor}", fact.statement, "fact", f"{key}#{fact.anchor}"))
              for fact in source.facts]
    found += [(f"{key}#{note.anchor}", Link(f"{url}#{note.anchor}", f"{note.kind.capitalize()} note", "note",
                                            f"{key}#{note.anchor}")) for note in source.notes]
    return tuple(found)


def locate(files: Mapping[str, str], start: Location, needle: str) -> Location:
    """Where `needle` first appears in the file at or after `start`; `start` if not found."""
    text = files.get(start.path)
    if not text or start.line < 1:
        return start
    lines = text.split("\n")
    for number in range(start.line, len(lines) + 1):
        col = lines[number - 1].find(needle, max(start.col - 1, 0) if number == start.line else 0)
        if col >= 0:
            return Location(start.path, number, col + 1)
    return start
