"""The derive stage: everything that depends on one source, from one pure function.

`derive(file, seed, context, lookups)` takes a source file (checked on its own by load), its seed,
the declared context every source shares (the slugs that exist, the entity names, the base URL)
and the answers, for this source alone, to every cross-reference it can name. It gives back a
`Derived`: located quotes, Markdown fields rendered, mentions, fact and note views, outgoing
links, coverage and every problem found — a plain, picklable value. Its memo key is a digest of
exactly those inputs, so an unchanged source is a lookup, and a changed one can be derived in
another process."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass
from html import unescape
from typing import Mapping, Optional

from . import markdown
from .coverage import uncovered
from .diagnostics import Diagnostic, error
from .evidence import NATIONAL, measure
from .fragments import Passages, link
from .links import edge, locate, source_links
from .markdown import Link
from .memo import digest_of
from .mentions import Mention
from .model import Seed, Source, Text
from .quotes import SeedIndex, Span
from .rated import verdict_view
from .reads import TARGETS_HINT, ClaimMeasure, Context, Lookup
from .urls import claim_key, source_key, topic_key
from .validate import CheckedFile, check_source
from .views import FactView, MentionGroup, NoteView


@dataclass(frozen=True)
class Derived:
    """One source's share of the dossier. `digest` is its memo key: what it was derived from."""

    slug: str
    digest: str
    page: Link
    problems: tuple[Diagnostic, ...]
    uncovered: tuple[Diagnostic, ...]  # figures no fact or note covers (warnings)
    body_html: str
    published_note_html: str
    translation_note_html: str
    seed_sha256: str  # of the seed's text as published (seeds/<name>): a reader checks the text annotated
    facts: tuple[FactView, ...]
    notes: tuple[NoteView, ...]
    covered: tuple[Span, ...]  # spans of unannotated figures (reasoned)
    mentions: tuple[Mention, ...]
    mention_groups: tuple[tuple[str, MentionGroup], ...]  # (topic, its mentions here), by first mention
    topics: tuple[Link, ...]  # the topics the source lists
    edges: tuple[tuple[str, str], ...]  # (page key, target key) of every link its fields make
    embeds: tuple[str, ...]  # keys of the boxes its page embeds, in order
    gives: tuple  # what it gives topic pages: (topics named, (topic, fact number), (topic, note number))


def derive(file: CheckedFile, seed: Seed, ctx: Context, answers: tuple, digest: str) -> Derived:
    """The source's share of the dossier (see the module's doc); `digest` is `derive_key(…)`."""
    source, problems = file.model, list(check_source(file.model, ctx.known))
    answered = dict(answers)
    page = dict(source_links(source, ctx.urls))[source_key(source.slug)]
    spans = locate_quotes(source, seed, problems)
    fields, edges = _render_fields(file, answered, problems)
    passages = _passage_links(source, seed)
    facts = _fact_views(source, seed, page, spans, fields, answered, (passages, ctx))
    notes = _note_views(source, seed, page, spans, fields, passages)
    mentions = tuple(ctx.finder.find(seed.text))
    covered = tuple(spans[f"u{i}"] for i in range(len(source.unannotated)) if f"u{i}" in spans)
    shown = [fields["body"], *(f.note_html for f in facts), *(f.verdict.reasoning_html for f in facts if f.verdict),
             *(n.html for n in notes)]
    return Derived(
        slug=source.slug, digest=digest, page=page, problems=tuple(problems),
        uncovered=tuple(uncovered(seed, source, facts, notes, covered)),
        body_html=fields["body"], published_note_html=fields["published_note"],
        translation_note_html=fields["translation_note"], seed_sha256=seed_sha256(seed),
        facts=facts, notes=notes, covered=covered,
        mentions=mentions, mention_groups=_mention_groups(seed.text, page, mentions),
        topics=tuple(answered[topic_key(t)].link for t in source.topics if answered[topic_key(t)].link),
        edges=tuple(sorted(edges)), embeds=embedded(shown),
        gives=_gives(facts, notes, mentions, dict(ctx.claim_topics)),
    )


# -- quotes -----------------------------------------------------------------------------------

