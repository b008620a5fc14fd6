"""The resolve stage: quotes located, cross-references and backlinks, claims compared, mentions found."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape
from typing import Optional

from . import markdown
from .compare import agree, outliers, spread
from .diagnostics import Diagnostic, error
from .links import LinkIndex, build_index, edge
from .markdown import Link
from .mentions import Mention, MentionFinder
from .model import Content, Fact, Quote, Source, Text, Topic
from .quotes import SeedIndex, Span
from .recall import Recall
from .urls import Urls
from .views import (ClaimView, Comparison, Dossier, FactView, MentionGroup, NoteView, SourceView,
                    TopicView)

HOME = Link("", "Front page", "page", "home")


@dataclass
class Reuse:
    """What a long-running process keeps from one resolve to the next; each part is keyed by all
    the inputs its value depends on, and holds only the last build's entries."""

    markdown: dict = field(default_factory=dict)  # (text, page, source, level) -> (html, resolved links)
    mentions: dict = field(default_factory=dict)  # (seed text, names) -> mentions
    quotes: dict = field(default_factory=dict)  # (seed text, quotes) -> spans (only error-free ones)
    links: dict = field(default_factory=dict)  # Link -> the equal Link of an earlier build
    targets: Optional[dict] = None  # the last link index's targets
    views: Recall = field(default_factory=Recall)  # views, by what they were built from
    units: dict = field(default_factory=dict)  # source slug -> _Unit: its whole share of the last resolve
    backlinks: Optional[_Backlinks] = None  # the last build's backlinks
    gathered: Optional[_Gathered] = None  # what the last build's topic pages gathered from the sources


@dataclass
class _Unit:
    """One source file's share of a resolve (quotes located, Markdown rendered, mentions found,
    fact and note views, what it gives to topic pages), kept for the next resolve. It is taken
    whole, in one check, when the file, its seed, the entity names, the claims' topics and every
    link it used are the very same objects as last time (and no link target came or went); then
    none of its parts is compared or built again. A source with problems gets no unit: its
    problems are found, and reported, anew each time."""

    source: Source
    seed: object
    names: tuple
    claim_topics: dict
    links: frozenset  # the keys of every target it looked up
    quote_key: tuple
    spans: dict
    html: dict  # html key -> HTML of each Markdown field
    rendered: dict  # markdown memo key -> (html, resolved links), of the fields that have text
    edges: frozenset  # the links its fields make, as the index records them
    embeds: tuple  # the keys of the boxes its page embeds (see `embedded`)
    mention_key: Optional[tuple]
    mentions: tuple


