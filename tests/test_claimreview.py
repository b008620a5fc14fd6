"""schema.org ClaimReview JSON-LD on rated claim pages (and for rated facts on their source page),
expanded with a JSON-LD processor (pyld) and checked field by field against what Google's
fact-check markup asks for.

There is no network here: pyld is given a document loader that serves, for the schema.org
context, a minimal local context (`@vocab` schema.org, and the properties whose values are
addresses typed `@id`, as schema.org's own context types them). Expansion then turns every key
into its full schema.org IRI, so a misspelt property would show up as a missing one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld

from tests import evidence, tiny
from tests.helpers import parse

SCHEMA = "https://schema.org/"
CONTEXT = {"@context": {"@vocab": SCHEMA, **{name: {"@type": "@id"} for name in ("url", "sameAs", "archivedAt")}}}


def local_loader(url, options=None):
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the test asked for {url}: only the schema.org context is served")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def expanded(data: dict) -> dict:
    [node] = jsonld.expand(data, {"documentLoader": local_loader})
    return node


def value(node: dict, name: str):
    """The single value of property `name` (a literal's @value, an address's @id, or a node)."""
    found = node[SCHEMA + name]
    assert len(found) == 1, (name, found)
    item = found[0]
    return item.get("@value", item.get("@id", item))


def values(node: dict, name: str) -> list:
    return node[SCHEMA + name]


def reviews(page: Path) -> list[dict]:
    scripts = parse(page).find_all("script", attrs={"type": "application/ld+json"})
    return [json.loads(s.string) for s in scripts if json.loads(s.string)["@type"] == "ClaimReview"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return evidence.built(tmp_path_factory, "claimreview")


def test_a_rated_claim_carries_every_field_google_asks_for(site):
    [data] = reviews(site / "claims" / "detained" / "index.html")
    node = expanded(data)
    assert node["@type"] == [SCHEMA + "ClaimReview"]
    assert value(node, "url") == "https://example.org/dossier/claims/detained/"
    assert value(node, "claimReviewed") == "Only 3,000 people were detained"
    assert value(node, "datePublished") == "2020-09-02"
    author = value(node, "author")
    assert author["@type"] == [SCHEMA + "Organization"]
    assert (value(author, "name"), value(author, "url")) == (evidence.EDITOR, "https://example.org/dossier/")
    rating = value(node, "reviewRating")
    assert rating["@type"] == [SCHEMA + "Rating"]
    assert value(rating, "alternateName") == value(rating, "name") == "Misleading"
    assert (value(rating, "ratingValue"), value(rating, "bestRating"), value(rating, "worstRating")) == (2, 4, 1)


def test_the_item_reviewed_is_a_claim_with_its_author_and_appearances(site):
    [data] = reviews(site / "claims" / "detained" / "index.html")
    claim = value(expanded(data), "itemReviewed")
    assert claim["@type"] == [SCHEMA + "Claim"]
    author = value(claim, "author")
    assert author["@type"] == [SCHEMA + "Person"]  # the claimant is a person's topic
    assert value(author, "name") == "Alexander Lukashenko"
    assert value(claim, "datePublished") == "2020-08-09"
    first = value(claim, "firstAppearance")
    assert value(first, "url") == "https://example.org/dossier/sources/other/"  # no original known: our page
    assert value(first, "datePublished") == "2020-08-09"
    appearances = values(claim, "appearance")
    assert [value(a, "url") for a in appearances] == ["https://example.org/dossier/sources/other/", evidence.URL]
    wire = appearances[1]
    assert value(wire, "sameAs") == "https://example.org/dossier/sources/wire/"
    assert value(wire, "archivedAt") == evidence.ARCHIVE
    assert value(value(wire, "publisher"), "name") == "Test Wire"
    assert value(wire, "name") == "A night of arrests"


def test_a_rating_off_the_ordered_scale_has_no_numeric_value(site):
    [data] = reviews(site / "claims" / "vote-share" / "index.html")
    node = expanded(data)
    rating = value(node, "reviewRating")
    assert value(rating, "alternateName") == "Disputed"
    assert not {SCHEMA + k for k in ("ratingValue", "bestRating", "worstRating")} & set(rating)
    assert value(node, "claimReviewed") == "Lukashenko's share of the vote"  # no statement: the claim's title
    claim = value(node, "itemReviewed")
    author = value(claim, "author")  # no claimant: whom its facts are attributed to
    assert (author["@type"], value(author, "name")) == ([SCHEMA + "Organization"], "Central Election Commission")


def test_a_rated_fact_has_its_review_on_its_source_page(site):
    [data] = reviews(site / "sources" / "wire" / "index.html")
    node = expanded(data)
    assert value(node, "url") == "https://example.org/dossier/sources/wire/#fact-march"
    assert value(node, "claimReviewed") == "Riot police broke up a march with stun grenades."
    rating = value(node, "reviewRating")
    assert (value(rating, "alternateName"), value(rating, "ratingValue")) == ("Mostly accurate", 3)
    claim = value(node, "itemReviewed")
    assert value(value(claim, "author"), "name") == "Test Wire"  # the fact's `by`: here the outlet's own
    assert value(value(claim, "firstAppearance"), "url") == evidence.URL
    assert reviews(site / "sources" / "other" / "index.html") == []


def test_the_url_is_absolute_with_site_url_and_a_sub_path(tmp_path):
    files = evidence.project(base_url="/repo/")
    files["config.yaml"] += "site_url: https://user.github.io\n"
    code, _, err, out = tiny.build(tiny.write(tmp_path, files))
    assert code == 0, err
    [data] = reviews(out / "claims" / "detained" / "index.html")
    node = expanded(data)
    assert value(node, "url") == "https://user.github.io/repo/claims/detained/"
    assert value(value(node, "author"), "url") == "https://user.github.io/repo/"


def test_text_cannot_break_out_of_the_script(tmp_path):
    files = evidence.project()
    files["content/claims.yaml"] = files["content/claims.yaml"].replace(
        "Only 3,000 people were detained", "'</script><script>alert(1)</script> & <!--'")
    code, _, err, out = tiny.build(tiny.write(tmp_path, files))
    assert code == 0, err
    page = parse(out / "claims" / "detained" / "index.html")
    assert [s.get("type") for s in page.find_all("script") if s.get("type")] == ["application/ld+json"]
    [data] = reviews(out / "claims" / "detained" / "index.html")
    assert data["claimReviewed"] == "</script><script>alert(1)</script> & <!--"
