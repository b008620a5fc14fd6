"""Machine-readable exports: dossier.json (with its schema), facts.csv, W3C Web Annotations, JSON-LD."""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
from typing import Any, Optional, Union

from .filters import isotime
from .compare import bounds
from .evidence import NATIONAL
from .memo import Memo, key
from .schema import SCHEMA_DIR
from .urls import Urls, claim_key, source_key, topic_key
from .views import Dossier, FactView, NoteView, SourceView

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_MOTIVATION = {"fact": "describing", "context": "commenting", "correction": "editing",
               "dispute": "questioning", "translation": "commenting"}
CSV_COLUMNS = ("id", "source", "outlet", "published", "claim", "statement", "value", "unit", "qualifier",
               "date", "by", "quote", "start", "end", "url",
               "attribution", "attribution_reason", "verdict", "original_passage_url",
               # what the figure measures (see evidence); the bounds are those the comparison reads
               "reported", "period_start", "period_end", "scope", "count", "stage", "low", "high",
               "bound_low", "bound_high")


def seed_url(urls: Urls, view: SourceView) -> str:
    return urls.page(f"seeds/{view.seed.name}")


def fact_id(f: FactView) -> str:
    return f"{f.source.key}#{f.anchor}"


def export_files(dossier: Dossier, urls: Urls, memo: Optional[Memo] = None) -> dict[str, bytes]:
    """The data behind the pages: JSON, CSV, Web Annotations, and the seeds they point into."""
    memo = memo if memo is not None else Memo()
    files = {"dossier.json": dossier_json(dossier, urls, memo), "facts.csv": facts_csv(dossier, urls, memo),
             "annotations.jsonld": annotations(dossier, urls, memo),
             "dossier.schema.json": (SCHEMA_DIR / "dossier.schema.json").read_bytes()}
    files.update({f"seeds/{s.seed.name}": s.seed.text.encode("utf-8") for s in dossier.sources})
    return files


def _piece(memo: Memo, name: str, view, urls: Urls, encode):
    """`encode()`, the piece of export `name` for `view`, memoized by the view's digest."""
    return memo.get("export", key(name, view.digest, urls.base_url), encode)


def dossier_json(dossier: Dossier, urls: Urls, memo: Memo) -> bytes:
    """Every source, fact, note, topic, claim and link, with stable ids and URLs. Written as
    compact JSON, one piece per view (a view whose digest the memo knows is not encoded again)."""
    head = _json_bytes({
        "$schema": urls.absolute(urls.page("dossier.schema.json")),
        "title": dossier.config.title, "description": dossier.config.description,
        "language": dossier.config.language, "url": urls.absolute(urls.home()),
    })[:-1]
    pieces = [_piece(memo, "json", s, urls, lambda: (
        _json_bytes(_source(s, urls)), [_json_bytes(_fact(f, urls)) for f in s.facts],
        [_json_bytes(_note(n, urls)) for n in s.notes])) for s in dossier.sources]
    topics = [_piece(memo, "json", t, urls, lambda: _json_bytes(_topic(t, urls))) for t in dossier.topics]
    claims = [_piece(memo, "json", c, urls, lambda: _json_bytes(_claim(c, urls))) for c in dossier.claims]
    edges = _edges(dossier)  # (the links' piece is encoded again only when they change, not at every edit)
    links = memo.get("export", key("json-links", edges), lambda: _json_bytes([{"from": a, "to": b} for a, b in edges]))
    return b"".join([  # one copy of the whole, however many pieces
        head, b',"sources":[', b",".join(p[0] for p in pieces),
        b'],"facts":[', b",".join(f for p in pieces for f in p[1]),
        b'],"notes":[', b",".join(n for p in pieces for n in p[2]),
        b'],"topics":[', b",".join(topics), b'],"claims":[', b",".join(claims),
        b'],"links":', links, b"}\n"])


def _topic(t, urls: Urls) -> dict[str, Any]:
    return {"id": topic_key(t.topic.slug), "url": urls.absolute(t.url), "title": t.topic.title,
            "kind": t.topic.kind, "aliases": list(t.topic.aliases), "summary": t.topic.summary,
            "related": [l.key for l in t.related], "mentions": {g.source.key: g.count for g in t.mentions}}


def _claim(c, urls: Urls) -> dict[str, Any]:
    return {"id": claim_key(c.claim.slug), "url": urls.absolute(c.url), "title": c.claim.title,
            "unit": c.claim.unit, "scope": _scope(c.claim.scope), "count": c.claim.count,
            "facts": [fact_id(r) for r in c.rows], "verdict": _verdict(c.verdict),
            "comparisons": [{"date": g.date, "scope": _scope(s.scope), "count": s.count, "agree": g.agree,
                             "spread": g.spread, "stages": list(g.stages),
                             "superseded": [fact_id(r) for r in g.rows if r.anchor in g.superseded],
                             "outliers": [f"{r.source.key}#{r.anchor}" for r in g.rows if r.anchor in g.outliers]}
                            for s in c.series for g in s.groups]}