def resolve(content: Content, urls: Urls, reuse: Optional[Reuse] = None) -> tuple[Dossier, list[Diagnostic]]:
    """Everything the pages need, resolved once; problems are returned, never raised. With `reuse`
    (serve keeps it), work whose inputs did not change since the last build is not done again, and
    a view built from the same inputs is the same object as last time."""
    reuse = reuse if reuse is not None else Reuse()
    recall = reuse.views
    recall.turn()
    index = build_index(content, urls, reuse.links, recall)  # (which adds the links it made to reuse.links)
    if len(reuse.links) > 2 * len(index.targets):  # mostly links that are gone: keep only today's
        reuse.links = {link: link for link in index.targets.values()}
    finder = MentionFinder((name, t.slug) for t in content.topics if t.is_entity for name in (t.title, *t.aliases))
    names_now = tuple(sorted(finder.owner.items()))
    names = recall.get("names", names_now, lambda: names_now)  # the last build's tuple, if equal
    claims_now = {c.slug: c.topics for c in content.claims}
    claim_topics = recall.get("claim-topics", tuple(claims_now.items()), lambda: claims_now)
    same_keys = reuse.targets is not None and reuse.targets.keys() == index.targets.keys()  # no target came or went
    moved = _moved(index.targets, reuse.targets) if same_keys else None
    kept = _kept_units(content, reuse, names, claim_topics, moved) if moved is not None else {}
    problems: list[Diagnostic] = []
    quotes, quote_keys, troubled = {}, {}, set()
    spans = {}
    for s in content.sources:
        if s.slug in kept:
            unit = kept[s.slug]
            spans[s.slug] = quotes[unit.quote_key] = unit.spans
            continue
        seed = content.seeds.get(s.seed)
        key = quote_keys[s.slug] = (seed.text if seed else None,
                                    tuple(q.quote for q in (*s.facts, *s.notes, *s.unannotated)))
        if key in reuse.quotes:
            spans[s.slug] = quotes[key] = reuse.quotes[key]
            continue
        found: list[Diagnostic] = []
        spans[s.slug] = locate_quotes(s, seed, found)
        problems += found
        if found:
            troubled.add(s.slug)
        else:
            quotes[key] = spans[s.slug]
    reuse.quotes = quotes
    html, fields = _render_markdown(content, index, reuse.markdown, same_keys, kept)
    reuse.targets = index.targets
    reuse.backlinks = _backlinks(index, urls, reuse.backlinks if moved is not None else None, moved)
    backlinks = reuse.backlinks.found
    known, mentions, mention_keys = reuse.mentions, {}, {}
    reuse.mentions = {}
    for s in content.sources:
        if s.slug in kept:
            unit = kept[s.slug]
            if unit.mention_key is not None:
                mentions[s.slug] = reuse.mentions[unit.mention_key] = unit.mentions
        elif s.seed in content.seeds:
            key = mention_keys[s.slug] = (content.seeds[s.seed].text, names)
            found = known[key] if key in known else tuple(finder.find(content.seeds[s.seed].text))
            mentions[s.slug] = reuse.mentions[key] = found
    facts = {s.slug: recall.keep(("facts", s.slug)) if s.slug in kept
             else _fact_views(s, spans[s.slug], html, index, content, recall) for s in content.sources}
    notes = {s.slug: recall.keep(("notes", s.slug)) if s.slug in kept
             else _note_views(s, spans[s.slug], html, index, content, recall) for s in content.sources}
    boxes = {f"{v.source.key}#{v.anchor}": v for views in (*facts.values(), *notes.values()) for v in views}
    by_claim: dict[str, list[FactView]] = defaultdict(list)
    for views in facts.values():
        for view in views:
            if view.fact.claim:
                by_claim[view.fact.claim].append(view)
    claims = tuple(_claim_view(c, by_claim.get(c.slug, ()), html, index, backlinks, urls, boxes, recall)
                   for c in content.claims)
    relations = _relations(claims, recall)
    sources = tuple(_source_view(s, content, spans[s.slug], facts[s.slug], notes[s.slug], mentions.get(s.slug, ()),
                                 html, index, backlinks, relations, urls, boxes, recall, kept.get(s.slug))
                    for s in content.sources if s.seed in content.seeds)
    reuse.gathered = _topic_material(content, facts, notes, mentions, claim_topics, kept, recall, reuse.gathered)
    material = reuse.gathered.material
    reuse.units = {**kept, **_new_units(content, kept, troubled, fields, names, claim_topics, quote_keys, spans,
                                        mention_keys, mentions)}
    related = defaultdict(set)
    for t in content.topics:
        related[t.slug].update(t.related)
        for other in t.related:
            related[other].add(t.slug)
    texts = {s.slug: content.seeds[s.seed].text for s in content.sources if s.seed in content.seeds}
    topics = tuple(_topic_view(t, texts, material.get(t.slug) or _Material(), related[t.slug], html, index, backlinks,
                               urls, boxes, recall) for t in content.topics)
    timeline = recall.get("timeline", tuple(facts.values()), lambda: _timeline(facts))
    intro = html[("intro", "", "body")]
    dossier = Dossier(content.config, content.intro.title, intro, sources, topics, claims,
                      timeline, tuple(backlinks.get("home", ())), embeds_in([intro], boxes))
    return dossier, problems + index.problems


# -- units ------------------------------------------------------------------------------------

def _moved(targets: dict, before: dict) -> set[str]:
    """The keys (of an index with the same keys as `before`) whose link is not the very object it
    was in the last build. A unit made in an earlier build and kept since saw the same objects."""
    return {key for key, link in targets.items() if before[key] is not link}


def _kept_units(content: Content, reuse: Reuse, names: tuple, claim_topics: dict, moved: set) -> dict[str, _Unit]:
    """The last build's units that still hold (see _Unit), the link index having the same keys
    and `moved` the keys whose links changed."""
    units, kept = reuse.units, {}
    for s in content.sources:
        unit = units.get(s.slug)
        if (unit is not None and unit.source is s and unit.seed is content.seeds.get(s.seed) and unit.names is names
                and unit.claim_topics is claim_topics and moved.isdisjoint(unit.links)):
            kept[s.slug] = unit
    return kept


