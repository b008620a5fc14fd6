"""The resolved dossier: plain, frozen data that templates, exports and tests read as it is.

Every view carries a digest of what it was made from: two views with the same digest are equal,
which is what lets a page be keyed by the digests of what it shows (see pages and render)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from .evidence import Measure
from .markdown import Link
from .mentions import Mention
from .model import Claim, Config, Fact, Note, Seed, Source, Topic, Verdict
from .quotes import Span
from .verdicts import Rating, scale_text


@dataclass(frozen=True)
class Party:
    """Who made a rated claim: a name, whether a person or an organisation (from the entity of
    that name, if there is one; else an organisation), and the entity's page ("" if none)."""

    name: str
    kind: str  # "person" or "organisation"
    url: str = ""


@dataclass(frozen=True)
class Appearance:
    """A report in which a rated claim appears: its page here, and the original and its
    archived copy when known."""

    page: str  # href of the source page
    title: str
    outlet: str
    published: str
    url: str = ""  # the original's address
    archive_url: str = ""


@dataclass(frozen=True)
class VerdictView:
    """The editor's verdict, resolved: its rating on the scale, its reasoning as HTML, what is
    rated and who claimed it, and where the claim appears (earliest first)."""

    verdict: Verdict
    rating: Rating
    reasoning_html: str
    statement: str  # the assertion rated (ClaimReview's claimReviewed)
    claimants: tuple[Party, ...]
    appearances: tuple[Appearance, ...]

    @property
    def scale(self) -> str:
        """Where the rating stands on the scale, in words."""
        return scale_text(self.rating)


@dataclass(frozen=True)
class FactView:
    fact: Fact
    source: Link
    outlet: str
    url: str  # permalink of the fact box
    quote_url: str  # the highlighted passage in the seed text
    span: Span
    line: int  # line of the seed where the quote starts
    number: int  # shown on the marker in the seed text
    passage: str  # the quote as it stands in the seed
    note_html: str
    claim: Optional[Link]
    topics: tuple[Link, ...]
    # provenance and verdict: the passage in the original and in its archived copy (URL text
    # fragments; "" when the source has no such address), the editor's verdict on a lone fact
    original: str
    archived: str
    verdict: Optional[VerdictView]
    digest: str  # what the view was made from (see derive): equal digests, equal views
    measure: Measure = Measure()  # what it counts: its own scope and count, else its claim's
    scope: Optional[Link] = None  # the topic its scope names (None: the whole country, or not stated)

    @property
    def anchor(self) -> str:
        return self.fact.anchor


@dataclass(frozen=True)
class NoteView:
    note: Note
    source: Link
    url: str
    quote_url: str
    span: Span
    line: int
    label: str  # a, b, c … shown on the marker
    html: str
    passage: str  # the quote as it stands in the seed
    original: str  # the passage in the original and in its archived copy, as for facts
    archived: str
    digest: str

    @property
    def anchor(self) -> str:
        return self.note.anchor


@dataclass(frozen=True)
class SourceView:
    source: Source
    seed: Seed
    seed_sha256: str  # of the seed's text as published (seeds/<name>, UTF-8)
    url: str
    body_html: str
    published_note_html: str
    translation_note_html: str
    facts: tuple[FactView, ...]
    notes: tuple[NoteView, ...]
    mentions: tuple[Mention, ...]
    covered: tuple[Span, ...]  # spans of unannotated figures (reasoned)
    topics: tuple[Link, ...]
    embeds: tuple[tuple[str, object], ...]  # (key, FactView or NoteView) placed by ![[…]] on this page
    agrees_with: tuple[Link, ...]  # other sources that agree on a shared claim and date
    contradicted_by: tuple[Link, ...]  # other sources that disagree on a shared claim and date
    backlinks: tuple[Link, ...]
    digest: str


