"""Machine-readable exports, checked on the real dossier and on tiny projects: dossier.json against
its published JSON Schema, facts.csv, the Web Annotations on the published seeds, and the NewsArticle
JSON-LD of source pages (which no title can break out of).

The content is read here with plain PyYAML, independently of the engine."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft202012Validator

from dossier.cli import main
from tests import tiny
from tests.helpers import ROOT, parse

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CSV_REQUIRED = ("id", "source", "outlet", "published", "claim", "statement", "value", "unit", "qualifier", "date",
                "by", "quote", "start", "end", "url")
WIKILINK = re.compile(r"!?\[\[([^\[\]|\n]+)(?:\|[^\[\]\n]*)?\]\]")


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text[4:text.index("\n---\n", 4)]) or {}


class Site:
    """A built site: its exports parsed, its pages parsed on demand, URLs resolved to files."""

    def __init__(self, out: Path, root: Path, base: str):
        self.out, self.root, self.base = out, root, base
        self.json = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
        self.schema = json.loads((out / "dossier.schema.json").read_text(encoding="utf-8"))
        self.csv_text = (out / "facts.csv").read_text(encoding="utf-8")
        self.annotations = json.loads((out / "annotations.jsonld").read_text(encoding="utf-8"))
        self._pages: dict = {}

    def file_for(self, url: str) -> tuple[Path, str]:
        """The built file a URL reaches, and its fragment."""
        parts = urlsplit(url)
        base = urlsplit(self.base)
        if base.scheme:
            assert (parts.scheme, parts.netloc) == (base.scheme, base.netloc), url
        prefix = base.path or "/"
        assert parts.path.startswith(prefix), (url, prefix)
        rel = parts.path[len(prefix):]
        rel = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        return self.out / rel, parts.fragment

    def page(self, path: Path):
        if path not in self._pages:
            self._pages[path] = parse(path)
        return self._pages[path]

    def assert_reaches(self, url: str) -> None:
        path, fragment = self.file_for(url)
        assert path.is_file(), f"{url}: no file {path}"
        if fragment:
            assert self.page(path).find(id=fragment) is not None, f"{url}: no element #{fragment}"


def _build(root: Path, out: Path, *args: str) -> None:
    assert not out.resolve().is_relative_to(ROOT), "never build into the real project"
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["build", "-C", str(root), "--out", str(out), "-q", *args], stdout=stdout, stderr=stderr)
    assert code == 0, stderr.getvalue()


# -- the real dossier ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Site:
    out = tmp_path_factory.mktemp("export") / "site"
    _build(ROOT, out)
    return Site(out, ROOT, "/")


@pytest.fixture(scope="module")
def content() -> dict:
    sources = {p.stem: _front(p) for p in sorted((ROOT / "content" / "sources").glob("*.md"))}
    topics = {p.stem: _front(p) for p in sorted((ROOT / "content" / "topics").glob("*.md"))}
    claims = yaml.safe_load((ROOT / "content" / "claims.yaml").read_text(encoding="utf-8"))
    return {"sources": sources, "topics": topics, "claims": claims}


def _seed_text(root: Path, name: str) -> str:
    return (root / "seeds" / name).read_bytes().decode("utf-8")


def test_dossier_json_validates_against_the_published_schema(real):
    Draft202012Validator.check_schema(real.schema)
    assert real.schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    errors = sorted(Draft202012Validator(real.schema).iter_errors(real.json), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert urlsplit(real.json["$schema"]).path.endswith("/dossier.schema.json")
    real.assert_reaches(real.json["$schema"])


def test_schema_rejects_what_it_should(real):
    """The schema has teeth: a bad fact id and a missing field are refused."""
    validator = Draft202012Validator(real.schema)
    bad = json.loads(json.dumps(real.json))
    bad["facts"][0]["id"] = "sources/../etc#fact-x"
    del bad["sources"][0]["outlet"]
    assert len(list(validator.iter_errors(bad))) == 2


def test_every_source_fact_note_topic_and_claim_is_exported(real, content):
    data = real.json
    assert {s["id"] for s in data["sources"]} == {f"sources/{slug}" for slug in content["sources"]}
    assert {t["id"] for t in data["topics"]} == {f"topics/{slug}" for slug in content["topics"]}
    assert {c["id"] for c in data["claims"]} == {f"claims/{slug}" for slug in content["claims"]}
    facts = {f"sources/{slug}#fact-{f['id']}": f for slug, s in content["sources"].items() for f in s.get("facts") or []}
    notes = {f"sources/{slug}#note-{n['id']}": n for slug, s in content["sources"].items() for n in s.get("notes") or []}
    exported_facts = {f["id"]: f for f in data["facts"]}
    exported_notes = {n["id"]: n for n in data["notes"]}
    assert len(exported_facts) == len(data["facts"]) and len(exported_notes) == len(data["notes"])
    assert set(exported_facts) == set(facts)
    assert set(exported_notes) == set(notes)
    for key, fact in facts.items():
        out = exported_facts[key]
        assert out["statement"] == fact["statement"]
        assert out["value"] == fact.get("value")
        assert out["claim"] == (f"claims/{fact['claim']}" if fact.get("claim") else None)
        assert out["date"] == fact.get("date", "")
    for key, note in notes.items():
        assert exported_notes[key]["kind"] == note["kind"]
        assert exported_notes[key]["text"] == note["text"]
    by_source = {s["id"]: s for s in data["sources"]}
    for slug, source in content["sources"].items():
        out = by_source[f"sources/{slug}"]
        assert (out["title"], out["outlet"], out["published"], out["seed"]) == \
               (source["title"], source["outlet"], source["published"], source["seed"])
        assert out["facts"] == [f"sources/{slug}#fact-{f['id']}" for f in source.get("facts") or []]
        assert out["notes"] == [f"sources/{slug}#note-{n['id']}" for n in source.get("notes") or []]


def test_claims_list_the_facts_that_answer_them(real, content):
    answers: dict = {}
    for slug, source in content["sources"].items():
        for fact in source.get("facts") or []:
            if fact.get("claim"):
                answers.setdefault(f"claims/{fact['claim']}", set()).add(f"sources/{slug}#fact-{fact['id']}")
    for claim in real.json["claims"]:
        assert set(claim["facts"]) == answers.get(claim["id"], set()), claim["id"]
        assert len(claim["facts"]) == len(set(claim["facts"]))


def test_quotes_and_spans_are_the_seed_text(real):
    seeds = {s["id"]: _seed_text(ROOT, s["seed"]) for s in real.json["sources"]}
    for item in real.json["facts"] + real.json["notes"]:
        text = seeds[item["source"]]
        assert 0 <= item["start"] < item["end"] <= len(text)
        assert text[item["start"]:item["end"]] == item["quote"], item["id"]


def test_every_exported_url_exists_in_the_built_site(real):
    data = real.json
    real.assert_reaches(data["url"])
    urls = [s["url"] for s in data["sources"]] + [s["seed_url"] for s in data["sources"]]
    urls += [x["url"] for kind in ("facts", "notes", "topics", "claims") for x in data[kind]]
    assert len(urls) == len(set(urls))
    for url in urls:
        real.assert_reaches(url)
    for item in data["facts"] + data["notes"]:
        path, fragment = real.file_for(item["url"])
        assert fragment == item["id"].split("#", 1)[1]
        assert path == real.file_for(next(s["url"] for s in data["sources"] if s["id"] == item["source"]))[0]


def _claim_note_edges(content) -> set[tuple[str, str]]:
    """(from, to) for every [[target]] in the claims' notes, resolved here without the engine."""
    kinds = {"sources": set(content["sources"]), "topics": set(content["topics"]), "claims": set(content["claims"])}
    edges = set()
    for slug, claim in content["claims"].items():
        for target in WIKILINK.findall(claim.get("note") or ""):
            name = target.strip().partition("#")[0]
            if "#" in target:
                to = f"sources/{name}"
            elif "/" in name:
                to = name
            else:
                (to,) = [f"{k}/{name}" for k, names in kinds.items() if name in names]
            if to != f"claims/{slug}":
                edges.add((f"claims/{slug}", to))
    return edges


