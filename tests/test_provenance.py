"""Attribution strength, verdicts and provenance on a built tiny dossier (tests/evidence.py): the
fact boxes, notes, source, claim and claims pages as parsed HTML, and the exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from dossier.fragments import find, parse as parse_fragment
from dossier.verdicts import RATINGS
from tests import evidence, tiny
from tests.helpers import ROOT, make_project, parse, run
from tests.test_errors import case_files, hints

SEEDS = {"001_wire.txt": evidence.SEED, "002_other.txt": evidence.OTHER_SEED}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return evidence.built(tmp_path_factory, "evidence")


def box(site: Path, anchor: str):
    return parse(site / "sources" / "wire" / "index.html").find(id=anchor)


def found_in_seed(href: str, address: str) -> str:
    """The passage of the wire's seed that `href` (address + text fragment) points at."""
    assert href.startswith(address + "#:~:text=")
    directive = parse_fragment(urlsplit(href).fragment)
    assert directive is not None, href
    span = find(evidence.SEED, directive)
    assert span is not None, href
    return evidence.SEED[span[0]:span[1]]


# -- attribution strength ---------------------------------------------------------------------

def test_an_inferred_attribution_is_shown_as_the_editors(site):
    fact = box(site, "fact-detained-3000")
    row = fact.find("dd", class_="fact-by").parent
    assert "attribution-inferred" in row["class"]
    assert row.dt.get_text() == "Attributed by the editor to"
    assert row.dd["data-attribution"] == "inferred"
    assert row.dd.find(class_="attribution-reason").get_text() == "— the paragraph repeats the figure the ministry gave above"
    assert row.dd.get_text().startswith("Interior Ministry ")


def test_a_stated_attribution_is_shown_as_before(site):
    row = box(site, "fact-vote").find("dd", class_="fact-by").parent
    assert row.dt.get_text() == "According to"
    assert row.dd.get_text() == "Central Election Commission"
    assert not row.get("class") and not row.dd.has_attr("data-attribution")


def test_the_claim_table_marks_an_inferred_attribution(site):
    page = parse(site / "claims" / "detained" / "index.html")
    cells = [row.find_all("td")[3] for row in page.select("table.comparison tbody tr:not(.group-head)")]
    inferred = [c for c in cells if c.find(class_="attribution-inferred")]
    assert [c.get_text(" ", strip=True) for c in inferred] == ["Interior Ministry (attributed by the editor)"]
    assert inferred[0].find(class_="attribution-inferred")["title"].startswith("the paragraph repeats")


# -- provenance -------------------------------------------------------------------------------

@pytest.mark.parametrize("anchor, passage", [
    ("fact-detained-3000", evidence.REPEATED), ("fact-vote", evidence.TRICKY), ("fact-march", evidence.LONG),
    ("note-context-officials-gave-no-other-figure", "Officials gave no other figure."),
])
def test_each_box_links_to_its_passage_in_the_original_and_the_archived_copy(site, anchor, passage):
    links = box(site, anchor).find(class_=["fact-links", "note-links"])
    original, archived = links.find("a", class_="in-original"), links.find("a", class_="in-archive")
    assert found_in_seed(original["href"], evidence.URL) == passage
    assert found_in_seed(archived["href"], evidence.ARCHIVE) == passage
    assert urlsplit(original["href"]).fragment == urlsplit(archived["href"]).fragment
    assert original["rel"] == archived["rel"] == ["nofollow", "noopener", "noreferrer"]


def test_the_repeated_passage_links_to_its_own_occurrence(site):
    href = box(site, "fact-detained-3000").find("a", class_="in-original")["href"]
    directive = parse_fragment(urlsplit(href).fragment)
    second = evidence.SEED.index(evidence.REPEATED, evidence.SEED.index(evidence.REPEATED) + 1)
    assert find(evidence.SEED, directive) == (second, second + len(evidence.REPEATED))
    assert directive.prefix or directive.suffix


def test_a_source_without_an_address_has_no_such_links(site):
    fact = parse(site / "sources" / "other" / "index.html").find(id="fact-held-2500")
    assert fact.find("a", class_="in-original") is None and fact.find("a", class_="in-archive") is None


def test_the_source_page_shows_the_seeds_digest_the_archived_copy_and_the_day_taken(site):
    page = parse(site / "sources" / "wire" / "index.html")
    meta = page.find("dl", class_="source-meta")
    digest = meta.find("code", class_="seed-sha256").get_text()
    published = (site / "seeds" / "001_wire.txt").read_bytes()
    assert digest == hashlib.sha256(published).hexdigest() == hashlib.sha256(evidence.SEED.encode()).hexdigest()
    assert meta.find("code", class_="seed-sha256").find_next("a")["href"] == "/dossier/seeds/001_wire.txt"
    assert meta.find("a", class_="archive-url")["href"] == evidence.ARCHIVE
    assert meta.find("time", class_="retrieved")["datetime"] == "2020-08-11"
    other = parse(site / "sources" / "other" / "index.html").find("dl", class_="source-meta")
    assert other.find("a", class_="archive-url") is None and other.find("time", class_="retrieved") is None
    assert other.find("code", class_="seed-sha256").get_text() == hashlib.sha256(evidence.OTHER_SEED.encode()).hexdigest()