def _new_units(content: Content, kept: dict, troubled: set, fields: dict, names: tuple,
               claim_topics: dict, quote_keys: dict, spans: dict, mention_keys: dict, mentions: dict) -> dict[str, _Unit]:
    """Units for the sources resolved anew this time (and without problems)."""
    units = {}
    for s in content.sources:
        if s.slug in kept or s.slug in troubled or s.slug not in fields or s.seed not in content.seeds:
            continue
        own = fields[s.slug]
        links = frozenset((f"sources/{s.slug}", *(f"claims/{f.claim}" for f in s.facts if f.claim),
                           *(f"topics/{t}" for f in s.facts for t in f.topics),
                           *(link.key for _, _, entry, _ in own for _, link in entry[1])))
        html = {key: entry[0] for key, _, entry, _ in own}
        units[s.slug] = _Unit(
            s, content.seeds[s.seed], names, claim_topics, links, quote_keys[s.slug], spans[s.slug], html,
            {memo_key: entry for _, memo_key, entry, _ in own if memo_key is not None},
            frozenset(edge(page, link) for _, _, entry, page in own for _, link in entry[1]),
            embedded([html[("source", s.slug, "body")], *(html[("fact", s.slug, f.id)] for f in s.facts),
                      *(html[("note", s.slug, n.id)] for n in s.notes)]),
            mention_keys.get(s.slug), mentions.get(s.slug, ()))
    return units


# -- quotes -----------------------------------------------------------------------------------

def locate_quotes(source: Source, seed, problems: list[Diagnostic]) -> dict[str, Span]:
    """Span of every fact, note and unannotated quote of `source`, keyed by its place in the file:
    `f<N>`, `n<N>`, `u<N>` (ids may repeat in a file with errors; places do not)."""
    if seed is None:
        return {}
    text = SeedIndex(seed.text)
    quotes = [(f"f{i}", f.quote) for i, f in enumerate(source.facts)]
    quotes += [(f"n{i}", n.quote) for i, n in enumerate(source.notes)]
    quotes += [(f"u{i}", u.quote) for i, u in enumerate(source.unannotated)]
    found = {}
    for key, quote in quotes:
        span = _locate(text, quote, seed.path, problems)
        if span is not None:
            found[key] = span
    return found


def _locate(text: SeedIndex, quote: Quote, seed_path: str, problems: list[Diagnostic]) -> Optional[Span]:
    spans = text.find_all(quote.text)
    if not spans:
        line, passage = text.nearest(quote.text)
        hint = f"nearest passage in {seed_path}:{line}: «{_clip(passage)}»" if passage else ""
        problems.append(error(quote.location, f"quote not found in {seed_path}: «{_clip(quote.text)}»", hint))
        return None
    if quote.occurrence is None and len(spans) > 1:
        lines = ", ".join(str(text.line_of(s.start)) for s in spans)
        problems.append(error(quote.location, f"quote found {len(spans)} times in {seed_path} (lines {lines})",
                              "add 'occurrence: N' to say which one is meant, or quote a longer passage"))
        return None
    if quote.occurrence is not None and quote.occurrence > len(spans):
        problems.append(error(quote.location, f"occurrence {quote.occurrence} asked, but the quote is found "
                                              f"{len(spans)} time{'s' if len(spans) > 1 else ''} in {seed_path}"))
        return None
    span = spans[(quote.occurrence or 1) - 1]
    if text.crosses_paragraph(span):
        problems.append(error(quote.location, f"quote runs across a paragraph break in {seed_path}:{text.line_of(span.start)}",
                              "split it into one fact or note per paragraph"))
        return None
    return span


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- markdown ---------------------------------------------------------------------------------

