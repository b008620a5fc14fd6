"""The gather stage: what spans sources, joined from each source's derived share.

Claims and their comparisons, agreement between sources, topic pages, backlinks, the timeline:
each is a plain reduction over the `Derived` values of the sources (dicts and sorts, no delta
code), done again on every build. Every view is made by keyword and carries the digest of what
it was made from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, Optional

from .compare import Relations, comparison
from .derive import Derived, embedded, render_text, resolver
from .diagnostics import Diagnostic
from .evidence import COUNT_LABELS, closed, period, scope_label, stage_rank
from .links import LinkIndex
from .markdown import Link
from .memo import Memo, digest_of, key
from .model import Content
from .rated import entities, verdict_view
from .reads import answer, named
from .urls import Urls, box_key, claim_key, source_key, topic_key
from .views import ClaimView, Dossier, FactView, Series, SourceView, TopicView

HOME = "home"
_UNDATED = 10 ** 7  # (after every day: undated rows come last)


@dataclass
class _Fields:
    """The HTML of the Markdown fields that are not a source's (introduction, topic bodies, claim
    notes), the edges their links make, and their problems."""

    index: LinkIndex
    memo: Memo
    html: dict = field(default_factory=dict)
    edges: set = field(default_factory=set)
    problems: list = field(default_factory=list)

    def render(self, name: str, text, page: str, files: Mapping[str, str], level: int = 2) -> None:
        """The field's HTML, memoized by its text, place, and the answers to the links it names
        (and, when one is missing, the file its error points into)."""
        answers = tuple((t, answer(self.index, t, None)) for t in named([text.markdown])) if text else ()
        file_text = files.get(text.location.path, "") if text else ""
        missing = any(a.link is None for _, a in answers)
        digest = key("field", text, page, level, answers, file_text if missing else "")
        html, problems, edges = self.memo.get("field", digest, lambda: _field(text, page, level, dict(answers), file_text))
        self.html[name] = html
        self.problems += problems
        self.edges.update(edges)


def _field(text, page: str, level: int, answers: Mapping, file_text: str) -> tuple[str, tuple, tuple]:
    problems, edges = [], set()
    html = render_text(text, lambda t: resolver(t, page, answers, file_text, problems, edges), level)
    return html, tuple(problems), tuple(sorted(edges))


@dataclass(frozen=True)
class _Joined:
    """What every page's view looks up across the dossier."""

    index: LinkIndex
    backlinks: Mapping[str, list[Link]]  # target key -> the pages linking to it
    boxes: Mapping[str, object]  # box key -> its fact or note view
    urls: Urls
    memo: Memo

    def links(self, keys) -> tuple[Link, ...]:
        """The links of those `keys` that name a target."""
        return tuple(self.index.targets[k] for k in keys if k in self.index.targets)

    def linking(self, target: str) -> tuple[Link, ...]:
        return tuple(self.backlinks.get(target, ()))


def gather(content: Content, index: LinkIndex, derived: Mapping[str, Derived], urls: Urls,
           memo: Optional[Memo] = None) -> tuple[Dossier, list[Diagnostic]]:
    """The dossier's views, from the content and each source's derived share (in content order).
    A claim's comparisons and relations are memoized by the digest of what they compare."""
    memo = memo or Memo()
    fields = _fields(content, index, memo)
    edges = fields.edges.union(*(d.edges for d in derived.values()))
    boxes = {box_key(d.page.key, v.anchor): v for d in derived.values() for v in (*d.facts, *d.notes)}
    joined = _Joined(index, _backlinks(edges, index.targets, urls), boxes, urls, memo)
    claims = _claims(content, derived, fields, joined)
    related = Relations(claims, joined.memo)
    sources = tuple(_source_view(s, content.seeds[s.seed], derived[s.slug], joined, related)
                    for s in content.sources if s.slug in derived)
    topics = _topics(content, derived, fields, joined)
    intro = fields.html["intro"]
    intro_embeds = _embeds([intro], boxes)
    home = joined.linking(HOME)
    timeline = _timeline(sources)
    digest = key("dossier", digest_of(content.config), _ids(home), content.intro.title, intro, _digests(intro_embeds),
                 tuple(s.digest for s in sources), tuple(t.digest for t in topics), tuple(c.digest for c in claims))
    return Dossier(config=content.config, intro_title=content.intro.title, intro_html=intro, sources=sources,
                   topics=topics, claims=claims, timeline=timeline, home_backlinks=home, intro_embeds=intro_embeds,
                   digest=digest), fields.problems