# -- verdicts ---------------------------------------------------------------------------------

def test_the_claim_page_shows_the_verdict_first(site):
    page = parse(site / "claims" / "detained" / "index.html")
    claim = page.find("article", class_="claim")
    review = claim.find("section", class_="review")
    assert review is not None and "review-misleading" in review["class"]
    assert review.find(class_="rating")["data-rating"] == "misleading"
    assert review.find(class_="review-head").get_text(" ", strip=True) == "Verdict: Misleading"
    assert "2 on a scale from 1 (false) to 4 (accurate)" in review.find(class_="review-scale").get_text()
    assert review.find(class_="review-scale").a["href"] == "/dossier/topics/lukashenko/"  # the claimant's page
    reasoning = review.find(class_="review-reasoning")
    assert reasoning.a["href"] == "/dossier/sources/wire/#fact-detained-3000"  # its wiki-link, resolved
    # before the reading of the comparison, the note, the chart and the table
    order = [el for el in claim.find_all(True) if el is review or "verdict" in (el.get("class") or [])
             or el.name in ("figure", "table")]
    assert order[0] is review and len(order) >= 3


def test_a_rating_off_the_ordered_scale_says_so(site):
    review = parse(site / "claims" / "vote-share" / "index.html").find("section", class_="review")
    assert review.find(class_="rating").get_text() == "Disputed"
    scale = review.find(class_="review-scale").get_text()
    assert scale.startswith("Not on the scale") and scale.endswith("claimed by Central Election Commission.")


def test_an_unrated_claim_has_no_verdict(site):
    page = parse(site / "claims" / "turnout" / "index.html")
    assert page.find("section", class_="review") is None
    assert page.find("script", attrs={"type": "application/ld+json"}) is None


def test_the_claims_index_lists_the_rated_claims_with_their_rating(site):
    section = parse(site / "claims" / "index.html").find("section", class_="rated-claims")
    rated = [(li.a.get_text(), li.a["href"], li.find(class_="rating")["data-rating"]) for li in section.find_all("li")]
    assert rated == [("People detained", "/dossier/claims/detained/", "misleading"),
                     ("Lukashenko's share of the vote", "/dossier/claims/vote-share/", "disputed")]


def test_a_lone_fact_carries_its_verdict_in_its_box(site):
    review = box(site, "fact-march").find("section", class_="review")
    assert review.find(class_="rating")["data-rating"] == "mostly-accurate"
    assert review.find(class_="review-reasoning").a["href"] == "/dossier/claims/detained/"


def test_without_verdicts_the_claims_index_has_no_list(tmp_path):
    project = tiny.files(SEEDS, {}, claims={"turnout": {"title": "Turnout"}})
    root = tiny.write(tmp_path, project)
    code, _, err, out = tiny.build(root)
    assert code == 0, err
    assert parse(out / "claims" / "index.html").find("section", class_="rated-claims") is None


# -- exports ----------------------------------------------------------------------------------

def test_dossier_json_carries_provenance_attribution_and_verdicts(site):
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "dossier.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    wire = next(s for s in data["sources"] if s["id"] == "sources/wire")
    assert (wire["original_url"], wire["archive_url"], wire["retrieved"]) == (evidence.URL, evidence.ARCHIVE, "2020-08-11")
    assert wire["seed_sha256"] == hashlib.sha256(evidence.SEED.encode()).hexdigest()
    facts = {f["id"]: f for f in data["facts"]}
    inferred = facts["sources/wire#fact-detained-3000"]
    assert (inferred["attribution"], inferred["attribution_reason"]) == (
        "inferred", "the paragraph repeats the figure the ministry gave above")
    assert found_in_seed(inferred["original_passage_url"], evidence.URL) == evidence.REPEATED
    assert found_in_seed(inferred["archived_passage_url"], evidence.ARCHIVE) == evidence.REPEATED
    assert facts["sources/wire#fact-vote"]["attribution"] == "stated"
    assert facts["sources/other#fact-held-2500"]["original_passage_url"] == ""
    assert facts["sources/wire#fact-march"]["verdict"] == {
        "rating": "mostly-accurate", "label": "Mostly accurate", "rating_value": 3,
        "statement": "Riot police broke up a march with stun grenades.", "reasoning": "Other reports agree; see [[detained]].",
        "reviewed": "2020-09-01", "claimants": ["Test Wire"]}
    claims = {c["id"]: c for c in data["claims"]}
    assert claims["claims/detained"]["verdict"]["claimants"] == ["Alexander Lukashenko"]
    assert claims["claims/vote-share"]["verdict"]["rating_value"] is None
    assert claims["claims/vote-share"]["verdict"]["claimants"] == ["Central Election Commission"]
    assert claims["claims/turnout"]["verdict"] is None
    note = data["notes"][0]
    assert found_in_seed(note["original_passage_url"], evidence.URL) == "Officials gave no other figure."