def _render_markdown(content: Content, index: LinkIndex, rendered: dict, same_keys: bool = False,
                     kept: Optional[dict] = None) -> tuple[dict[tuple[str, str, str], str], dict[str, list]]:
    """HTML of every Markdown field, keyed by (owner kind, owner slug, field); and, per source
    whose fields all resolved, its fields as a unit keeps them (see _Unit).

    A field rendered by the last build (`rendered`) is reused if its links would resolve as they
    did. When the index has the same keys as last time (`same_keys`), a link resolves
    as it did exactly if its target holds the same Link object (links are handed on unchanged);
    otherwise each link is looked up again. The fields of a `kept` unit are taken as they are."""
    html: dict[tuple[str, str, str], str] = {}
    previous, fresh = dict(rendered), {}
    targets = index.targets
    fields: dict[str, list] = {}

    def still(links, source: Optional[str]) -> bool:
        if same_keys:
            return all(targets.get(link.key) is link for _, link in links)
        return all(index.lookup(target, source)[0] == link for target, link in links)

    def reuse(key: tuple[str, str, str], memo_key: Optional[tuple], entry: tuple, page: str) -> None:
        """Take a field rendered before: its HTML, and its links recorded again in the index."""
        html[key] = entry[0]
        if memo_key is not None:
            fresh[memo_key] = entry
        for _, link in entry[1]:
            index.record(page, link)

    def put(key: tuple[str, str, str], text: Optional[Text], page: str, source: Optional[str] = None,
            level: int = 2) -> Optional[tuple]:
        """Render one field; return what a unit keeps of it (None if its links did not all resolve)."""
        if not text:
            html[key] = ""
            return key, None, ("", ()), page
        memo_key = (text.markdown, page, source, level)
        cached = previous.get(memo_key)
        if cached is not None and still(cached[1], source):
            reuse(key, memo_key, cached, page)
            return key, memo_key, cached, page
        resolve_link, seen = index.resolver(text, page, content.files, source), []

        def remembering(target: str):
            link = resolve_link(target)
            seen.append((target, link))
            return link

        html[key] = markdown.render(text.markdown, remembering, level)
        if any(link is None for _, link in seen):  # a field with errors is rendered again, to report them
            return None
        fresh[memo_key] = (html[key], tuple(seen))
        return key, memo_key, fresh[memo_key], page

    # the level of a fragment's top heading follows where the fragment sits on its page
    put(("intro", "", "body"), content.intro.body, "home")
    for s in content.sources:
        unit = (kept or {}).get(s.slug)
        if unit is not None:  # (the same as `reuse` on each of its fields, in three bulk updates)
            html.update(unit.html)
            fresh.update(unit.rendered)
            index.edges.update(unit.edges)
            continue
        page = f"sources/{s.slug}"
        own = [put(("source", s.slug, "body"), s.body, page, page, level=3),
               put(("source", s.slug, "published_note"), s.published_note, page, page, level=4),
               put(("source", s.slug, "translation_note"), s.translation_note, page, page, level=4)]
        own += [put(("fact", s.slug, f.id), f.note, page, page, level=4) for f in s.facts]
        own += [put(("note", s.slug, n.id), n.text, page, page, level=4) for n in s.notes]
        if all(field is not None for field in own):
            fields[s.slug] = own
    for t in content.topics:
        put(("topic", t.slug, "body"), t.body, f"topics/{t.slug}")
    for c in content.claims:
        put(("claim", c.slug, "note"), c.note, f"claims/{c.slug}")
    rendered.clear()
    rendered.update(fresh)
    return html, fields


_EMBED = re.compile(r'<div class="embed" data-embed="([^"]+)">')


def embeds_in(fragments, boxes: dict) -> tuple[tuple[str, object], ...]:
    """The fact and note boxes that `![[…]]` places in these HTML fragments, by key."""
    return tuple((key, boxes[key]) for key in embedded(fragments) if key in boxes)


def embedded(fragments) -> tuple[str, ...]:
    """The keys of the boxes that `![[…]]` places in these HTML fragments, in order."""
    return tuple(dict.fromkeys(unescape(k) for fragment in fragments for k in _EMBED.findall(fragment)))


@dataclass(frozen=True)
class _Backlinks:
    """The pages that link to each target (`found`: target key -> their links, in the order of
    their keys), with the edges and base URLs they were gathered from."""

    edges: frozenset
    urls: Urls
    found: dict


def _backlinks(index: LinkIndex, urls: Urls, last: Optional[_Backlinks], moved: Optional[set]) -> _Backlinks:
    """Backlinks of every target. Given the last build's (and `moved`, see `_moved`), only the
    targets that gained or lost a linking page, or whose linking pages' links changed, are
    gathered again; the others keep their lists."""
    edges = frozenset(index.edges)
    targets = index.targets
    if last is None or moved is None or last.urls != urls:
        return _Backlinks(edges, urls, _gathered(edges, targets, urls))
    affected = {target for _, target in edges ^ last.edges}
    affected.update(target for origin, target in edges if origin in moved)
    if not affected:
        return _Backlinks(edges, urls, last.found)
    found = {key: links for key, links in last.found.items() if key not in affected}
    found.update(_gathered((e for e in edges if e[1] in affected), targets, urls))
    return _Backlinks(edges, urls, found)