def _fields(content: Content, index: LinkIndex, memo: Memo) -> _Fields:
    """The introduction, topic bodies and claim notes; a fragment's top heading follows where
    it sits on its page."""
    fields = _Fields(index, memo)
    fields.render("intro", content.intro.body, HOME, content.files)
    for t in content.topics:
        fields.render(topic_key(t.slug), t.body, topic_key(t.slug), content.files)
    for c in content.claims:
        fields.render(claim_key(c.slug), c.note, claim_key(c.slug), content.files)
        if c.verdict:
            fields.render(verdict_key(c.slug), c.verdict.reasoning, claim_key(c.slug), content.files, level=3)
    return fields


def verdict_key(slug: str) -> str:
    """The name of a claim's verdict among the rendered fields."""
    return claim_key(slug) + "#verdict"


def _backlinks(edges, targets: Mapping[str, Link], urls: Urls) -> dict[str, list[Link]]:
    """The pages that link to each target, in the order of their keys."""
    found: dict[str, list[Link]] = {}
    for origin, target in sorted(edges):
        if origin != target:
            link = targets.get(origin) or Link(urls.home(), "Front page", "page", HOME)
            found.setdefault(target, []).append(link)
    return found


def _embeds(fragments, boxes: Mapping) -> tuple[tuple[str, object], ...]:
    """The fact and note boxes that `![[…]]` places in these HTML fragments, by key."""
    return tuple((k, boxes[k]) for k in embedded(fragments) if k in boxes)


def _ids(links) -> tuple:
    """Links as a key part: a link is its target's key and title (its URL and kind follow from them)."""
    return tuple((link.key, link.title) for link in links)


def _digests(embeds) -> tuple[str, ...]:
    return tuple(view.digest for _, view in embeds)


# -- claims -----------------------------------------------------------------------------------

def _claims(content: Content, derived, fields: _Fields, joined: _Joined) -> tuple[ClaimView, ...]:
    rows: dict[str, list[FactView]] = defaultdict(list)
    for d in derived.values():
        for view in d.facts:
            if view.fact.claim:
                rows[view.fact.claim].append(view)
    rated = (entities(content.topics), joined.urls)
    sources = {s.slug: s for s in content.sources}
    return tuple(_claim_view(c, rows.get(c.slug, ()), fields.html[claim_key(c.slug)], joined,
                             _verdict(c, rows.get(c.slug, ()), fields, sources, rated)) for c in content.claims)


def _verdict(claim, rows, fields: _Fields, sources: Mapping, rated: tuple):
    """The claim's verdict, if it has one: its claimants (else the attributions of its facts)
    and the reports it appears in."""
    if not claim.verdict:
        return None
    ordered = sorted(rows, key=lambda f: (f.fact.date or "9999", f.source.title, f.fact.id))
    return verdict_view(claim.verdict, fields.html[verdict_key(claim.slug)], claim.title, [r.fact.by for r in ordered],
                        [sources[r.fact.source] for r in ordered if r.fact.source in sources], rated)


def _claim_view(claim, rows, note: str, joined: _Joined, verdict=None) -> ClaimView:
    ordered = tuple(sorted(rows, key=lambda f: (f.measure.first or _UNDATED, f.measure.last, stage_rank(f.measure.stage),
                                                f.source.title, f.fact.id)))  # (by the days referred to)
    embeds = _embeds([note, verdict.reasoning_html if verdict else ""], joined.boxes)
    topics = joined.links(topic_key(t) for t in claim.topics)
    linked = joined.linking(claim_key(claim.slug))
    url = joined.urls.claim(claim.slug)
    digest = key("claim", digest_of(claim), _ids(topics), _ids(linked), url, note, tuple(r.digest for r in ordered),
                 _digests(embeds), digest_of(verdict))
    series = joined.memo.get("comparisons", key(tuple(r.digest for r in ordered)), lambda: _series(ordered))
    return ClaimView(claim=claim, url=url, note_html=note, rows=ordered, groups=tuple(g for s in series for g in s.groups),
                     embeds=embeds, topics=topics, backlinks=linked, verdict=verdict, digest=digest, series=series)


def _series(ordered: tuple[FactView, ...]) -> tuple[Series, ...]:
    """The rows by place and kind of count (in the order each first appears), then by the days
    they refer to (an open period closed on the day it was reported), each group compared."""
    found: dict[tuple[str, str], dict[tuple[int, int], list[FactView]]] = {}
    for row in ordered:
        found.setdefault(row.measure.series, {}).setdefault((row.measure.first, row.measure.last), []).append(row)
    return tuple(Series(scope=scope, count=count, label=_series_label(scope, dates, count),
                        groups=tuple(comparison(closed(group[0].fact.date, last), tuple(group))
                                     for (_, last), group in dates.items()))
                 for (scope, count), dates in found.items())