def test_facts_csv_carries_attribution_verdict_and_the_passage_link(site):
    rows = list(csv.DictReader(io.StringIO((site / "facts.csv").read_text(encoding="utf-8"), newline="")))
    by_id = {r["id"]: r for r in rows}
    assert by_id["sources/wire#fact-detained-3000"]["attribution"] == "inferred"
    assert by_id["sources/wire#fact-detained-3000"]["attribution_reason"].startswith("the paragraph repeats")
    assert by_id["sources/wire#fact-march"]["verdict"] == "mostly-accurate"
    assert by_id["sources/wire#fact-vote"]["verdict"] == ""
    assert found_in_seed(by_id["sources/wire#fact-vote"]["original_passage_url"], evidence.URL) == evidence.TRICKY


def test_web_annotations_carry_attribution_and_the_original_with_its_archived_copy(site):
    items = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))["first"]["items"]
    fact = next(i for i in items if i["id"].endswith("#fact-detained-3000"))
    assert fact["body"][1]["value"] == ("Attributed by the editor to Interior Ministry: "
                                        "the paragraph repeats the figure the ministry gave above")
    seed, original = fact["target"]
    assert original["source"] == evidence.URL
    assert original["selector"]["exact"] == evidence.REPEATED
    assert original["state"] == {"type": "TimeState", "cached": evidence.ARCHIVE, "sourceDate": "2020-08-11T00:00:00Z"}
    held = next(i for i in items if i["id"].endswith("#fact-held-2500"))
    assert isinstance(held["target"], dict)  # no original known: the published seed only
    assert held["body"][1]["value"] == "According to Belarusian officials (as the text states)"


def test_the_news_article_names_the_archived_copy(site):
    page = parse(site / "sources" / "wire" / "index.html")
    scripts = [json.loads(s.string) for s in page.find_all("script", attrs={"type": "application/ld+json"})]
    article = next(s for s in scripts if s["@type"] == "NewsArticle")
    assert (article["url"], article["archivedAt"]) == (evidence.URL, evidence.ARCHIVE)


# -- in step ----------------------------------------------------------------------------------

def test_the_schemas_and_the_readme_list_the_one_scale():
    names = [r.name for r in RATINGS]
    for schema in ("source", "claims"):
        data = json.loads((ROOT / "dossier" / "schemas" / f"{schema}.schema.json").read_text())
        assert data["$defs"]["verdict"]["properties"]["rating"]["enum"] == names
    export = json.loads((ROOT / "dossier" / "schemas" / "dossier.schema.json").read_text())
    assert export["$defs"]["verdict"]["anyOf"][1]["properties"]["rating"]["enum"] == names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("The scale (declared once", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip(" `") for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [(x.name, str(x.value) if x.value else "—", x.meaning) for x in RATINGS]


def test_a_facts_verdict_has_the_claims_keys_but_statement_and_claimant():
    source = json.loads((ROOT / "dossier" / "schemas" / "source.schema.json").read_text())
    claims = json.loads((ROOT / "dossier" / "schemas" / "claims.schema.json").read_text())
    assert set(source["$defs"]["verdict"]["properties"]) == set(claims["$defs"]["verdict"]["properties"]) - {
        "statement", "claimant"}


def test_every_schema_id_carries_its_version():
    for path in sorted((ROOT / "dossier" / "schemas").glob("*.schema.json")):
        ident = json.loads(path.read_text())["$id"]
        assert ident.rsplit("/", 2)[1].isdigit() and ident.endswith("/" + path.name), ident


# -- located errors ---------------------------------------------------------------------------

def test_a_rating_off_the_scale_is_located_with_the_scale_as_its_hint(tmp_path):
    root = make_project(tmp_path, case_files("verdict-off-scale"))
    code, _, err = run(root, "check")
    assert code == 1
    assert err.splitlines()[0].startswith("content/claims.yaml:9:13: error: vote-share.verdict.rating: 'mostly-true'")
    assert hints(err) == ["expected: " + ", ".join(r.name for r in RATINGS if r.value)
                          + " (4 to 1, the ordered scale); unproven or disputed (off it)"]


def test_an_unquoted_false_is_the_rating_false(tmp_path):
    files = evidence.project()
    files["content/claims.yaml"] += "bare:\n  title: Bare\n  verdict:\n    rating: false\n    reviewed: 2020-09-01\n    reasoning: No.\n"
    code, _, err, out = tiny.build(tiny.write(tmp_path, files))
    assert code == 0, err
    review = parse(out / "claims" / "bare" / "index.html").find("section", class_="review")
    assert review.find(class_="rating")["data-rating"] == "false"
