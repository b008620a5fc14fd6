"""The validate stage: schemas, then frozen model objects, then the checks that span files."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional, Union

from .diagnostics import Diagnostic, Location, did_you_mean, error, warning
from .evidence import check_measure, check_scope
from .sourcing import check_editor, check_fact, check_provenance, verdict
from .model import (Claim, Config, Content, Fact, Intro, Known, Note, Quote, Seed, Source, Text, Topic,
                    Unannotated)
from .placeholders import with_unfilled
from .schema import validate as check_schema
from .urls import claim_key, source_key, topic_key
from .frontmatter import MarkdownFile, parse_markdown_file
from .yamlload import YamlDocument, load_yaml

if TYPE_CHECKING:
    from .load import Loaded

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class CheckedFile:
    """A content file checked on its own: its model (a Source or Topic; None if the file has
    errors) and its problems."""

    path: str
    slug: str
    text: str
    model: Optional[Union[Source, Topic]]
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class ClaimsFile:
    path: str
    text: str
    slugs: frozenset[str]  # every claim named, even one with errors
    claims: tuple[Claim, ...]
    problems: tuple[Diagnostic, ...]


def source_file(rel: str, text: str) -> CheckedFile:
    """Front matter parsed and checked against the schema, then the Source (a pure function of
    the file: load memoizes it by the file's digest)."""
    file = parse_markdown_file(rel, text)
    problems: list[Diagnostic] = list(file.front.diagnostics)
    source = _source(file, problems)
    return CheckedFile(rel, file.slug, text, source, tuple(problems))


def topic_file(rel: str, text: str) -> CheckedFile:
    file = parse_markdown_file(rel, text)
    problems: list[Diagnostic] = list(file.front.diagnostics)
    topic = _topic(file, problems)
    return CheckedFile(rel, file.slug, text, topic, tuple(problems))


def claims_file(rel: str, text: str) -> ClaimsFile:
    doc = load_yaml(text, rel)
    problems: list[Diagnostic] = list(doc.diagnostics)
    claims = _claims(doc, problems)
    slugs = frozenset(doc.data) if isinstance(doc.data, dict) else frozenset()
    return ClaimsFile(rel, text, slugs, claims, tuple(problems))


def validate(loaded: Loaded) -> tuple[Content, list[Diagnostic]]:
    """Content from the files checked one by one (with a stand-in config when config.yaml is
    unusable, so that the content's own errors are still found in the same run), and the checks
    that span files. A source's own checks against the rest are the derive stage's."""
    problems: list[Diagnostic] = []
    config = _config(loaded.config, problems)
    sources = tuple(f.model for f in loaded.sources if f.model)
    topics = tuple(f.model for f in loaded.topics if f.model)
    claims = loaded.claims.claims if loaded.claims else ()
    intro = _intro(loaded.intro, config, problems)
    known = Known(sources=frozenset(f.slug for f in loaded.sources), topics=frozenset(f.slug for f in loaded.topics),
                  claims=loaded.claims.slugs if loaded.claims else frozenset())
    broken = frozenset({source_key(f.slug) for f in loaded.sources if not f.model}
                       | {topic_key(f.slug) for f in loaded.topics if not f.model}
                       | {claim_key(c) for c in known.claims} - {claim_key(c.slug) for c in claims})
    problems += _cross_checks(sources, topics, claims, loaded.seeds, known, complete=not broken,
                              unreadable=loaded.unreadable_seeds)
    problems += check_editor(config, sources, claims)
    files = {f.path: f.text for f in (*loaded.topics, *([loaded.claims] if loaded.claims else []))}
    if loaded.intro is not None:
        files[loaded.intro.path] = loaded.intro.text
    content = Content(config or Config(title=""), intro, loaded.seeds, sources, topics, claims, files, broken,
                      config_ok=config is not None, known=known)
    return content, problems


def _checked(doc: Optional[YamlDocument], schema: str, problems: list) -> Optional[dict]:
    if doc is None or doc.diagnostics:
        return None
    found = with_unfilled(doc, check_schema(doc, schema))  # a placeholder (TODO) left by `new` is an error
    problems.extend(found)
    return None if found else (doc.data or {})


def _text(doc: YamlDocument, data: dict, key: str, path: tuple = ()) -> Optional[Text]:
    return Text(data[key], doc.where(path + (key,))) if data.get(key) else None


def _locations(doc: YamlDocument, data: dict, path: tuple = ()) -> dict:
    return {key: doc.where(path + (key,)) for key in data} | {"": doc.where(path)}


def _config(doc: Optional[YamlDocument], problems: list) -> Optional[Config]:
    data = _checked(doc, "config", problems)
    if data is None:
        return None
    output = data.get("output", "site")
    if output.startswith("~") or output in ("null", "Null", "NULL"):
        why = "'~' is not your home folder here" if output.startswith("~") else "YAML's empty value, not a folder name"
        problems.append(error(doc.where(("output",)), f"output folder '{output}': {why}",
                              "write a path relative to the project, such as 'site', or an absolute path; "
                              "leave 'output' out for the default 'site'"))
        return None
    base = data.get("base_url", "/")
    return Config(data["title"], data.get("description", ""), data.get("language", "en"),
                  base if base.endswith("/") else base + "/", data.get("editor", ""),
                  data.get("output", "site"), data.get("strict", False), data.get("cname", ""),
                  int(data.get("per_page", 100)), data.get("site_url", ""))


def _slug_ok(file: MarkdownFile, problems: list) -> bool:
    if SLUG.match(file.slug):
        return True
    suggestion = re.sub(r"[^a-z0-9]+", "-", file.slug.lower()).strip("-") or "name"
    problems.append(error(Location(file.path, 1, 1), f"file name '{file.slug}' is not a valid slug",
                          f"rename it to '{suggestion}.md': lower-case ASCII letters, digits and hyphens"))
    return False


def _quote(doc: YamlDocument, item: dict, path: tuple) -> Quote:
    return Quote(item["quote"], item.get("occurrence"), doc.where(path + ("quote",)))


def _source(file: MarkdownFile, problems: list) -> Optional[Source]:
    doc = file.front
    data = _checked(doc, "source", problems)
    if data is None or not _slug_ok(file, problems):
        return None
    facts = tuple(_fact(doc, file.slug, data, i) for i in range(len(data.get("facts", []))))
    notes = _notes(doc, file.slug, data.get("notes", []))
    unannotated = tuple(Unannotated(_quote(doc, u, ("unannotated", i)), u["reason"])
                        for i, u in enumerate(data.get("unannotated", [])))
    return Source(
        slug=file.slug, path=file.path, seed=data["seed"], title=data["title"], outlet=data["outlet"],
        published=data["published"], body=Text(file.body, Location(file.path, file.body_line, 1)),
        url=data.get("url", ""), archive_url=data.get("archive_url", ""), retrieved=data.get("retrieved", ""),
        published_note=_text(doc, data, "published_note"),
        language=data.get("language", "en"), translation=data.get("translation", "original"),
        translation_note=_text(doc, data, "translation_note"), nature=data.get("nature", ""),
        topics=tuple(data.get("topics", [])), facts=facts, notes=notes, unannotated=unannotated,
        locations=_locations(doc, data),
    )


def _fact(doc: YamlDocument, source: str, data: dict, index: int) -> Fact:
    item, path = data["facts"][index], ("facts", index)
    return Fact(
        id=item["id"], source=source, statement=item["statement"], quote=_quote(doc, item, path),
        by=item.get("by", data["outlet"]), claim=item.get("claim"), value=item.get("value"),
        value_text=doc.raw.get(path + ("value",), ""),
        unit=item.get("unit", ""), qualifier=item.get("qualifier", ""), date=item.get("date", ""),
        topics=tuple(item.get("topics", [])), note=_text(doc, item, "note", path),
        attribution=item.get("attribution", "stated"), attribution_reason=item.get("attribution_reason", ""),
        verdict=verdict(doc, item, path),
        reported=item.get("reported", ""), scope=item.get("scope", ""), count=item.get("count", ""),
        stage=item.get("stage", ""), low=item.get("low"), high=item.get("high"),
        low_text=doc.raw.get(path + ("low",), ""), high_text=doc.raw.get(path + ("high",), ""),
        locations=_locations(doc, item, path),
    )


def _notes(doc: YamlDocument, source: str, items: list) -> tuple[Note, ...]:
    notes, taken = [], Counter()
    for i, item in enumerate(items):
        note_id = item.get("id") or default_note_id(item["kind"], item["quote"])
        if "id" not in item:
            taken[note_id] += 1
            note_id = note_id if taken[note_id] == 1 else f"{note_id}-{taken[note_id]}"
        notes.append(Note(note_id, source, item["kind"], Text(item["text"], doc.where(("notes", i, "text"))),
                          _quote(doc, item, ("notes", i))))
    return tuple(notes)


def default_note_id(kind: str, quote: str) -> str:
    """A stable id from the note's kind and the first words of its quote."""
    words = re.sub(r"[^a-z0-9]+", " ", quote.lower()).split()[:5]
    return "-".join([kind, *words]) if words else kind


def _topic(file: MarkdownFile, problems: list) -> Optional[Topic]:
    doc = file.front
    data = _checked(doc, "topic", problems)
    if data is None or not _slug_ok(file, problems):
        return None
    return Topic(file.slug, file.path, data["title"], Text(file.body, Location(file.path, file.body_line, 1)),
                 data.get("kind", "theme"), tuple(data.get("aliases", [])), data.get("summary", ""),
                 tuple(data.get("related", [])), _locations(doc, data))


def _claims(doc: Optional[YamlDocument], problems: list) -> tuple[Claim, ...]:
    data = _checked(doc, "claims", problems)
    if not data:
        return ()
    return tuple(Claim(slug=slug, title=c["title"], unit=c.get("unit", ""), topics=tuple(c.get("topics", [])),
                       note=_text(doc, c, "note", (slug,)), verdict=verdict(doc, c, (slug,)), scope=c.get("scope", ""),
                       count=c.get("count", ""), locations=_locations(doc, c, (slug,)))
                 for slug, c in sorted(data.items()))


def _intro(file: Optional[MarkdownFile], config: Optional[Config], problems: list) -> Intro:
    title = config.title if config else ""
    if file is None:
        return Intro(title, Text("", Location("content/index.md")))
    data = _checked(file.front, "index", problems) or {}
    return Intro(data.get("title", title), Text(file.body, Location(file.path, file.body_line, 1)))


def _cross_checks(sources, topics, claims, seeds: dict[str, Seed], known: Known, complete: bool,
                  unreadable: set[str]) -> list[Diagnostic]:
    problems = _check_seeds(sources, seeds, complete, unreadable)
    for topic in topics:
        problems += _check_refs(topic.related, known.topics, "topic", topic.locations, "related")
        if topic.aliases and not topic.is_entity:
            problems.append(warning(topic.locations["aliases"], "aliases are used only on entities",
                                    "set 'kind' to person, organisation or place"))
    for claim in claims:
        problems += _check_refs(claim.topics, known.topics, "topic", claim.locations, "topics")
        problems += _check_dates(claim.verdict.locations, {"reviewed": claim.verdict.reviewed}) if claim.verdict else []
        problems += check_scope(claim.scope, known.topics, claim.locations)
    problems += _check_aliases(topics)
    return problems


def check_source(source: Source, known: Known) -> list[Diagnostic]:
    """The checks of one source against the topics and claims that exist."""
    problems = []
    problems += _check_refs(source.topics, known.topics, "topic", source.locations, "topics")
    problems += _check_dates(source.locations, {"published": source.published, "retrieved": source.retrieved})
    problems += check_provenance(source)
    problems += _check_ids(source)
    for fact in source.facts:
        problems += _check_refs(fact.topics, known.topics, "topic", fact.locations, "topics")
        problems += _check_refs([fact.claim] if fact.claim else [], known.claims, "claim", fact.locations, "claim")
        problems += check_fact(fact)
        problems += _check_dates(fact.verdict.locations, {"reviewed": fact.verdict.reviewed}) if fact.verdict else []
        problems += check_measure(fact, known.topics)
    return problems


def _check_refs(names: Iterable[str], known: set, kind: str, locations, key: str) -> list[Diagnostic]:
    return [error(locations.get(key, locations[""]), f"unknown {kind} '{name}'{did_you_mean(name, known)}",
                  f"a {kind} is defined by " + {"topic": "content/topics/<slug>.md",
                                                "claim": "a key in content/claims.yaml"}[kind])
            for name in names if name not in known]


def _check_dates(locations, dates: dict[str, str]) -> list[Diagnostic]:
    problems = []
    for key, value in dates.items():
        parts = [int(p) for p in value.split("-")] if value else []
        try:
            if parts:
                datetime.date(parts[0], *(parts[1:] + [1, 1])[:2])
        except ValueError:
            problems.append(error(locations[key], f"bad date '{value}': no such day",
                                  "write the date as YYYY-MM-DD, YYYY-MM or YYYY"))
    return problems


def _check_ids(source: Source) -> list[Diagnostic]:
    problems, seen = [], {}
    for item in (*source.facts, *source.notes):
        where = item.locations.get("id") if isinstance(item, Fact) else item.quote.location
        if item.id in seen:
            problems.append(error(where, f"duplicate id '{item.id}' in {source.slug} (first used at line {seen[item.id].line})",
                                  "ids of facts and notes must be unique within a source"))
        else:
            seen[item.id] = where
    return problems


def _check_seeds(sources, seeds: dict[str, Seed], complete: bool, unreadable: set[str]) -> list[Diagnostic]:
    """Unknown or doubly used seeds; seeds without a source file (only when every source file is valid)."""
    problems, used = [], {}
    for source in sources:
        where = source.locations["seed"]
        if source.seed in unreadable:
            continue  # its own error says why
        if source.seed not in seeds:
            problems.append(error(where, f"unknown seed '{source.seed}'{did_you_mean(source.seed, seeds)}",
                                  "seeds are the .txt files in seeds/"))
        elif source.seed in used:
            problems.append(error(where, f"seed '{source.seed}' is already annotated by {used[source.seed]}",
                                  "each seed has exactly one source file"))
        else:
            used[source.seed] = source.path
    for name, seed in seeds.items():
        if complete and name not in used:
            problems.append(warning(Location(seed.path), f"seed '{name}' has no source file",
                                    f"run: python build.py new {seed.path}"))
    return problems


def _check_aliases(topics) -> list[Diagnostic]:
    problems, owner = [], {}
    for topic in topics:
        if not topic.is_entity:
            continue
        for alias in dict.fromkeys((topic.title, *topic.aliases)):
            if alias in owner and owner[alias] != topic.slug:
                problems.append(error(topic.locations.get("aliases", topic.locations[""]),
                                      f"alias '{alias}' is also an alias of '{owner[alias]}'",
                                      "an alias must name one entity only"))
            owner.setdefault(alias, topic.slug)
    return problems
