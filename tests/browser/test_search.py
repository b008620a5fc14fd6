"""Search in a real browser: Pagefind's static index, under a project sub-path, offline."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ..helpers import built_real_site, static_server

BASE = "/belarus-dossier/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = built_real_site(tmp_path_factory.mktemp("search") / "site", "--base-url", BASE)
    with static_server(out, BASE) as origin:
        yield origin


def results(page, origin: str, query: str) -> list[str]:
    page.goto(f"{origin}{BASE}")
    page.fill("#site-search-q", query)
    page.press("#site-search-q", "Enter")
    page.wait_for_selector("#search-results li", timeout=10000)
    return [a.get_attribute("href") for a in page.query_selector_all("#search-results li > a")]


def test_searching_okrestina_finds_the_source_that_mentions_it(site, page):
    found = results(page, site, "Okrestina")
    assert any(href.startswith(f"{BASE}sources/cnn-security-forces-embrace/") for href in found), found
    assert all(href.startswith(BASE) for href in found)


def test_an_alias_finds_its_entity(site, page):
    found = results(page, site, "Tsikhanouskaya")
    assert any(href.startswith(f"{BASE}topics/tsikhanouskaya/") for href in found), found
    found = results(page, site, "Tikhanovski")
    assert any(href.startswith(f"{BASE}topics/tsikhanouskaya/") for href in found), found


def test_a_result_opens_its_page(site, page):
    assert results(page, site, "Okrestina")
    page.click("#search-results li > a")
    page.wait_for_load_state()
    assert urlsplit(page.url).path.startswith(BASE)
    assert page.locator("h1").first.inner_text()


def test_search_makes_no_request_outside_the_site(site, page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    results(page, site, "Minsk")
    assert requests and all(url.startswith(site) for url in requests), [u for u in requests if not u.startswith(site)]