def locate_quotes(source: Source, seed: Seed, problems: list[Diagnostic]) -> dict[str, Span]:
    """Span of every fact, note and unannotated quote of `source`, keyed by its place in the file:
    `f<N>`, `n<N>`, `u<N>` (ids may repeat in a file with errors; places do not)."""
    text = SeedIndex(seed.text)
    quotes = [(f"f{i}", f.quote) for i, f in enumerate(source.facts)]
    quotes += [(f"n{i}", n.quote) for i, n in enumerate(source.notes)]
    quotes += [(f"u{i}", u.quote) for i, u in enumerate(source.unannotated)]
    found = {}
    for place, quote in quotes:
        span = _locate(text, quote, seed.path, problems)
        if span is not None:
            found[place] = span
    return found


def _locate(text: SeedIndex, quote, seed_path: str, problems: list[Diagnostic]) -> Optional[Span]:
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


# -- Markdown ---------------------------------------------------------------------------------

def _render_fields(file: CheckedFile, answered: Mapping[str, Lookup],
                   problems: list[Diagnostic]) -> tuple[dict[str, str], set]:
    """HTML of each Markdown field of the source, by field name (`fact:<place>`, `note:<place>`
    for those of facts and notes), and the edges its links make."""
    source, page = file.model, source_key(file.model.slug)
    edges: set = set()
    resolve = lambda text: resolver(text, page, answered, file.text, problems, edges)  # noqa: E731
    fields = {"body": render_text(source.body, resolve, 3),
              "published_note": render_text(source.published_note, resolve, 4),
              "translation_note": render_text(source.translation_note, resolve, 4)}
    fields.update({f"fact:{i}": render_text(f.note, resolve, 4) for i, f in enumerate(source.facts)})
    fields.update({f"verdict:{i}": render_text(f.verdict.reasoning, resolve, 4)
                   for i, f in enumerate(source.facts) if f.verdict})
    fields.update({f"note:{i}": render_text(n.text, resolve, 4) for i, n in enumerate(source.notes)})
    return fields, edges


def render_text(text: Optional[Text], resolve, level: int) -> str:
    """A Markdown field's HTML; its top heading at `level` (where the fragment sits on its page)."""
    return markdown.render(text.markdown, resolve(text), level) if text else ""


def resolver(text: Text, page: str, answered: Mapping[str, Lookup], file_text: str, problems: list,
             edges: set) -> markdown.Resolver:
    """A resolver for the Markdown in `text` on `page`, reading only `answered`; a miss becomes a
    located error, a hit an edge."""
    def resolve(target: str) -> Optional[Link]:
        found = answered[target]
        if found.link is None and not found.broken:
            problems.append(error(locate(file_text, text.location, "[[" + target), found.why, TARGETS_HINT))
        if found.link is not None:
            edges.add(edge(page, found.link))
        return found.link
    return resolve


_EMBED = re.compile(r'<div class="embed" data-embed="([^"]+)">')


def embedded(fragments) -> tuple[str, ...]:
    """The keys of the boxes that `![[…]]` places in these HTML fragments, in order."""
    return tuple(dict.fromkeys(unescape(k) for fragment in fragments for k in _EMBED.findall(fragment)))


# -- views ------------------------------------------------------------------------------------

def with_digest(view: type, **fields):
    """A view made by keyword, with the digest of its content: a box shown on other pages is keyed
    by what it shows, so an edit elsewhere in its source leaves those pages alone (early cutoff)."""
    return view(**fields, digest=digest_of(tuple(fields.values())))


def _fact_views(source: Source, seed: Seed, page: Link, spans: dict, fields: dict,
                answered: Mapping[str, Lookup], around: tuple) -> tuple[FactView, ...]:
    """`around`: the links to a passage in the original, and the context (for the claimants and
    the claims' default measures)."""
    passages, ctx = around
    claims = dict(ctx.claim_measures)
    views = []
    for number, fact in enumerate(source.facts, 1):
        span = spans.get(f"f{number - 1}")
        if span is None:
            continue
        original, archived = passages(span)
        defaults = claims.get(fact.claim, ClaimMeasure())
        views.append(with_digest(
            FactView, fact=fact, source=page, outlet=source.outlet, url=page.url + "#" + fact.anchor,
            quote_url=page.url + "#q-" + fact.anchor, span=span, line=seed.text.count("\n", 0, span.start) + 1,
            number=number, passage=seed.text[span.start:span.end], note_html=fields[f"fact:{number - 1}"],
            claim=answered[claim_key(fact.claim)].link if fact.claim else None,
            topics=tuple(answered[topic_key(t)].link for t in dict.fromkeys(fact.topics) if answered[topic_key(t)].link),
            original=original, archived=archived,
            verdict=verdict_view(fact.verdict, fields[f"verdict:{number - 1}"], fact.statement, [fact.by], [source],
                                 (dict(ctx.entities), ctx.urls)) if fact.verdict else None,
            measure=measure(fact, defaults.scope, defaults.count, source.published),
            scope=_scope_link(fact, defaults, answered)))
    return tuple(views)