def _scope(scope: str) -> str:
    """A scope as exported: a topic's id, `national`, or '' when not stated."""
    return topic_key(scope) if scope and scope != NATIONAL else scope


def _edges(dossier: Dossier) -> tuple[tuple[str, str], ...]:
    """Every cross-reference between pages, as (from, to) page ids, sorted."""
    edges = {(l.key, source_key(s.source.slug)) for s in dossier.sources for l in s.backlinks}
    edges |= {(l.key, topic_key(t.topic.slug)) for t in dossier.topics for l in t.backlinks}
    edges |= {(l.key, claim_key(c.claim.slug)) for c in dossier.claims for l in c.backlinks}
    return tuple(sorted(edges))


def _source(s: SourceView, urls: Urls) -> dict[str, Any]:
    src = s.source
    return {"id": source_key(src.slug), "url": urls.absolute(s.url), "seed": src.seed,
            "seed_url": urls.absolute(seed_url(urls, s)), "title": src.title, "outlet": src.outlet,
            "original_url": src.url, "archive_url": src.archive_url, "retrieved": src.retrieved,
            "seed_sha256": s.seed_sha256, "published": src.published, "language": src.language,
            "translation": src.translation, "nature": src.nature, "topics": [t.key for t in s.topics],
            "facts": [fact_id(f) for f in s.facts], "notes": [f"{n.source.key}#{n.anchor}" for n in s.notes]}


def _fact(f: FactView, urls: Urls) -> dict[str, Any]:
    fact = f.fact
    return {"id": fact_id(f), "source": f.source.key, "url": urls.absolute(f.url), "claim": f.claim.key if f.claim else None,
            "statement": fact.statement, "value": fact.value, "unit": fact.unit, "qualifier": fact.qualifier,
            "date": fact.date, "by": fact.by, "quote": f.passage, "start": f.span.start, "end": f.span.end,
            "topics": [t.key for t in f.topics],
            "attribution": fact.attribution, "attribution_reason": fact.attribution_reason,
            "original_passage_url": f.original, "archived_passage_url": f.archived, "verdict": _verdict(f.verdict),
            **_measure(f)}


def _verdict(v) -> Optional[dict[str, Any]]:
    """The editor's verdict (its reasoning in Markdown, as written), or None."""
    if v is None:
        return None
    return {"rating": v.rating.name, "label": v.rating.label, "rating_value": v.rating.value,
            "statement": v.statement, "reasoning": v.verdict.reasoning.markdown, "reviewed": v.verdict.reviewed,
            "claimants": [p.name for p in v.claimants]}


def _measure(f: FactView) -> dict[str, Any]:
    """What the figure measures: its period as days, when it was reported, where it counts and
    what kind of count it is (its own, else its claim's), its stage, its range as written, and the
    bounds the comparison reads (its precision and qualifier included; None: unbounded)."""
    m, fact, found = f.measure, f.fact, bounds(f.fact)
    return {"period": {"start": _iso(m.first), "end": _iso(m.last)} if m.dated else None,
            "reported": fact.reported, "scope": _scope(m.scope), "count": m.kind, "stage": m.stage,
            "low": fact.low, "high": fact.high,
            "bounds": {"low": _finite(found.low), "high": _finite(found.high)} if found else None}


def _iso(day: int) -> str:
    return datetime.date.fromordinal(day).isoformat()


def _finite(value: float) -> Optional[Union[int, float]]:
    """A bound as a number (12 significant digits: 80.075, not 80.07499999999999; 30000, not
    30000.0), None if there is none."""
    if not math.isfinite(value):
        return None
    shown = float(f"{value:.12g}")
    return int(shown) if shown.is_integer() else shown


def _note(n: NoteView, urls: Urls) -> dict[str, Any]:
    return {"id": f"{n.source.key}#{n.anchor}", "source": n.source.key, "url": urls.absolute(n.url),
            "kind": n.note.kind, "text": n.note.text.markdown, "quote": n.passage,
            "start": n.span.start, "end": n.span.end,
            "original_passage_url": n.original, "archived_passage_url": n.archived}


def _cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def facts_csv(dossier: Dossier, urls: Urls, memo: Memo) -> bytes:
    """One row per fact (text that would start a spreadsheet formula is defused)."""
    rows = [_csv_rows([CSV_COLUMNS]).encode("utf-8")]
    for s in dossier.sources:
        rows.append(_piece(memo, "csv", s, urls, lambda: _csv_rows(_fact_rows(s, urls)).encode("utf-8")))
    return b"".join(rows)


