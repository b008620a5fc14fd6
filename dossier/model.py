"""The dossier's content as frozen values, built by the validate stage from checked YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Union

from .diagnostics import Location

Value = Union[int, float, str, None]
ENTITY_KINDS = ("person", "organisation", "place")


@dataclass(frozen=True)
class Text:
    """Editor's Markdown and where it starts (to place errors found inside it)."""

    markdown: str
    location: Location


@dataclass(frozen=True)
class Config:
    title: str
    description: str = ""
    language: str = "en"
    base_url: str = "/"
    editor: str = ""
    output: str = "site"
    strict: bool = False
    cname: str = ""
    per_page: int = 100  # items per page of a long list (topic pages, timeline, sources)
    site_url: str = ""  # the host (`https://user.github.io`) when base_url is a path, for the sitemap

    @property
    def origin(self) -> str:
        """The host absolute URLs start with, as configured: `site_url`, else base_url's own."""
        if self.site_url:
            return self.site_url.rstrip("/")
        scheme, _, rest = self.base_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""


@dataclass(frozen=True)
class Seed:
    name: str
    path: str  # relative to the project, for messages
    text: str  # newlines normalised to \n; otherwise verbatim


@dataclass(frozen=True)
class Quote:
    text: str
    occurrence: Optional[int]
    location: Location


@dataclass(frozen=True)
class Verdict:
    """The editor's rating of a claim (or of a fact that answers none), on the scale of verdicts.py."""

    rating: str
    reasoning: Text
    reviewed: str  # the day the verdict was reached (ClaimReview's datePublished)
    statement: str = ""  # a claim's: the assertion rated, in one line (default: the claim's title)
    claimant: str = ""  # a claim's: who made it (default: whom its facts are attributed to)
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)  # "": the verdict's


@dataclass(frozen=True)
class Fact:
    id: str
    source: str
    statement: str
    quote: Quote
    by: str
    claim: Optional[str] = None
    value: Value = None
    value_text: str = ""  # the number as written (keeps its precision: "80.0")
    unit: str = ""
    qualifier: str = ""
    date: str = ""
    topics: tuple[str, ...] = ()
    note: Optional[Text] = None
    # how firmly the text attributes the fact, and the editor's verdict on it
    attribution: str = "stated"  # "stated": the text names `by` (or it is the outlet's own); "inferred": the editor's reading
    attribution_reason: str = ""  # why the editor infers `by` (an inferred attribution only)
    verdict: Optional[Verdict] = None  # only on a fact that answers no claim
    # what the figure measures (see evidence), each optional
    reported: str = ""  # the day (month, year) the figure was announced or published
    scope: str = ""  # where it counts: a topic slug, or evidence.NATIONAL; "" -> the claim's
    count: str = ""  # point, daily or cumulative; "" -> the claim's (else point)
    stage: str = ""  # of an official count: partial, preliminary or final
    low: Value = None  # a range's bounds (both, or neither)
    high: Value = None
    low_text: str = ""  # each bound as written (keeps its precision)
    high_text: str = ""
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)

    @property
    def anchor(self) -> str:
        return f"fact-{self.id}"

    @property
    def inferred(self) -> bool:
        return self.attribution == "inferred"


@dataclass(frozen=True)
class Note:
    id: str
    source: str
    kind: str
    text: Text
    quote: Quote

    @property
    def anchor(self) -> str:
        return f"note-{self.id}"


@dataclass(frozen=True)
class Unannotated:
    quote: Quote
    reason: str


@dataclass(frozen=True)
class Source:
    slug: str
    path: str
    seed: str
    title: str
    outlet: str
    published: str
    body: Text
    url: str = ""
    archive_url: str = ""  # an archived copy of the report
    retrieved: str = ""  # the day the seed's text was taken from the original
    published_note: Optional[Text] = None
    language: str = "en"
    translation: str = "original"
    translation_note: Optional[Text] = None
    nature: str = ""
    topics: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    notes: tuple[Note, ...] = ()
    unannotated: tuple[Unannotated, ...] = ()
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Topic:
    slug: str
    path: str
    title: str
    body: Text
    kind: str = "theme"
    aliases: tuple[str, ...] = ()
    summary: str = ""
    related: tuple[str, ...] = ()
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_entity(self) -> bool:
        return self.kind in ENTITY_KINDS


@dataclass(frozen=True)
class Claim:
    slug: str
    title: str
    unit: str = ""
    topics: tuple[str, ...] = ()
    note: Optional[Text] = None
    verdict: Optional[Verdict] = None
    # the default measure of its facts (a fact's own overrides it)
    scope: str = ""
    count: str = ""
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Intro:
    title: str
    body: Text


@dataclass(frozen=True)
class Known:
    """Slugs that exist, even where their file has errors (so one bad file causes one error)."""

    sources: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    claims: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Content:
    """Everything the editor wrote, validated: the input of the resolve stage."""

    config: Config
    intro: Intro
    seeds: Mapping[str, Seed]
    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    claims: tuple[Claim, ...]
    files: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)  # path -> text
    broken: frozenset[str] = frozenset()  # keys (`topics/x`) of files that exist but failed to validate
    config_ok: bool = True  # False: config.yaml is unusable; the content is still checked, nothing is built
    known: Known = Known()