def test_links_list_the_cross_references(real, content):
    links = {(l["from"], l["to"]) for l in real.json["links"]}
    assert len(links) == len(real.json["links"])
    assert ("claims/tsikhanouskaya-vote-share", "claims/lukashenko-vote-share") in links
    assert ("claims/lukashenko-vote-share", "sources/rt-election-night") in links
    assert ("home", "sources/rt-election-night") in links  # content/index.md: [[rt-election-night|RT]]
    expected = _claim_note_edges(content)
    assert len(expected) > 10
    assert expected <= links, sorted(expected - links)
    ids = {x["id"] for kind in ("sources", "topics", "claims") for x in real.json[kind]}
    for a, b in links:
        assert a in ids or a == "home"
        assert b in ids


def _csv_rows(site: Site) -> tuple[list[str], list[dict]]:
    assert site.csv_text.endswith("\n")
    rows = list(csv.reader(io.StringIO(site.csv_text, newline="")))
    header, body = rows[0], rows[1:]
    assert all(len(r) == len(header) for r in body)
    return header, [dict(zip(header, r)) for r in body]


def _cell(value) -> str:
    return "" if value is None else str(value)


def _assert_csv_matches_json(site: Site) -> None:
    header, rows = _csv_rows(site)
    assert header[0] == "id" and len(header) == len(set(header))
    assert set(CSV_REQUIRED) <= set(header)
    facts = site.json["facts"]
    assert [r["id"] for r in rows] == [f["id"] for f in facts]  # exactly one row per fact
    sources = {s["id"]: s for s in site.json["sources"]}
    for row, fact in zip(rows, facts):
        for column in ("source", "claim", "statement", "unit", "qualifier", "date", "by", "quote", "url",
                       "attribution", "attribution_reason", "original_passage_url"):
            assert row[column] == _cell(fact[column]), (fact["id"], column)
        assert (int(row["start"]), int(row["end"])) == (fact["start"], fact["end"])
        if fact["value"] is None:
            assert row["value"] == ""
        elif isinstance(fact["value"], str):
            assert row["value"] == fact["value"]
        else:
            assert float(row["value"]) == fact["value"]
        source = sources[fact["source"]]
        assert (row["outlet"], row["published"]) == (source["outlet"], source["published"])