def _gathered(edges, targets: dict, urls: Urls) -> dict[str, list[Link]]:
    found: dict[str, list[Link]] = {}
    for origin, target in sorted(edges):
        if origin != target:
            link = targets.get(origin) or Link(urls.home(), HOME.title, HOME.kind, HOME.key)
            found.setdefault(target, []).append(link)
    return found


# -- views ------------------------------------------------------------------------------------

def _fact_views(source: Source, spans, html, index: LinkIndex, content: Content, recall: Recall) -> tuple[FactView, ...]:
    page = index.targets[f"sources/{source.slug}"]
    seed = content.seeds.get(source.seed)
    notes = tuple(html[("fact", source.slug, fact.id)] for fact in source.facts)
    claims = tuple(index.targets.get(f"claims/{fact.claim}") if fact.claim else None for fact in source.facts)
    topics = tuple(tuple(index.targets[f"topics/{t}"] for t in dict.fromkeys(fact.topics) if f"topics/{t}" in index.targets)
                   for fact in source.facts)

    def build() -> tuple[FactView, ...]:
        views = []
        for number, fact in enumerate(source.facts, 1):
            if f"f{number - 1}" not in spans:
                continue
            span = spans[f"f{number - 1}"]
            views.append(FactView(
                fact, page, source.outlet, page.url + "#" + fact.anchor, page.url + "#q-" + fact.anchor, span,
                seed.text.count("\n", 0, span.start) + 1,
                number, seed.text[span.start:span.end], notes[number - 1], claims[number - 1], topics[number - 1],
            ))
        return tuple(views)
    return recall.get(("facts", source.slug), (source, spans, seed, page, notes, claims, topics), build)


def _note_views(source: Source, spans, html, index: LinkIndex, content: Content, recall: Recall) -> tuple[NoteView, ...]:
    page = index.targets[f"sources/{source.slug}"]
    seed = content.seeds.get(source.seed)
    texts = tuple(html[("note", source.slug, note.id)] for note in source.notes)

    def build() -> tuple[NoteView, ...]:
        views = []
        for number, note in enumerate(source.notes):
            if f"n{number}" not in spans or seed is None:
                continue
            span = spans[f"n{number}"]
            views.append(NoteView(note, page, page.url + "#" + note.anchor, page.url + "#q-" + note.anchor, span,
                                  seed.text.count("\n", 0, span.start) + 1,
                                  letters(number), texts[number], seed.text[span.start:span.end]))
        return tuple(views)
    return recall.get(("notes", source.slug), (source, spans, seed, page, texts), build)