def _fact_rows(s: SourceView, urls: Urls) -> list:
    rows = []
    for f in s.facts:
        row = _fact(f, urls)
        rows.append([_cell(v) for v in (
            row["id"], row["source"], s.source.outlet, s.source.published, row["claim"] or "",
            row["statement"], "" if row["value"] is None else row["value"], row["unit"],
            row["qualifier"], row["date"], row["by"], row["quote"], row["start"], row["end"], row["url"],
            row["attribution"], row["attribution_reason"], row["verdict"]["rating"] if row["verdict"] else "",
            row["original_passage_url"], *_measure_cells(row))])
    return rows


def _measure_cells(row: dict) -> tuple:
    period, found = row["period"] or {}, row["bounds"] or {}
    return (row["reported"], period.get("start", ""), period.get("end", ""), row["scope"], row["count"], row["stage"],
            *("" if v is None else v for v in (row["low"], row["high"], found.get("low"), found.get("high"))))


def _csv_rows(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def annotations(dossier: Dossier, urls: Urls, memo: Memo) -> bytes:
    """Every fact and note as a W3C Web Annotation on the published seed text."""
    items = [_piece(memo, "annotations", s, urls, lambda: _source_annotations(s, urls)) for s in dossier.sources]
    head = _json_bytes({"@context": ANNOTATION_CONTEXT, "id": urls.absolute(urls.page("annotations.jsonld")),
                        "type": "AnnotationCollection", "label": dossier.config.title,
                        "total": sum(len(i) for i in items)})[:-1]
    return b"".join([head, b',"first":{"type":"AnnotationPage","items":[', b",".join(a for i in items for a in i),
                     b"]}}\n"])


def _source_annotations(s: SourceView, urls: Urls) -> list[bytes]:
    text, target = s.seed.text, urls.absolute(seed_url(urls, s))
    items = [_annotation(urls.absolute(f.url), "fact", f.fact.statement, text, f.span, target) for f in s.facts]
    items += [_annotation(urls.absolute(n.url), n.note.kind, n.note.text.markdown, text, n.span, target) for n in s.notes]
    for item, f in zip(items, s.facts):
        item["body"] = [item["body"], _attribution(f)]
    if s.source.url:
        for item in items:
            item["target"] = [item["target"], _in_original(s, item["target"]["selector"][0])]
    return [_json_bytes(item) for item in items]


def _attribution(f: FactView) -> dict[str, Any]:
    """Whom the fact is attributed to, and whether the text says so or the editor infers it."""
    fact = f.fact
    value = (f"Attributed by the editor to {fact.by}: {fact.attribution_reason}" if fact.inferred
             else f"According to {fact.by} (as the text states)")
    return {"type": "TextualBody", "value": value, "format": "text/plain", "purpose": "describing"}


def _in_original(s: SourceView, quote: dict) -> dict[str, Any]:
    """The same passage in the original report; its archived copy and the day the text was
    taken as the Web Annotation model's TimeState (`cached`, `sourceDate`)."""
    target: dict[str, Any] = {"source": s.source.url, "selector": quote}
    state = {"type": "TimeState"}
    if s.source.archive_url:
        state["cached"] = s.source.archive_url
    if s.source.retrieved:
        state["sourceDate"] = isotime(s.source.retrieved)
    if len(state) > 1:
        target["state"] = state
    return target


def _annotation(ident: str, kind: str, body: str, text: str, span, target: str) -> dict[str, Any]:
    return {
        "id": ident, "type": "Annotation", "motivation": _MOTIVATION[kind],
        "body": {"type": "TextualBody", "value": body, "format": "text/markdown" if kind != "fact" else "text/plain",
                 "purpose": _MOTIVATION[kind]},
        "target": {"source": target, "selector": [
            {"type": "TextQuoteSelector", "exact": text[span.start:span.end],
             "prefix": text[max(0, span.start - 32):span.start], "suffix": text[span.end:span.end + 32]},
            {"type": "TextPositionSelector", "start": span.start, "end": span.end},
        ]},
    }


def news_article(view: SourceView, urls: Urls) -> str:
    """schema.org NewsArticle JSON-LD for a source page, safe inside a <script> element."""
    src = view.source
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": src.title,
            "datePublished": src.published, "inLanguage": src.language,
            "publisher": {"@type": "Organization", "name": src.outlet},
            "mainEntityOfPage": urls.absolute(view.url), "about": [t.title for t in view.topics]}
    if src.url:
        data["url"] = src.url
    if src.archive_url:
        data["archivedAt"] = src.archive_url
    return script_json(data)


def script_json(data: Any) -> str:
    """JSON that cannot close its <script> element or start markup inside it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_bytes(data: Any) -> bytes:
    """Compact JSON, encoded: the C encoder (no indent) is many times faster on large dossiers."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
