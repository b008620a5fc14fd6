"""The plan: every page of the site, the template that renders it and what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Optional, Sequence

from .memo import Memo, digest_of, key
from .urls import claim_path, source_path, topic_path
from .views import Dossier, FactView, SourceView, TopicView


@dataclass(frozen=True)
class Page:
    path: str  # site path: "" (index), "sources/x/", "404.html"
    template: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""  # of what the context holds (see `page`)


def page(path: str, template: str, title: str, context: Optional[Mapping[str, Any]] = None) -> Page:
    """A page, with the digest of what it shows: views by their digests, anything else by value."""
    context = context or {}
    return Page(path, template, title, context, key(tuple((name, fingerprint(value)) for name, value in context.items())))


def fingerprint(value: Any) -> Any:
    """What `value` was made from, as a key part: a view's digest, a pager by value, containers item by item."""
    if isinstance(value, (tuple, list)):
        return tuple(fingerprint(item) for item in value)
    if isinstance(value, dict):
        return tuple((k, fingerprint(v)) for k, v in value.items())
    digest = getattr(value, "digest", None)
    return digest if isinstance(digest, str) else repr(value)


@dataclass(frozen=True)
class Pager:
    """Where one page stands in a list that runs over several pages."""

    number: int  # 1 for the first page
    paths: tuple[str, ...]  # the site path of every page of the list, in order
    first: int  # the page's first and last item, counted from 1 in the whole list
    last: int
    total: int  # items in the whole list

    @property
    def path(self) -> str:
        return self.paths[self.number - 1]

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def previous(self) -> Optional[str]:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> Optional[str]:
        return self.paths[self.number] if self.number < self.count else None

    def window(self, around: int = 2) -> list[Optional[int]]:
        """The page numbers a pager shows: the first, the last and those near this one; None
        stands for the numbers left out between them."""
        shown = sorted({1, self.count, *range(max(1, self.number - around), min(self.count, self.number + around) + 1)})
        numbers: list[Optional[int]] = []
        for n in shown:
            if numbers and n - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


def page_path(base: str, number: int) -> str:
    """Page 1 of a list is its own path; the others follow it: `topics/x/page/2/`."""
    return base if number == 1 else f"{base}page/{number}/"


def split(items: Sequence, size: int, weight=lambda item: 1) -> list[Sequence]:
    """`items` in runs of about `size` (at least one run, even if empty). With `weight`, a run is
    closed once its items weigh `size` or more: an item, such as a day of facts, is never split."""
    runs, start, held = [], 0, 0
    for i, item in enumerate(items):
        held += weight(item)
        if held >= size:
            runs.append(items[start:i + 1])
            start, held = i + 1, 0
    if start < len(items) or not runs:
        runs.append(items[start:])
    return runs


def pagers(base: str, runs: list[Sequence], weight=lambda item: 1) -> list[Pager]:
    paths = tuple(page_path(base, n) for n in range(1, len(runs) + 1))
    sizes = [sum(weight(item) for item in run) for run in runs]
    total, done, found = sum(sizes), 0, []
    for number, size in enumerate(sizes, 1):
        found.append(Pager(number, paths, done + 1 if size else done, done + size, total))
        done += size
    return found


def plan(dossier: Dossier, origin: str = "", memo: Optional[Memo] = None) -> list[Page]:
    """Every page, in a fixed order, with exactly the data its template reads. `origin` is the
    site's host (`https://user.github.io`): without it there is no sitemap, whose URLs must be
    absolute, and robots.txt does not name one.

    A page whose data (and templates) did not change renders the same bytes, which is what lets
    a rebuild render only the pages an edit affects. Long lists run over several pages of
    `per_page` items each, so that no page grows with the dossier and an edit re-renders only the
    part of a list it touches. A topic's pages are memoized by its view's digest (with `memo`)."""
    memo = memo or Memo()
    whole = {"dossier": dossier}
    entity_urls = {t.topic.slug: t.url for t in dossier.topics if t.topic.is_entity}
    updated = max((s.source.published for s in dossier.sources), default="2020")
    size = dossier.config.per_page
    pages = [
        page("", "index.html", dossier.intro_title or dossier.config.title, whole),
        *_source_list(dossier.sources, size),
        page("topics/", "topics.html", "Topics and entities", whole),
        page("claims/", "claims.html", "Claims", whole),
        *_timeline(dossier.timeline, size),
        page("404.html", "404.html", "Page not found"),
        page("search/", "search.html", "Search"),
        page("feed.xml", "feed.xml", "Sources feed", {
            "entries": sorted(dossier.sources, key=lambda s: s.source.published, reverse=True)[:size],
            "feed_updated": updated}),
        page("robots.txt", "robots.txt", "Robots", {"origin": origin}),
    ]
    around = key(tuple(entity_urls.items()))  # (the same for every source page: its digest once)
    pages += [Page(source_path(s.source.slug), "source.html", s.source.title, {"view": s, "topic_urls": entity_urls},
                   key(s.digest, around)) for s in dossier.sources]
    for t in dossier.topics:
        pages += memo.get("topic-pages", key(t.digest, size), lambda: _topic(t, size))
    pages += [page(claim_path(c.claim.slug), "claim.html", c.claim.title, {"view": c}) for c in dossier.claims]
    if origin:
        listed = tuple(p.path for p in pages if p.path == "" or p.path.endswith("/"))
        pages.append(page("sitemap.xml", "sitemap.xml", "Sitemap", {"paths": listed, "origin": origin}))
    return pages