def letters(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa …"""
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(97 + rest) + text
    return text


def _numeric(fact: Fact) -> bool:
    return isinstance(fact.value, (int, float)) and not isinstance(fact.value, bool)


def _number(fact: Fact):
    """The value with the precision it was written with: Decimal("80.0") is not Decimal("80")."""
    return Decimal(fact.value_text) if fact.value_text else Decimal(str(fact.value))


def _claim_view(claim, rows, html, index: LinkIndex, backlinks, urls: Urls, boxes, recall: Recall) -> ClaimView:
    key = f"claims/{claim.slug}"
    note = html[("claim", claim.slug, "note")]
    inputs = (claim, tuple(rows), urls.claim(claim.slug), note, embeds_in([note], boxes),
              tuple(index.targets[f"topics/{t}"] for t in claim.topics if f"topics/{t}" in index.targets),
              tuple(backlinks.get(key, ())))

    def build() -> ClaimView:
        ordered = tuple(sorted(rows, key=lambda f: (f.fact.date or "9999", f.source.title, f.fact.id)))
        by_date: dict[str, list[FactView]] = defaultdict(list)
        for row in ordered:
            by_date[row.fact.date].append(row)
        groups = tuple(_compare(date, tuple(group)) for date, group in by_date.items())
        return ClaimView(claim, inputs[2], note, ordered, groups, *inputs[4:])
    return recall.get(("claim", claim.slug), inputs, build)


def _compare(date: str, rows: tuple[FactView, ...]) -> Comparison:
    numbers = [(_number(r.fact), r.fact.qualifier) for r in rows if _numeric(r.fact)]
    numeric = len(numbers) == len(rows) and bool(rows)
    if numeric:
        width, relative = spread([v for v, _ in numbers])
        agreed = agree(numbers) or not date
        odd = () if agreed else tuple(rows[i].anchor for i in outliers(numbers))
        return Comparison(date, rows, True, agreed, width, relative, odd)
    texts = {str(r.fact.value).strip().lower() for r in rows if r.fact.value is not None}
    return Comparison(date, rows, False, len(texts) <= 1 or not date, 0.0, 0.0)


def _source_view(source, content, spans, facts, notes, mentions, html, index, backlinks, relations, urls, boxes,
                 recall: Recall, unit: Optional[_Unit] = None) -> SourceView:
    """The source's view. For a kept `unit` (all it resolved is the same), the last build's view
    after a few comparisons, if what other sources add to the page is equal too; otherwise built
    (and still the last one if equal)."""
    key = f"sources/{source.slug}"
    agrees, contradicts = relations.get(key, ((), ()))
    topics = tuple(index.targets[f"topics/{t}"] for t in source.topics if f"topics/{t}" in index.targets)
    if unit is not None:
        around = (unit, topics, tuple((k, boxes[k]) for k in unit.embeds if k in boxes), agrees, contradicts,
                  tuple(backlinks.get(key, ())))
        if recall.same(("source-around", source.slug), around):
            return recall.keep(("source", source.slug))
    shown = [html[("source", source.slug, "body")], *(f.note_html for f in facts), *(n.html for n in notes)]
    covered = tuple(spans[f"u{i}"] for i in range(len(source.unannotated)) if f"u{i}" in spans)
    fields = (
        source, content.seeds[source.seed], urls.source(source.slug), html[("source", source.slug, "body")],
        html[("source", source.slug, "published_note")], html[("source", source.slug, "translation_note")],
        facts, notes, tuple(mentions), covered, topics, embeds_in(shown, boxes),
        agrees, contradicts, tuple(backlinks.get(key, ())),
    )
    return recall.get(("source", source.slug), fields, lambda: SourceView(*fields))


def _relations(claims: tuple[ClaimView, ...], recall: Recall) -> dict[str, tuple[tuple[Link, ...], tuple[Link, ...]]]:
    """For each source, the sources that agree with it and those that contradict it: values for the
    same claim and date that are (or are not) compatible with all of its own."""
    per_claim = []
    for claim in claims:  # what relations depend on (not statements or notes), then the relations
        compared = recall.get(("compared", claim.claim.slug), claim, lambda: _compared(claim))
        per_claim.append(recall.get(("relations", claim.claim.slug), compared, lambda: _claim_relations(claim)))
    return recall.get("relations", tuple(per_claim), lambda: _merged(per_claim))


def _compared(claim: ClaimView) -> tuple:
    """What a claim's relations between sources are made of: per date, the rows' sources and values."""
    return tuple((g.date, g.numeric, g.agree, tuple((r.source, r.fact.value, r.fact.value_text, r.fact.qualifier)
                                                    for r in g.rows)) for g in claim.groups)


def _merged(per_claim: list) -> dict[str, tuple[tuple[Link, ...], tuple[Link, ...]]]:
    agrees: dict[str, dict[str, Link]] = defaultdict(dict)
    contradicts: dict[str, dict[str, Link]] = defaultdict(dict)
    for relations in per_claim:
        for key, (agreeing, contradicting) in relations.items():
            mine_agree, mine_contradict = agrees[key], contradicts[key]
            for link in agreeing:
                mine_agree.setdefault(link.key, link)
            for link in contradicting:
                mine_contradict.setdefault(link.key, link)

    def ordered(links: dict[str, Link]) -> tuple[Link, ...]:
        return tuple(sorted(links.values(), key=lambda link: (link.title, link.key)))
    return {key: (ordered({k: v for k, v in agrees[key].items() if k not in contradicts[key]}),
                  ordered(contradicts[key])) for key in agrees.keys() | contradicts.keys()}


def _claim_relations(claim: ClaimView) -> dict[str, tuple[list[Link], list[Link]]]:
    """One claim's part of `_relations`: per source, the sources it agrees with and contradicts."""
    found: dict[str, tuple[list[Link], list[Link]]] = {}
    for group in claim.groups:
        if not group.date or len({r.source.key for r in group.rows}) < 2:
            continue
        by_source: dict[str, list[FactView]] = defaultdict(list)
        for row in group.rows:
            by_source[row.source.key].append(row)
        for key, mine in by_source.items():
            agreeing, contradicting = found.setdefault(key, ([], []))
            numbers = [(_number(r.fact), r.fact.qualifier) for r in mine if _numeric(r.fact)]
            for other in group.rows:
                if other.source.key == key:
                    continue
                if group.numeric:
                    fits = len(numbers) == len(mine) and agree([*numbers, (_number(other.fact), other.fact.qualifier)])
                else:
                    fits = group.agree
                (agreeing if fits else contradicting).append(other.source)
    return found


@dataclass(eq=False)
class _Material:
    """What a topic page gathers from all sources. Equal only to itself: the same object is the
    sign that nothing it was gathered from changed (see `_topic_material`)."""

    facts: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    sources: set = field(default_factory=set)
    mentions: dict = field(default_factory=dict)  # source slug -> its mentions of the topic, in order


@dataclass(frozen=True)
class _Gathered:
    """What topic pages gathered from the sources: what each source gave (in the dossier's order
    of sources), the topics each one touched, and each topic's material."""

    given: dict  # source slug -> (topics it names, (topic, fact) pairs, (topic, note) pairs, mentions by topic)
    touched: dict  # source slug -> the topics it lists or gives to
    material: dict  # topic slug -> _Material


def _topic_material(content: Content, facts, notes, mentions, claim_topics: dict, kept: dict,
                    recall: Recall, last: Optional[_Gathered]) -> _Gathered:
    """Each topic's material. Given the last build's, only the topics that a source resolved anew
    (not `kept`) touches, now or then, are gathered again; the others keep their material, the
    same object, which tells `_topic_view` that nothing of it changed."""
    given, touched = {}, {}
    for source in content.sources:
        if source.slug in kept:
            given[source.slug] = recall.keep(("material", source.slug))
        else:
            views, boxes, found = facts.get(source.slug, ()), notes.get(source.slug, ()), mentions.get(source.slug, ())
            inputs = (source.topics, views, boxes, found, tuple(claim_topics.get(v.fact.claim, ()) for v in views))
            given[source.slug] = recall.get(
                ("material", source.slug), inputs, lambda: _source_material(views, boxes, found, inputs[4]))
        touched[source.slug] = (last.touched[source.slug] if last and source.slug in kept
                                else frozenset((*source.topics, *given[source.slug][0])))
    if last is None or not kept or list(last.given) != list(given):
        return _Gathered(given, touched, _gather(given, touched))
    changed = {slug for slug in given if slug not in kept}
    affected = set().union(*(touched[slug] | last.touched.get(slug, frozenset()) for slug in changed))
    material = {topic: found for topic, found in last.material.items() if topic not in affected}
    if affected:
        position = {slug: number for number, slug in enumerate(given)}
        members = {slug for topic in affected if topic in last.material
                   for slug in last.material[topic].sources if slug not in changed} | changed
        material.update(_gather(given, {slug: touched[slug] & affected for slug in sorted(members, key=position.get)}))
    return _Gathered(given, touched, material)


def _gather(given: dict, touched: dict) -> dict[str, _Material]:
    """The material of the topics in `touched` (source slug -> topics, in the dossier's order)."""
    material: dict[str, _Material] = defaultdict(_Material)
    for slug, topics in touched.items():
        _, facts_of, notes_of, mentions_of = given[slug]
        for topic in topics:
            material[topic].sources.add(slug)
        for topic, view in facts_of:
            if topic in topics:
                material[topic].facts.append(view)
        for topic, view in notes_of:
            if topic in topics:
                material[topic].notes.append(view)
        for topic, found_here in mentions_of:
            if topic in topics:
                material[topic].mentions[slug] = found_here
    return dict(material)


def _source_material(facts, notes, mentions, claim_topics) -> tuple:
    """What one source gives to topic pages: the topics it mentions or gives facts about, the
    (topic, fact) and (topic, note) pairs, and its mentions of each topic in order."""
    found = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in found]
    by_topic: dict[str, list[Mention]] = {}
    for m in found:
        by_topic.setdefault(m.topic, []).append(m)
    facts_of, notes_of = [], []
    for view, topics in zip(facts, claim_topics):
        for slug in sorted({*view.fact.topics, *topics, *_inside(found, starts, view.span)}):
            facts_of.append((slug, view))
    for view in notes:
        for slug in sorted(_inside(found, starts, view.span)):
            notes_of.append((slug, view))
    named = tuple(dict.fromkeys([*by_topic, *(slug for slug, _ in facts_of)]))
    return named, tuple(facts_of), tuple(notes_of), tuple((slug, tuple(m)) for slug, m in by_topic.items())