def test_facts_csv_has_one_row_per_fact_matching_dossier_json(real, content):
    _assert_csv_matches_json(real)
    assert len(_csv_rows(real)[1]) == sum(len(s.get("facts") or []) for s in content["sources"].values())


def _assert_annotations(site: Site) -> None:
    anno = site.annotations
    assert anno["@context"] == ANNO_CONTEXT
    assert anno["type"] == "AnnotationCollection"
    items = anno["first"]["items"]
    assert anno["first"]["type"] == "AnnotationPage"
    assert anno["total"] == len(items)
    data = site.json
    by_url = {x["url"]: x for x in data["facts"] + data["notes"]}
    assert len(items) == len(data["facts"]) + len(data["notes"])
    assert sorted(i["id"] for i in items) == sorted(by_url)
    sources = {s["id"]: s for s in data["sources"]}
    for item in items:
        assert item["type"] == "Annotation"
        exported = by_url[item["id"]]
        source = sources[exported["source"]]
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        target = targets[0]
        assert target["source"] == source["seed_url"]
        if source["original_url"]:  # the same passage in the original, quoted alike
            assert targets[1]["source"] == source["original_url"]
            assert targets[1]["selector"] == [s for s in target["selector"] if s["type"] == "TextQuoteSelector"][0]
        else:
            assert len(targets) == 1
        published, _ = site.file_for(target["source"])
        text = published.read_bytes().decode("utf-8")
        assert text == _seed_text(site.root, source["seed"]), "the published seed is the seed"
        selectors = {s["type"]: s for s in target["selector"]}
        assert set(selectors) == {"TextQuoteSelector", "TextPositionSelector"}
        start, end = selectors["TextPositionSelector"]["start"], selectors["TextPositionSelector"]["end"]
        quote = selectors["TextQuoteSelector"]
        assert quote["exact"] == text[start:end] == exported["quote"]
        assert quote["prefix"] == text[max(0, start - 32):start]
        assert quote["suffix"] == text[end:end + 32]
        assert (start, end) == (exported["start"], exported["end"])
        body = item["body"] if "kind" in exported else item["body"][0]
        assert body["type"] == "TextualBody"
        assert body["value"] == (exported["text"] if "kind" in exported else exported["statement"])
        if "kind" not in exported:  # a fact's second body: whom it is attributed to, and how firmly
            said = item["body"][1]
            assert said["purpose"] == "describing"
            assert said["value"] == (f"Attributed by the editor to {exported['by']}: {exported['attribution_reason']}"
                                     if exported["attribution"] == "inferred" else
                                     f"According to {exported['by']} (as the text states)")


def test_annotations_are_one_per_fact_and_note_on_the_published_seed(real):
    _assert_annotations(real)


def test_source_pages_carry_news_article_json_ld(real, content):
    for slug, source in content["sources"].items():
        page = parse(real.out / "sources" / slug / "index.html")
        scripts = page.find_all("script", attrs={"type": "application/ld+json"})
        assert len(scripts) == 1
        data = json.loads(scripts[0].string)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == source["title"]
        assert data["datePublished"] == source["published"]
        assert data["publisher"]["name"] == source["outlet"]


# -- tiny projects ------------------------------------------------------------------------------

EVIL = '</script><script>alert(1)</script>'
TINY_SEED = (
    "Minsk \u2014 Police detained 3000 people on Sunday night, the Interior Ministry said.\n"
    "\n"
    "\u041b\u0443\u043a\u0430\u0448\u0435\u043d\u043a\u043e: Lukashenko received 80.08 percent, "
    "critics said it was \u201crigged\u201d.\n"
)
OTHER_SEED = "Officials said 3,000 people were held.\n"