def _scope_link(fact, defaults: ClaimMeasure, answered: Mapping[str, Lookup]) -> Optional[Link]:
    """The topic a fact's scope names (its own, else its claim's); None for the country or none."""
    if not fact.scope:
        return defaults.link
    return None if fact.scope == NATIONAL else answered[topic_key(fact.scope)].link


def _note_views(source: Source, seed: Seed, page: Link, spans: dict, fields: dict, passages) -> tuple[NoteView, ...]:
    views = []
    for number, note in enumerate(source.notes):
        span = spans.get(f"n{number}")
        if span is None:
            continue
        original, archived = passages(span)
        views.append(with_digest(
            NoteView, note=note, source=page, url=page.url + "#" + note.anchor, quote_url=page.url + "#q-" + note.anchor,
            span=span, line=seed.text.count("\n", 0, span.start) + 1, label=letters(number),
            html=fields[f"note:{number}"], passage=seed.text[span.start:span.end], original=original, archived=archived))
    return tuple(views)


# -- provenance -------------------------------------------------------------------------------

def seed_sha256(seed: Seed) -> str:
    """SHA-256 of the seed's text as the site publishes it (`seeds/<name>`: UTF-8, `\n` line ends):
    the text every quote's offsets refer to."""
    return hashlib.sha256(seed.text.encode("utf-8")).hexdigest()


def _passage_links(source: Source, seed: Seed):
    """span -> (its passage in the original, in the archived copy): each address with a URL text
    fragment; "" for an address the source does not have."""
    found = Passages(seed.text) if source.url or source.archive_url else None

    def links(span: Span) -> tuple[str, str]:
        directive = found.directive(span.start, span.end) if found else None
        return link(source.url, directive), link(source.archive_url, directive)
    return links


def letters(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa …"""
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(97 + rest) + text
    return text


# -- what the source gives to topic pages -----------------------------------------------------

def _mention_groups(text: str, page: Link, mentions: tuple[Mention, ...]) -> tuple[tuple[str, MentionGroup], ...]:
    """Per topic mentioned (in the order of first mention): how often, with a snippet each time."""
    by_topic: dict[str, list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        by_topic.setdefault(m.topic, []).append(m)
    return tuple((topic, with_digest(MentionGroup, source=page, count=len(found),
                                     snippets=tuple(_snippet(text, m) for m in found)))
                 for topic, found in by_topic.items())


def _snippet(text: str, mention: Mention, width: int = 60) -> tuple[str, str, str]:
    before = " ".join(text[max(0, mention.start - width):mention.start].split("\n")[-1:][0].split())
    after = " ".join(text[mention.end:mention.end + width].split("\n")[0].split())
    return ("…" + before if mention.start > width else before), mention.text, after + ("…" if after else "")


def _gives(facts, notes, mentions, claim_topics: dict) -> tuple:
    """The topics the source names (mentioned, or given facts), and the (topic, fact) and (topic,
    note) pairs it gives: a fact goes to its topics, its claim's and those mentioned in its
    quote; a note to those mentioned in its quote."""
    found = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in found]
    facts_of = [(slug, i) for i, view in enumerate(facts)
                for slug in sorted({*view.fact.topics, *claim_topics.get(view.fact.claim, ()),
                                    *_inside(found, starts, view.span)})]
    notes_of = [(slug, i) for i, view in enumerate(notes) for slug in sorted(_inside(found, starts, view.span))]
    named = tuple(dict.fromkeys([*(m.topic for m in found), *(slug for slug, _ in facts_of)]))
    return named, tuple(facts_of), tuple(notes_of)


def _inside(found: list[Mention], starts: list[int], span: Span) -> set[str]:
    """Topics of the mentions (sorted by start, with their `starts`) that lie within `span`."""
    topics = set()
    for m in found[bisect_left(starts, span.start):]:
        if m.start >= span.end:
            break
        if m.end <= span.end:
            topics.add(m.topic)
    return topics