def _titled(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title}, page {pager.number} of {pager.count}"


def _source_list(sources: tuple[SourceView, ...], size: int) -> list[Page]:
    runs = split(sorted(sources, key=lambda s: s.source.published), size)
    return [page(pager.path, "sources.html", _titled("Sources", pager),
                 {"items": tuple(run), "pager": pager}) for run, pager in zip(runs, pagers("sources/", runs))]


def _timeline(days: tuple[tuple[str, tuple[FactView, ...]], ...], size: int) -> list[Page]:
    """The timeline's days in pages of about `size` facts, and a way to every month from each."""
    weight = lambda day: len(day[1])  # noqa: E731
    runs = split(days, size, weight)
    found = pagers("timeline/", runs, weight)
    months: dict[str, tuple[str, str, str]] = {}  # month -> (month, page, its first day)
    for run, pager in zip(runs, found):
        for day, _ in run:
            months.setdefault(day[:7], (day[:7], pager.path, day))
    months_shown = tuple(months.values()) if len(runs) > 1 else ()
    return [page(pager.path, "timeline.html", _titled("Timeline", pager),
                 {"days": tuple(run), "pager": pager, "months": months_shown}) for run, pager in zip(runs, found)]


def _topic(view: TopicView, size: int) -> list[Page]:
    """A topic's pages: the first has everything about the topic; its facts (by claim), notes and
    mentions run on over the next ones when there are more than `size` of them together."""
    entries = [("fact", claim, fact) for claim, facts in view.facts_by_claim for fact in facts]
    entries += [("note", None, note) for note in view.notes]
    entries += [("mentions", None, group) for group in view.mentions]
    runs = split(entries, size)
    found = pagers(topic_path(view.topic.slug), runs)
    pages = []
    for run, pager in zip(runs, found):
        grouped: dict = {}
        for kind, claim, item in run:
            if kind == "fact":
                grouped.setdefault(claim, []).append(item)
        part = dict(facts_by_claim=tuple((claim, tuple(facts)) for claim, facts in grouped.items()),
                    notes=tuple(item for kind, _, item in run if kind == "note"),
                    mentions=tuple(item for kind, _, item in run if kind == "mentions"))
        if pager.number > 1:  # what only the first page shows is left out of the others' data
            part.update(body_html="", embeds=(), sources=(), related=(), backlinks=())
        shown = view if pager.count == 1 else replace(view, **part)
        digest = view.digest if pager.count == 1 else _part_digest(shown, pager)
        pages.append(Page(pager.path, "topic.html", _titled(view.topic.title, pager),
                          {"view": shown, "pager": pager, "fact_count": view.fact_count},
                          key(digest, repr(pager), view.fact_count)))
    return pages


def _part_digest(part: TopicView, pager: Pager) -> str:
    """The digest of what one page of a long topic shows (`part`: the topic's view with that
    page's share of its facts, notes and mentions; the first page also shows the topic's text,
    sources, related topics and backlinks)."""
    links = lambda found: tuple((link.key, link.title) for link in found)  # noqa: E731
    head = (links(part.sources), links(part.related), links(part.backlinks), part.body_html,
            tuple(view.digest for _, view in part.embeds)) if pager.number == 1 else ()
    facts = tuple((links([claim]) if claim else (), tuple(f.digest for f in facts)) for claim, facts in part.facts_by_claim)
    return key(digest_of(part.topic), part.url, head, facts, tuple(n.digest for n in part.notes),
               tuple(g.digest for g in part.mentions))