def _tiny_files(title: str = "Protests after the vote") -> dict:
    wire = tiny.source_md(
        "001_wire.txt", title=title, outlet="Test Wire", published="2020-08-10", url="https://example.com/a",
        topics=["election"],
        facts=[tiny.fact("detained-3000", "Police detained 3000 people on Sunday night", claim="detained",
                         value=3000, unit="people", date="2020-08-09", by="Interior Ministry",
                         statement="Police detained 3,000 people."),
               tiny.fact("vote", "Lukashenko received 80.08 percent", value=80.08, unit="percent",
                         date="2020-08-09", statement="Lukashenko got 80.08 %.")],
        notes=[tiny.note('critics said it was "rigged"', "Disputed; see [[other]].", kind="dispute", id="rigged")],
        body="Compare [[other#held]] and [[detained]].\n")
    other = tiny.source_md(
        "002_other.txt", title="Officials on arrests", outlet="Other Post", published="2020-08-11",
        facts=[tiny.fact("held", "Officials said 3,000 people were held", claim="detained", value=3000,
                         unit="people", date="2020-08-09", by="Belarusian officials")])
    return tiny.files({"001_wire.txt": TINY_SEED, "002_other.txt": OTHER_SEED}, {"wire": wire, "other": other},
                      topics={"election": tiny.topic_md("Election", "About [[wire]].")},
                      claims={"detained": {"title": "People detained", "unit": "people", "topics": ["election"]}},
                      index="See [[wire]] and [[claims/detained]].\n",
                      config="title: Tiny dossier\nbase_url: https://example.org/dossier/\n")


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory) -> Site:
    base = tmp_path_factory.mktemp("tiny-export")
    root = tiny.write(base, _tiny_files())
    _build(root, base / "out")
    return Site(base / "out", root, "https://example.org/dossier/")


def test_tiny_dossier_json_is_valid_and_complete(tiny_site):
    data = tiny_site.json
    assert not list(Draft202012Validator(tiny_site.schema).iter_errors(data))
    assert [f["id"] for f in data["facts"]] == ["sources/other#fact-held", "sources/wire#fact-detained-3000",
                                               "sources/wire#fact-vote"]
    assert [n["id"] for n in data["notes"]] == ["sources/wire#note-rigged"]
    vote = next(f for f in data["facts"] if f["id"] == "sources/wire#fact-vote")
    assert vote["value"] == 80.08 and isinstance(vote["value"], float)
    assert vote["url"] == "https://example.org/dossier/sources/wire/#fact-vote"
    assert data["url"] == "https://example.org/dossier/"
    for kind in ("sources", "facts", "notes", "topics", "claims"):
        for item in data[kind]:
            tiny_site.assert_reaches(item["url"])
    # the note's quote is the seed's own text, curly quotes and all
    assert data["notes"][0]["quote"] == "critics said it was \u201crigged\u201d"


def test_tiny_links_are_exactly_the_cross_references(tiny_site):
    links = {(l["from"], l["to"]) for l in tiny_site.json["links"]}
    assert links == {
        ("home", "sources/wire"), ("home", "claims/detained"),
        ("sources/wire", "sources/other"), ("sources/wire", "claims/detained"),
        ("topics/election", "sources/wire"),
    }


def test_tiny_csv_and_annotations(tiny_site):
    _assert_csv_matches_json(tiny_site)
    _assert_annotations(tiny_site)
    items = tiny_site.annotations["first"]["items"]
    # offsets count characters: the em dash and the Cyrillic word come before the quotes
    vote = next(i for i in items if i["id"].endswith("#fact-vote"))
    target = vote["target"][0] if isinstance(vote["target"], list) else vote["target"]
    position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
    assert position["start"] == TINY_SEED.index("Lukashenko received")
    assert target["source"] == "https://example.org/dossier/seeds/001_wire.txt"


def test_title_cannot_break_out_of_the_json_ld_script(tmp_path):
    title = f'Rigged {EVIL} <!-- & "quoted" \u2028 end'
    root = tiny.write(tmp_path, _tiny_files(title=title))
    out = tmp_path / "out"
    _build(root, out)
    page = parse(out / "sources" / "wire" / "index.html")
    scripts = page.find_all("script")
    ld = [s for s in scripts if s.get("type") == "application/ld+json"]
    assert len(ld) == 1
    assert [s for s in scripts if not s.get("src") and s is not ld[0]] == []
    data = json.loads(ld[0].string)
    assert data["headline"] == title
    assert data["@type"] == "NewsArticle"
    assert page.find("h1").get_text() == title
    # no page of the site gets an inline script other than its JSON-LD data
    for path in out.rglob("*.html"):
        for script in parse(path).find_all("script"):
            if not script.get("src"):
                assert script.get("type") == "application/ld+json", path
                json.loads(script.string)