def _inside(found: list[Mention], starts: list[int], span: Span) -> set[str]:
    """Topics of the mentions (sorted by start) that lie within `span`."""
    topics = set()
    for m in found[bisect_left(starts, span.start):]:
        if m.start >= span.end:
            break
        if m.end <= span.end:
            topics.add(m.topic)
    return topics


def _topic_view(topic: Topic, texts: dict[str, str], material: _Material, related: set, html, index, backlinks, urls,
                boxes, recall: Recall) -> TopicView:
    """The topic's view: the last build's, in a few comparisons, if its material is the same object
    (no source that gives to it was resolved anew: their links and seeds are the same too) and
    all else it shows is equal; otherwise built (and still the last one if equal)."""
    body = html[("topic", topic.slug, "body")]
    around = (topic, material, urls, body, embeds_in([body], boxes),
              tuple(index.targets[f"topics/{t}"] for t in sorted(related) if f"topics/{t}" in index.targets),
              tuple(backlinks.get(f"topics/{topic.slug}", ())))
    if recall.same(("topic-around", topic.slug), around):
        recall.carry([("topic-facts", topic.slug), ("mention-groups", topic.slug),
                      *(("mentions", topic.slug, slug) for slug in material.mentions)])
        return recall.keep(("topic", topic.slug))
    return _topic_view_of(around, texts, index, recall)


