"""Deterministic synthetic dossiers for the benchmarks.

`make_dossier(root, sources, seed)` writes a complete project — config.yaml, seeds/, content/ and a
copy of the real templates — that passes `python build.py check` with no errors. The same arguments
always give byte-identical files: every random choice comes from a `random.Random` seeded with a
string derived from `seed` (never the global generator, never the clock), and source number i is the
same whatever the total number of sources (only its links to other sources depend on it).

    python bench/synthetic.py /tmp/dossier-1000 --sources 1000
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

ENGINE = Path(__file__).resolve().parents[1]

TOPIC_COUNT = 200
FACTS_PER_SOURCE = 8
NOTES_PER_SOURCE = 3
TOPICS_PER_SOURCE = 4
EXTRA_FIGURES = 2  # figure sentences per seed that no fact quotes: listed under `unannotated`
SEED_CHARS = 3000
FIRST_DAY = datetime.date(2020, 8, 9)
DAYS = 60  # facts refer to dates in the 60 days after the vote, so claims get same-date comparisons

# -- word lists (no number words outside the figure sentences: they would count as figures) ----

FIRST_NAMES = ["Marek", "Alina", "Pavel", "Oksana", "Ivan", "Daria", "Kiril", "Nadia", "Stepan", "Vera",
               "Yuri", "Lidia", "Artem", "Olga", "Taras", "Irina", "Fedor", "Zoya", "Roman", "Maria"]
SURNAME_HEADS = ["Vol", "Kor", "Step", "Bel", "Mar", "Dan", "Lis", "Hor", "Zub", "Kal", "Rud", "Sok",
                 "Mel", "Prav", "Grom", "Lab", "Nos", "Tar", "Shal", "Bor"]
SURNAME_TAILS = [("ov", "au"), ("ev", "eu"), ("enko", "enka"), ("ovich", "ovich"), ("sky", "ski"),
                 ("chuk", "chuk"), ("kin", "kin")]
PLACE_HEADS = ["Varn", "Hrod", "Bel", "Lid", "Kobr", "Dzer", "Mol", "Orsh", "Pol", "Svet", "Zhod",
               "Navap", "Slon", "Baran", "Mazyr", "Rechyts", "Kalink", "Smarh", "Ashm", "Hlub"]
PLACE_TAILS = [("ava", "ovo"), ("ichy", "ichi"), ("yeva", "eva"), ("ina", "ino"), ("ouka", "ovka"),
               ("insk", "insk")]
ORG_ADJECTIVES = ["Northern", "Independent", "Free", "United", "National", "Civic", "Democratic",
                  "Regional", "Eastern", "Western", "Central"]
ORG_NOUNS = ["Workers", "Students", "Observers", "Journalists", "Doctors", "Lawyers", "Teachers",
             "Drivers", "Miners", "Artists"]
ORG_FORMS = ["Union", "Council", "Committee", "Association", "Network", "Alliance"]
OUTLETS = ["Northern Courier", "Evening Ledger", "Radio Prospect", "The Daily Lantern", "Capital Wire",
           "Borderland Review", "Morning Herald", "Free Voice", "Open Channel", "River Gazette"]
NATURES = ["wire report", "regional daily", "state-funded broadcaster", "exile news site", "tabloid",
           "news aggregator, machine-translated"]
ATTRIBUTIONS = ["the Interior Ministry", "the regional police", "the Central Election Commission",
                "human rights monitors", "the city council", "local journalists", "the strike committee",
                "opposition organisers", "the prosecutor's office", "hospital staff"]
THEMES = ["Detentions", "Police violence", "Election monitoring", "Labour strikes", "Independent media",
          "Internet shutdowns", "Court hearings", "Women's marches", "Student protests", "Foreign reactions",
          "Sanctions", "Exiled opposition", "Neighbourhood marches", "Medical workers", "State television",
          "Religious leaders", "Pensioners' marches", "Solidarity chains", "Border crossings", "Sports figures"]
THEME_ANGLES = ["in the capital", "in the regions", "abroad", "and the law", "in the press", "online",
                "after the vote", "in winter"]
SUBJECTS = ["Witnesses", "Residents", "Reporters on the scene", "Local officials", "Students",
            "Factory workers", "Pensioners", "Doctors at the city hospital", "Volunteers", "Shop owners",
            "Taxi drivers", "Members of the opposition", "Journalists", "Neighbours", "Lawyers for the detainees"]
VERBS = ["described", "reported", "recalled", "criticised", "questioned", "welcomed", "documented",
         "disputed", "discussed", "photographed"]
OBJECTS = ["the police response", "the long queues outside the detention centre", "the march along the main avenue",
           "the closure of the metro stations", "the statement from the ministry", "the mood in the square",
           "the crackdown on independent media", "the calls for a recount", "the chain of solidarity",
           "the internet outage", "the arrests near the polling stations", "the court hearings"]
TAILS = ["late in the evening", "without giving details", "in interviews with the press", "on social media",
         "despite the rain", "while the crowd sang", "as riot police watched", "before the curfew",
         "near the railway station", "in the city centre", "after the vote", "during the night"]
SLOGANS = ["We are not afraid", "We want a fair count", "Go home", "Free our friends", "Leave now",
           "We will not stop"]
SPEAKERS = ["a student", "a retired teacher", "a young nurse", "a bus driver", "a shop assistant", "an engineer"]
HEADLINES = ["Protesters return to the streets of {place}", "Arrests mount in {place} as the crackdown widens",
             "{person} calls for talks as the marches go on", "Strike spreads to factories near {place}",
             "Officials and monitors disagree over the count in {place}",
             "{person} says the vote was stolen", "Night of clashes in {place}"]
RUSSIAN = [("{name} сообщает о новых задержаниях.", "{name} reports new detentions."),
           ("{name} призывает к мирным акциям.", "{name} calls for peaceful protests."),
           ("Очевидцы сообщили о задержаниях возле вокзала.", "Witnesses reported detentions near the railway station."),
           ("Милиция не комментирует происходящее.", "The police are not commenting on what is happening."),
           ("Вечером люди снова вышли на улицы.", "In the evening people took to the streets again."),
           ("Журналистам запретили снимать у здания суда.", "Journalists were barred from filming outside the court.")]
CYRILLIC = {"shch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц", "ya": "я", "yu": "ю", "ye": "е",
            "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "г", "i": "и", "j": "й",
            "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
            "v": "в", "w": "в", "y": "ы", "z": "з"}
NOTE_KINDS = ["context", "correction", "dispute"]


@dataclass(frozen=True)
class Measure:
    """A kind of figure the sources report, e.g. people detained; one claim per measure and place."""

    key: str
    title: str  # claim title, with {place}
    unit: str
    low: float
    high: float
    statement: str  # the editor's one line, with {By}, {amount}, {place}
    sentences: tuple[str, ...]  # the seed's wording, with {by}, {By}, {n}, {place}, {date}; "about"/"At least" set a qualifier
    decimals: int = 0


MEASURES = (
    Measure("detained", "People detained in {place}", "people", 50, 9000,
            "{By} put the number of people detained in {place} at {amount}.", (
        "{By} said {n} people had been detained in {place} by {date}.",
        "By {date}, {n} people had been detained in {place}, according to {by}.",
        "In {place}, {by} reported {n} detentions on {date}, calling the arrests “necessary”.")),
    Measure("injured", "People injured in {place}", "people", 5, 600,
            "{By} said {amount} people were injured in {place}.", (
        "{By} said {n} people were injured in {place} on {date}.",
        "At least {n} people were hurt during the clashes in {place} on {date}, {by} reported.")),
    Measure("rally", "Size of the rally in {place}", "people", 500, 60000,
            "{By} estimated the crowd in {place} at {amount} people.", (
        "A crowd of about {n} people gathered in {place} on {date}, according to {by}.",
        "{By} put the size of the march in {place} on {date} at {n} people.")),
    Measure("strikers", "Workers on strike in {place}", "workers", 100, 12000,
            "{By} said {amount} workers were on strike in {place}.", (
        "{By} counted {n} workers on strike in {place} on {date}.",
        "On {date}, {n} workers in {place} stopped work, {by} said — the ministry’s figure was lower.")),
    Measure("turnout", "Official turnout in {place}", "percent", 40, 95,
            "{By} gave turnout in {place} as {amount} percent.", (
        "Turnout in {place} reached {n} percent on {date}, {by} said.",
        "{By} put turnout in {place} at {n}% on {date}."), decimals=1),
)


# -- the plan: plain data first, files last ---------------------------------------------------

@dataclass
class Topic:
    slug: str
    title: str
    kind: str = "theme"
    aliases: tuple[str, ...] = ()
    cyrillic: str = ""  # the alias written in Cyrillic (also in `aliases`), used in Russian paragraphs
    summary: str = ""
    related: tuple[str, ...] = ()

    @property
    def latin_names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.title, *self.aliases) if n != self.cyrillic)


@dataclass(frozen=True)
class Claim:
    slug: str
    title: str
    unit: str
    measure: Measure
    place: Topic


@dataclass
class Fact:
    id: str
    claim: Claim
    statement: str
    value: float
    qualifier: str
    date: str
    by: str
    quote: str
    note: str = ""
    topics: tuple[str, ...] = ()


@dataclass
class Note:
    kind: str
    quote: str
    text: str


@dataclass
class Source:
    number: int
    slug: str
    seed_name: str
    title: str
    outlet: str
    nature: str
    published: str
    url: str
    topics: tuple[str, ...]
    seed_text: str = ""
    facts: list[Fact] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    unannotated: list[str] = field(default_factory=list)
    body: str = ""


@dataclass(frozen=True)
class World:
    """What every source draws from: topics (themes and entities) and claims."""

    topics: tuple[Topic, ...]
    claims: tuple[Claim, ...]

    @functools.cached_property
    def _by_kind(self) -> dict[Optional[str], list[Topic]]:
        found: dict[Optional[str], list[Topic]] = {None: []}
        for topic in self.topics:
            if topic.kind != "theme":
                found[None].append(topic)
                found.setdefault(topic.kind, []).append(topic)
        return found

    def entities(self, kind: Optional[str] = None) -> list[Topic]:
        """Entities (of one kind, if given) in topic order."""
        return self._by_kind.get(kind, [])


def make_dossier(root: Path, sources: int, seed: int = 0) -> None:
    """Write a synthetic project with `sources` sources into `root` (which must be new or empty)."""
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    world = make_world(seed)
    plans = [plan_source(world, seed, i) for i in range(sources)]
    annotate(plans, world, seed)
    write_project(root, world, plans, sources)


def make_world(seed: int) -> World:
    rng = random.Random(f"{seed}:world")
    topics = make_topics(rng)
    places = [t for t in topics if t.kind == "place"][:10]
    claims = tuple(Claim(f"{m.key}-{slugify(p.title)}", m.title.format(place=p.title), m.unit, m, p)
                   for m in MEASURES for p in places)
    return World(tuple(topics), claims)


def make_topics(rng: random.Random) -> list[Topic]:
    """200 topics: every third an entity (person, organisation, place in turn), the rest themes."""
    makers = {"person": person_names, "organisation": organisation_names, "place": place_names}
    taken: set[str] = set()
    topics = []
    for number in range(1, TOPIC_COUNT + 1):
        slug = f"topic-{number:03d}"
        kind = ("person", "organisation", "place")[(number // 3) % 3] if number % 3 == 1 else "theme"
        if kind == "theme":
            title = f"{THEMES[number % len(THEMES)]} {THEME_ANGLES[(number // len(THEMES)) % len(THEME_ANGLES)]}"
            topics.append(Topic(slug, title, summary=f"How the sources report {title.lower()}."))
            continue
        title, aliases, cyrillic = unique_names(rng, makers[kind], taken, cyrillic=kind != "organisation")
        topics.append(Topic(slug, title, kind, aliases, cyrillic, f"{'An' if kind == 'organisation' else 'A'} {kind} named in the sources."))
    for topic in topics:
        topic.related = tuple(sorted({rng.choice(topics).slug for _ in range(2)} - {topic.slug}))
    return topics


def unique_names(rng: random.Random, maker, taken: set[str], cyrillic: bool) -> tuple[str, tuple[str, ...], str]:
    """A title and aliases (with the title in Cyrillic, if asked) that no other entity uses."""
    while True:
        title, aliases = maker(rng)
        russian = to_cyrillic(title) if cyrillic else ""
        aliases = (*aliases, russian) if russian else aliases
        names = {title, *aliases}
        if len(names) == len(aliases) + 1 and not names & taken:
            taken.update(names)
            return title, aliases, russian


def person_names(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    first, head = rng.choice(FIRST_NAMES), rng.choice(SURNAME_HEADS)
    tail, variant = rng.choice(SURNAME_TAILS)
    return f"{first} {head}{tail}", (f"{head}{tail}", f"{first} {head}{variant}" if variant != tail else f"{first[0]}. {head}{tail}")


def organisation_names(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    adjective, noun, form = rng.choice(ORG_ADJECTIVES), rng.choice(ORG_NOUNS), rng.choice(ORG_FORMS)
    return f"{adjective} {noun}’ {form}", (f"{form} of {adjective} {noun}", f"{adjective[0]}{noun[0]}{form[0]}")


def place_names(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    head = rng.choice(PLACE_HEADS)
    tail, variant = rng.choice(PLACE_TAILS)
    return f"{head}{tail}", (f"{head}{variant}" if variant != tail else f"{head}{tail}-Central",)


def to_cyrillic(latin: str) -> str:
    out, i, lower = [], 0, latin.lower()
    while i < len(lower):
        for size in (4, 2, 1):
            piece = lower[i:i + size]
            if piece in CYRILLIC:
                letter = CYRILLIC[piece]
                out.append(letter.upper() if latin[i].isupper() else letter)
                i += size
                break
        else:
            out.append(latin[i])
            i += 1
    return "".join(out)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# -- one source: its seed text, facts, notes ---------------------------------------------------

class Sentences:
    """The sentences of one seed: none is contained in another, so every quote is found exactly once."""

    def __init__(self) -> None:
        self.folded: list[str] = []

    def add_new(self, make, tries: int = 1000) -> str:
        """The first sentence `make()` gives that neither contains nor is contained in another."""
        for _ in range(tries):
            sentence = make()
            folded = fold(sentence)
            if not any(folded in other or other in folded for other in self.folded):
                self.folded.append(folded)
                return sentence
        raise RuntimeError(f"no new sentence after {tries} tries: {sentence!r}")


def plan_source(world: World, seed: int, number: int) -> Source:
    """Source number `number`: its seed text and annotations (cross-references come later)."""
    rng = random.Random(f"{seed}:source:{number}")
    source = source_header(rng, world, number)
    sentences = Sentences()
    claims = rng.choices(world.claims, k=FACTS_PER_SOURCE)
    source.facts = [figure_fact(rng, world, sentences, f"{claim.measure.key}-{k + 1}", claim,
                                source.topics[k % TOPICS_PER_SOURCE]) for k, claim in enumerate(claims)]
    source.unannotated = [figure_fact(rng, world, sentences, "extra", claim).quote
                          for claim in rng.choices(world.claims, k=EXTRA_FIGURES)]
    russian = russian_paragraph(rng, world, sentences) if rng.random() < 0.15 else []
    figures = [f.quote for f in source.facts] + source.unannotated
    fillers = filler_sentences(rng, world, sentences, SEED_CHARS - sum(len(s) + 1 for s in figures))
    source.notes = plan_notes(rng, fillers, russian)
    source.seed_text = seed_text(rng, figures + fillers, russian)
    source.published = max(f.date for f in source.facts)
    check_unique(source)
    return source


def source_header(rng: random.Random, world: World, number: int) -> Source:
    outlet = rng.choice(OUTLETS)
    place, person = rng.choice(world.entities("place")), rng.choice(world.entities("person"))
    url = f"https://{slugify(outlet)}.example.org/news/{number:05d}" if rng.random() < 0.7 else ""
    return Source(number=number, slug=f"{slugify(outlet)}-{number:05d}",
                  seed_name=f"{number:05d}_{rng.getrandbits(64):016x}.txt",
                  title=rng.choice(HEADLINES).format(place=place.title, person=person.title),
                  outlet=outlet, nature=rng.choice(NATURES), published="", url=url,
                  topics=tuple(sorted(t.slug for t in rng.sample(world.topics, TOPICS_PER_SOURCE))))


def filler_sentences(rng: random.Random, world: World, sentences: Sentences, chars: int) -> list[str]:
    """Sentences without figures, about `chars` characters of them (at least one per note)."""
    fillers: list[str] = []
    while len(fillers) < NOTES_PER_SOURCE or sum(len(s) + 1 for s in fillers) < chars:
        fillers.append(sentences.add_new(lambda: filler_sentence(rng, world)))
    return fillers


def figure_fact(rng: random.Random, world: World, sentences: Sentences, fact_id: str, claim: Claim,
                topic: str = "") -> Fact:
    """A sentence of the seed giving a figure for `claim`, and the fact that quotes it."""
    measure = claim.measure
    day = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
    by = rng.choice(ATTRIBUTIONS + [o.title for o in world.entities("organisation")[:8]])
    template = rng.choice(measure.sentences)
    value = round(rng.uniform(measure.low, measure.high), measure.decimals) if measure.decimals \
        else int(rng.uniform(measure.low, measure.high))
    place = rng.choice(claim.place.latin_names)

    def sentence() -> str:
        return template.format(By=by[0].upper() + by[1:], by=by, n=figure_text(rng, value), place=place,
                               date=date_text(rng, day))

    quote = sentences.add_new(sentence)
    qualifier = "about" if " about " in template else "at least" if template.startswith("At least") else ""
    label = by.removeprefix("the ")
    amount = f"{value:.1f}" if measure.decimals else f"{value:,}"
    statement = measure.statement.format(By=label[0].upper() + label[1:], amount=amount, place=claim.place.title)
    return Fact(fact_id, claim, statement, value, qualifier, day.isoformat(), label, quote,
                topics=(topic,) if topic else ())


def figure_text(rng: random.Random, value: float) -> str:
    """A number as a reporter writes it: 1,234 or 1 234 (with a non-breaking space) or 67.4."""
    if isinstance(value, float):
        return f"{value:.1f}"
    if value >= 1000 and rng.random() < 0.2:
        return f"{value:,}".replace(",", "\u00a0")
    return f"{value:,}"


def date_text(rng: random.Random, day: datetime.date) -> str:
    return rng.choice([f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}", f"{day.day} {day:%B}"])


def filler_sentence(rng: random.Random, world: World) -> str:
    entity = rng.choice(world.entities())
    name = rng.choice(entity.latin_names)
    if entity.kind == "place":
        return f"In {name}, {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
    shapes = [
        lambda: f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}.",
        lambda: f"{rng.choice(SUBJECTS)} — {rng.choice(TAILS)} — {rng.choice(VERBS)} {rng.choice(OBJECTS)}.",
        lambda: f"“{rng.choice(SLOGANS)},” said {rng.choice(SPEAKERS)} who gave only her name, {rng.choice(TAILS)}.",
        lambda: f"The ministry’s spokesman declined to comment on {rng.choice(OBJECTS)} {rng.choice(TAILS)}.",
        lambda: f"{name} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}.",
        lambda: f"According to {name}, {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}.",
    ]
    return rng.choice(shapes)()


def russian_paragraph(rng: random.Random, world: World, sentences: Sentences) -> list[tuple[str, str]]:
    """(Russian, English) sentence pairs naming entities by their Cyrillic alias."""
    named = [t for t in world.entities() if t.kind in ("person", "place")]
    pairs = []
    for russian, english in rng.sample(RUSSIAN, 3):
        entity = rng.choice(named)
        pairs.append((sentences.add_new(lambda: russian.format(name=entity.cyrillic)), english.format(name=entity.title)))
    return pairs


def plan_notes(rng: random.Random, fillers: list[str], russian: list[tuple[str, str]]) -> list[Note]:
    notes = []
    if russian:
        ru, en = russian[0]
        notes.append(Note("translation", ru, f"In English: “{en}”"))
    for quote in rng.sample(fillers, NOTES_PER_SOURCE - len(notes)):
        notes.append(Note(rng.choice(NOTE_KINDS), quote, ""))
    return notes


def seed_text(rng: random.Random, sentences: list[str], russian: list) -> str:
    """The sentences shuffled into paragraphs of 3 to 5, the Russian one somewhere in between."""
    pool = list(sentences)
    rng.shuffle(pool)
    paragraphs, at = [], 0
    while at < len(pool):
        size = rng.randint(3, 5)
        paragraphs.append(" ".join(pool[at:at + size]))
        at += size
    if russian:
        paragraphs.insert(rng.randrange(1, len(paragraphs)), " ".join(ru for ru, _ in russian))
    if rng.random() < 0.3:
        paragraphs.insert(0, f"https://photos.example.org/{rng.getrandbits(32):08x}.jpg")
    return "\n\n".join(paragraphs) + "\n"


def check_unique(source: Source) -> None:
    text = fold(source.seed_text)
    for quote in [f.quote for f in source.facts] + [n.quote for n in source.notes] + source.unannotated:
        if count(text, fold(quote)) != 1:
            raise AssertionError(f"{source.slug}: quote not unique in its seed: {quote!r}")


FOLD = str.maketrans({**dict.fromkeys("\"“”„‟«»″", '"'), **dict.fromkeys("'‘’‚‛′`", "'"),
                      **dict.fromkeys("-‐‑‒–—―−", "-")})


def fold(text: str) -> str:
    """Text as the engine matches quotes: white space runs as one space, quotes and dashes unified."""
    return " ".join(text.split()).translate(FOLD)


def count(text: str, needle: str) -> int:
    found, at = 0, text.find(needle)
    while at != -1:
        found, at = found + 1, text.find(needle, at + 1)
    return found


# -- cross-references (need every source planned) ------------------------------------------------

def annotate(plans: list[Source], world: World, seed: int) -> None:
    """Markdown commentary and notes with [[topic]], [[claim]] and [[other-source#fact]] links."""
    answers: dict[str, list[tuple[str, str]]] = {}
    for plan in plans:
        for fact in plan.facts:
            answers.setdefault(fact.claim.slug, []).append((plan.slug, fact.id))
    for plan in plans:
        rng = random.Random(f"{seed}:links:{plan.number}")
        for fact in plan.facts[::2]:
            slug, fact_id = rng.choice(answers[fact.claim.slug])
            if slug != plan.slug:
                fact.note = f"Compare [[{slug}#{fact_id}]]; see [[{fact.claim.slug}]]."
        for note in plan.notes:
            if not note.text:
                note.text = note_text(rng, note.kind, plan, plans)
        plan.body = commentary(rng, plan, plans)


def note_text(rng: random.Random, kind: str, plan: Source, plans: list[Source]) -> str:
    other = rng.choice(plans)
    link = f"[[{other.slug}#{other.facts[0].id}]]" if other is not plan else f"[[#{plan.facts[0].id}]]"
    topic = rng.choice(plan.topics)
    return {
        "context": f"Background on this passage: see [[{topic}]] and {link}.",
        "correction": f"The outlet gets this detail wrong; the *usual* account is in {link}.",
        "dispute": f"Other sources tell this differently ({link}); see also [[{topic}]].",
    }[kind]


def commentary(rng: random.Random, plan: Source, plans: list[Source]) -> str:
    other = rng.choice(plans)
    topics = ", ".join(f"[[{t}]]" for t in plan.topics[:2])
    return (f"This {plan.nature} from **{plan.outlet}** covers {topics}. Its figures for "
            f"[[{plan.facts[0].claim.slug}]] are in [[#{plan.facts[0].id}]]; compare "
            f"[[{other.slug}#{other.facts[1].id}|what {other.outlet} reported]].\n\n"
            f"- {len(plan.facts)} facts, {len(plan.notes)} notes\n- see also [[{plan.topics[-1]}]]\n")


# -- files -----------------------------------------------------------------------------------

def write_project(root: Path, world: World, plans: list[Source], size: int) -> None:
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "content" / "sources").mkdir(parents=True)
    (root / "content" / "topics").mkdir(parents=True)
    shutil.copytree(ENGINE / "templates", root / "templates")
    write_yaml(root / "config.yaml", {
        "title": f"Synthetic dossier ({size} sources)",
        "description": "A generated dossier for benchmarks: plausible prose, figures, facts and links.",
        "language": "en", "base_url": "/", "editor": "The benchmark generator", "output": "site",
    })
    write_yaml(root / "content" / "claims.yaml", {c.slug: claim_data(c) for c in world.claims})
    first = plans[0].slug if plans else ""
    intro = ("Generated for benchmarks. Start with [[topic-001]], the claim "
             f"[[{world.claims[0].slug}]]" + (f" and the source [[{first}]]" if first else "") + ".\n")
    write_text(root / "content" / "index.md", front({"title": "A synthetic dossier"}) + "\n" + intro)
    for topic in world.topics:
        write_text(root / "content" / "topics" / f"{topic.slug}.md", topic_file(topic))
    for plan in plans:
        write_text(root / "seeds" / plan.seed_name, plan.seed_text)
        write_text(root / "content" / "sources" / f"{plan.slug}.md", source_file(plan))


def claim_data(claim: Claim) -> dict:
    return {"title": claim.title, "unit": claim.unit, "topics": [claim.place.slug],
            "note": f"Figures for [[{claim.place.slug}|{claim.place.title}]] from many outlets."}


def topic_file(topic: Topic) -> str:
    data = {"title": topic.title, "kind": topic.kind}
    if topic.aliases:
        data["aliases"] = list(topic.aliases)
    data |= {"summary": topic.summary, "related": list(topic.related)}
    links = " and ".join(f"[[{slug}]]" for slug in topic.related) or "the sources"
    return front(data) + f"\n{topic.title} is discussed alongside {links}.\n"


def source_file(plan: Source) -> str:
    data = {"seed": plan.seed_name, "title": plan.title, "outlet": plan.outlet}
    if plan.url:
        data["url"] = plan.url
    data |= {"published": plan.published, "nature": plan.nature, "topics": list(plan.topics),
             "facts": [fact_data(f) for f in plan.facts],
             "notes": [{"quote": n.quote, "kind": n.kind, "text": n.text} for n in plan.notes],
             "unannotated": [{"quote": q, "reason": "a figure kept for the synthetic seed's realism"}
                             for q in plan.unannotated]}
    return front(data) + "\n" + plan.body


def fact_data(fact: Fact) -> dict:
    data = {"id": fact.id, "claim": fact.claim.slug, "statement": fact.statement, "value": fact.value,
            "unit": fact.claim.unit}
    if fact.qualifier:
        data["qualifier"] = fact.qualifier
    data |= {"date": fact.date, "by": fact.by, "quote": fact.quote, "topics": list(fact.topics)}
    if fact.note:
        data["note"] = fact.note
    return data


def front(data: dict) -> str:
    return "---\n" + dump(data) + "---\n"


def dump(data) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter is many times faster
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100_000,
                     default_flow_style=False)


def write_yaml(path: Path, data) -> None:
    write_text(path, dump(data))


def write_text(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def with_statement(text: str, statement: str) -> str:
    """A source file's text with its first fact's statement replaced (the edit the benchmarks make)."""
    match = re.search(r"^([ \t-]*)statement:.*$", text, re.M)
    if match is None:
        raise ValueError("no fact statement in this file")
    line = f"{match.group(1)}statement: {json.dumps(statement, ensure_ascii=False)}"
    return text[:match.start()] + line + text[match.end():]


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic dossier project.")
    parser.add_argument("root", type=Path, help="a new or empty folder")
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    make_dossier(args.root, args.sources, args.seed)


if __name__ == "__main__":
    main()