@dataclass(frozen=True)
class Comparison:
    """The values given for one date (or period) of one series of a claim: the same place and
    kind of count. Rows of an earlier stage of an official count are superseded by the latest
    stage, not compared with it: `sets` are the indexes of the rows compared together (each
    stage's rows; those with no stage join the latest stage)."""

    date: str
    rows: tuple[FactView, ...]
    numeric: bool
    agree: bool
    spread: float
    relative_spread: float  # percent of the largest value
    outliers: tuple[str, ...] = ()  # anchors of the rows that disagree with most of the others
    stages: tuple[str, ...] = ()  # the stages of an official count given here, earliest first
    superseded: tuple[str, ...] = ()  # anchors of the rows of an earlier stage than the latest
    sets: tuple[tuple[int, ...], ...] = ()

    @property
    def staged(self) -> bool:
        """Several stages of one count: shown as such, not as a disagreement."""
        return len(self.stages) > 1


@dataclass(frozen=True)
class Series:
    """The values of a claim for one place and kind of count, by date: one line of its chart."""

    scope: str  # a topic slug, evidence.NATIONAL or "" (not stated)
    count: str  # point, daily or cumulative
    label: str  # how it reads: "Minsk, per day or night"
    groups: tuple[Comparison, ...]

    @property
    def rows(self) -> tuple[FactView, ...]:
        return tuple(r for g in self.groups for r in g.rows)


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    url: str
    note_html: str
    rows: tuple[FactView, ...]  # sorted by date, then source
    groups: tuple[Comparison, ...]
    embeds: tuple[tuple[str, object], ...]
    topics: tuple[Link, ...]
    backlinks: tuple[Link, ...]
    verdict: Optional[VerdictView]
    digest: str
    series: tuple[Series, ...] = ()  # the groups by place and kind of count

    # (computed once per view: templates ask for them on every page that lists claims)
    @cached_property
    def disputed(self) -> tuple[Comparison, ...]:
        return tuple(g for g in self.groups if not g.agree)

    @cached_property
    def is_series(self) -> bool:
        """Some place and kind of count has values for several dates: a change over time."""
        return any(len([g for g in s.groups if g.date]) > 1 for s in self.series)

    @cached_property
    def in_words(self) -> bool:
        """The sources answer in words, not figures: there is no value to measure them by."""
        return not any(r.fact.value is not None or r.fact.low is not None for r in self.rows)

    @cached_property
    def staged(self) -> tuple[Comparison, ...]:
        return tuple(g for g in self.groups if g.staged)

    @cached_property
    def comparable(self) -> bool:
        """Two values can be compared: for one date, or over time, in one place and kind of count."""
        return self.is_series or any(len(part) > 1 for g in self.groups for part in g.sets) or bool(self.staged)

    @cached_property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.source.key for r in self.rows))

    @cached_property
    def max_spread(self) -> float:
        return max((g.relative_spread for g in self.disputed), default=0.0)


@dataclass(frozen=True)
class MentionGroup:
    source: Link
    count: int
    snippets: tuple[tuple[str, str, str], ...]  # (before, name, after)
    digest: str


@dataclass(frozen=True)
class TopicView:
    topic: Topic
    url: str
    body_html: str
    embeds: tuple[tuple[str, object], ...]
    facts_by_claim: tuple[tuple[Optional[Link], tuple[FactView, ...]], ...]
    notes: tuple[NoteView, ...]
    sources: tuple[Link, ...]
    related: tuple[Link, ...]
    mentions: tuple[MentionGroup, ...]
    backlinks: tuple[Link, ...]
    digest: str

    @property
    def fact_count(self) -> int:
        return sum(len(facts) for _, facts in self.facts_by_claim)


@dataclass(frozen=True)
class Dossier:
    config: Config
    intro_title: str
    intro_html: str
    sources: tuple[SourceView, ...]
    topics: tuple[TopicView, ...]
    claims: tuple[ClaimView, ...]
    timeline: tuple[tuple[str, tuple[FactView, ...]], ...]
    home_backlinks: tuple[Link, ...]
    intro_embeds: tuple[tuple[str, object], ...]
    digest: str