def _topic_view_of(around: tuple, texts: dict[str, str], index: LinkIndex, recall: Recall) -> TopicView:
    """The topic's view built from its material and `around` (what else it shows, see `_topic_view`)."""
    topic, material, urls, body, embeds, related, linked = around
    facts = tuple(material.facts)
    claims = tuple(index.targets.get(f"claims/{c}") for c in dict.fromkeys(f.fact.claim for f in facts if f.fact.claim))

    def by_claim() -> tuple:
        grouped: dict[Optional[str], list[FactView]] = defaultdict(list)
        for fact in facts:
            grouped[fact.fact.claim].append(fact)
        return tuple((index.targets.get(f"claims/{c}") if c else None, tuple(v))
                     for c, v in sorted(grouped.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))
    facts_by_claim = recall.get(("topic-facts", topic.slug), (facts, claims), by_claim)
    fields = (
        topic, urls.topic(topic.slug), body, embeds, facts_by_claim, tuple(material.notes),
        tuple(index.targets[f"sources/{s}"] for s in sorted(material.sources) if f"sources/{s}" in index.targets),
        related,
        recall.get(("mention-groups", topic.slug),
                   tuple((slug, found, index.targets[f"sources/{slug}"], texts[slug])
                         for slug, found in material.mentions.items()),
                   lambda: _mention_groups(texts, topic.slug, material.mentions, index, recall)),
        linked,
    )
    return recall.get(("topic", topic.slug), fields, lambda: TopicView(*fields))


def _mention_groups(texts: dict[str, str], topic: str, mentions: dict[str, tuple[Mention, ...]], index: LinkIndex,
                    recall: Recall) -> tuple[MentionGroup, ...]:
    """Per source (in the dossier's order), how often the topic is mentioned, with a snippet each time."""
    groups = []
    for slug, found in mentions.items():  # gathered in the dossier's order of sources
        link = index.targets[f"sources/{slug}"]
        text = texts[slug]

        def build() -> MentionGroup:
            return MentionGroup(link, len(found), tuple(_snippet(text, m) for m in found))
        groups.append(recall.get(("mentions", topic, slug), (link, found, text), build))
    return tuple(groups)


def _snippet(text: str, mention: Mention, width: int = 60) -> tuple[str, str, str]:
    before = " ".join(text[max(0, mention.start - width):mention.start].split("\n")[-1:][0].split())
    after = " ".join(text[mention.end:mention.end + width].split("\n")[0].split())
    return ("…" + before if mention.start > width else before), mention.text, after + ("…" if after else "")


def _timeline(facts) -> tuple[tuple[str, tuple[FactView, ...]], ...]:
    days: dict[str, list[FactView]] = defaultdict(list)
    for views in facts.values():
        for view in views:
            if view.fact.date:
                days[view.fact.date].append(view)
    return tuple((day, tuple(sorted(days[day], key=lambda f: (f.source.title, f.number)))) for day in sorted(days))
