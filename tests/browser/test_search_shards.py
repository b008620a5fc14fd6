"""Search over many shards in a real browser: merged into one ranked list, results that link to
fact boxes and notes, and filters that narrow the list."""

from __future__ import annotations

import json

import pytest

from dossier.pipeline import Options, build
from dossier.search import MANIFEST, sharded_bundle
from dossier.write import write_files

from ..helpers import ROOT, static_server

BASE = "/belarus-dossier/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real dossier with at most 3 pages a shard: its 5 sources alone fill 2 or more shards."""
    result = build(Options(ROOT, write=False, base_url=BASE))
    assert result.ok
    bundle, problems = sharded_bundle(result.files, None, limit=3)
    assert problems == []
    names = json.loads(bundle[MANIFEST])["shards"]
    assert len([name for name in names if name.startswith("sources-")]) >= 2, names
    out = tmp_path_factory.mktemp("shards") / "site"
    write_files(out, {**result.files, **bundle})
    with static_server(out, BASE) as origin:
        yield origin


def search(page, origin: str, query: str = "", **filters) -> list[str]:
    params = "&".join(f"{k}={v}" for k, v in {"q": query, **filters}.items())
    page.goto(f"{origin}{BASE}search/?{params}")
    page.wait_for_selector("#search-status:has-text('found')", timeout=10000)
    return [a.get_attribute("href") for a in page.query_selector_all("#search-results a")]


def test_a_query_finds_pages_of_several_shards_in_one_list(site, page):
    found = search(page, site, "Lukashenko")
    sources = {href.split("/")[3] for href in found if href.startswith(f"{BASE}sources/")}
    assert len(sources) >= 3, found  # three sources or more: more than one shard holds them
    assert any(href.startswith(f"{BASE}topics/") for href in found)
    assert any(href.startswith(f"{BASE}claims/") for href in found)


def test_a_fact_is_a_result_that_links_to_its_box(site, page):
    found = search(page, site, "Okrestina")
    assert f"{BASE}sources/cnn-security-forces-embrace/#fact-released-okrestina" in found, found
    assert f"{BASE}sources/cnn-security-forces-embrace/#note-okrestina" in found, found
    page.click(f"a[href='{BASE}sources/cnn-security-forces-embrace/#fact-released-okrestina']")
    page.wait_for_load_state()
    assert page.locator("#fact-released-okrestina h3").inner_text().startswith("Detainees were released")


def test_no_result_is_a_list_of_links(site, page):
    search(page, site, "Okrestina")
    text = page.inner_text("#search-results")
    for navigation in ("Related topics", "Referenced from", "Also reported by"):
        assert navigation not in text


def test_filters_narrow_the_results(site, page):
    everything = search(page, site, "Minsk")
    facts = search(page, site, "Minsk", kind="fact")
    parts = [href for href in facts if "#" in href]  # (a page with several matching facts links to each)
    assert parts and all("#fact-" in href for href in parts), facts
    assert all(href.startswith(f"{BASE}sources/") for href in facts), facts
    assert len(facts) < len(everything)
    cnn = search(page, site, "Minsk", outlet="CNN")
    assert cnn and all(href.startswith(f"{BASE}sources/cnn-") for href in cnn), cnn
    page.wait_for_selector("#search-filters:not([hidden])", timeout=10000)
    outlets = [o.get_attribute("value") for o in page.query_selector_all("#filter-outlet option")]
    assert "CNN" in outlets and "RT" in outlets
    assert page.locator("#filter-outlet").input_value() == "CNN"


def test_choosing_a_filter_on_the_page_narrows_the_list(site, page):
    search(page, site, "election")
    page.wait_for_selector("#search-filters:not([hidden])", timeout=10000)
    page.select_option("#filter-kind", "topic")
    page.wait_for_url("**kind=topic**", timeout=10000)
    page.wait_for_selector("#search-status:has-text('(filtered)')", timeout=10000)
    found = [a.get_attribute("href") for a in page.query_selector_all("#search-results li > a")]
    assert found and all(href.startswith(f"{BASE}topics/") for href in found), found


def test_topic_and_year_filters_read_the_rewritten_filter_files(site, page):
    """The filter files `steady` sorted and renamed are the ones the browser loads: a topic and a
    year, with no words typed, find exactly their pages."""
    okrestina = search(page, site, "", topic="Okrestina")
    assert sorted(okrestina) == [f"{BASE}sources/cnn-security-forces-embrace/", f"{BASE}topics/okrestina/"]
    page.wait_for_selector("#search-filters:not([hidden])", timeout=10000)
    topics = [o.get_attribute("value") for o in page.query_selector_all("#filter-topic option")]
    assert "Okrestina" in topics and "Minsk" in topics
    years = [o.get_attribute("value") for o in page.query_selector_all("#filter-year option")]
    assert "2020" in years and "2021" in years
    in_2020, in_2021 = search(page, site, "", year="2020"), search(page, site, "", year="2021")
    assert in_2020 and in_2021 and in_2020 != in_2021