def _series_label(scope: str, dates: Mapping, count: str) -> str:
    """How a series reads: its place (the topic's title, or the whole country) and kind of count."""
    first = next(iter(dates.values()))[0]
    parts = [scope_label(scope, first.scope.title if first.scope else None)] if scope else []
    if count != "point" or not scope:
        parts.append(COUNT_LABELS[count])
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


# -- sources ----------------------------------------------------------------------------------

def _source_view(source, seed, d: Derived, joined: _Joined, related: Relations) -> SourceView:
    page, boxes = d.page.key, joined.boxes
    shown = tuple(boxes[k] for k in d.embeds if k in boxes)
    (agrees, contradicts, relation), linked = related.of(page), joined.linking(page)
    return SourceView(
        source=source, seed=seed, seed_sha256=d.seed_sha256, url=d.page.url, body_html=d.body_html,
        published_note_html=d.published_note_html, translation_note_html=d.translation_note_html,
        facts=d.facts, notes=d.notes, mentions=d.mentions, covered=d.covered, topics=d.topics,
        embeds=tuple(zip((k for k in d.embeds if k in boxes), shown)), agrees_with=agrees,
        contradicted_by=contradicts, backlinks=linked,
        digest=key("source", d.digest, relation, _ids(linked), tuple(v.digest for v in shown)))


# -- topics -----------------------------------------------------------------------------------

@dataclass
class _Material:
    """What a topic page gathers from the sources, in the dossier's order of sources."""

    facts: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    sources: set = field(default_factory=set)
    mentions: dict = field(default_factory=dict)  # source slug -> its MentionGroup


def _material(content: Content, derived: Mapping[str, Derived]) -> dict[str, _Material]:
    material: dict[str, _Material] = defaultdict(_Material)
    for s in content.sources:
        d = derived.get(s.slug)
        if d is None:
            continue
        named, facts_of, notes_of = d.gives
        for topic in dict.fromkeys((*s.topics, *named)):
            material[topic].sources.add(s.slug)
        for topic, i in facts_of:
            material[topic].facts.append(d.facts[i])
        for topic, i in notes_of:
            material[topic].notes.append(d.notes[i])
        for topic, group in d.mention_groups:
            material[topic].mentions[s.slug] = group
    return material


def _topics(content: Content, derived, fields: _Fields, joined: _Joined) -> tuple[TopicView, ...]:
    material = _material(content, derived)
    related: dict[str, set] = defaultdict(set)
    for t in content.topics:
        related[t.slug].update(t.related)
        for other in t.related:
            related[other].add(t.slug)
    return tuple(_topic_view(t, material.get(t.slug) or _Material(), related[t.slug], fields.html[topic_key(t.slug)],
                             joined) for t in content.topics)


def _topic_view(topic, material: _Material, related: set, body: str, joined: _Joined) -> TopicView:
    facts_by_claim = _by_claim(material.facts, joined.index)
    embeds = _embeds([body], joined.boxes)
    sources = joined.links(source_key(s) for s in sorted(material.sources))
    linked_topics = joined.links(topic_key(t) for t in sorted(related))
    linked = joined.linking(topic_key(topic.slug))
    url = joined.urls.topic(topic.slug)
    digest = key("topic", digest_of(topic), _ids(sources), _ids(linked_topics), _ids(linked),
                 _ids(c for c, _ in facts_by_claim if c),
                 url, body, _digests(embeds), tuple(tuple(f.digest for f in facts) for _, facts in facts_by_claim),
                 tuple(n.digest for n in material.notes), tuple(group.digest for group in material.mentions.values()))
    return TopicView(topic=topic, url=url, body_html=body, embeds=embeds, facts_by_claim=facts_by_claim,
                     notes=tuple(material.notes), sources=sources, related=linked_topics,
                     mentions=tuple(material.mentions.values()), backlinks=linked, digest=digest)


def _by_claim(facts: list[FactView], index: LinkIndex) -> tuple:
    grouped: dict[Optional[str], list[FactView]] = defaultdict(list)
    for fact in facts:
        grouped[fact.fact.claim].append(fact)
    return tuple((index.targets.get(claim_key(c)) if c else None, tuple(v))
                 for c, v in sorted(grouped.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))


# -- timeline ---------------------------------------------------------------------------------

def _timeline(sources: tuple[SourceView, ...]) -> tuple[tuple[str, tuple[FactView, ...]], ...]:
    """Every dated fact by the date it refers to; a period under the day it starts (its entry
    shows where it ends)."""
    days: dict[str, list[FactView]] = defaultdict(list)
    for view in sources:
        for fact in view.facts:
            if fact.fact.date:
                days[period(fact.fact.date).start].append(fact)
    return tuple((day, tuple(sorted(days[day], key=lambda f: (f.source.title, f.number)))) for day in sorted(days))
