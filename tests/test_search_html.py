"""What the pages give search (parsed HTML): passages and their headings, never navigation; the
filters each page carries; the search page's filters; the sitemap's absolute URLs."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from dossier.pipeline import Options, build

from .helpers import ROOT, run


@pytest.fixture(scope="module")
def pages() -> dict[str, BeautifulSoup]:
    result = build(Options(ROOT, write=False))
    assert result.ok
    wanted = ("sources/cnn-security-forces-embrace/index.html", "topics/minsk/index.html",
              "claims/lukashenko-vote-share/index.html", "search/index.html")
    return {path: BeautifulSoup(result.files[path], "html.parser") for path in wanted}


def filters(soup: BeautifulSoup, name: str) -> list[str]:
    return sorted(d["value"] for d in soup.select(f'data[data-pagefind-filter="{name}[value]"]'))


def ignored(element) -> bool:
    return any(e.has_attr("data-pagefind-ignore") for e in [element, *element.parents])


def test_a_source_page_indexes_its_passages_and_not_its_navigation(pages):
    soup = pages["sources/cnn-security-forces-embrace/index.html"]
    body = soup.select_one("main[data-pagefind-body]")
    assert body is not None and not ignored(soup.select_one(".seed-text"))
    assert not ignored(soup.select_one("#fact-released-okrestina .fact-statement"))
    assert ignored(soup.select_one("#fact-released-okrestina .fact-quote"))  # (found in the seed, once)
    for navigation in (".source-meta a[href*='/topics/']", ".crossrefs", ".backlinks"):
        for element in soup.select(navigation):
            assert ignored(element), navigation


def test_each_fact_and_note_has_a_heading_with_an_id_that_search_links_to(pages):
    soup = pages["sources/cnn-security-forces-embrace/index.html"]
    for box in soup.select(".annotations article.fact, .annotations aside.note"):
        heading = box.find(["h3"])
        assert heading is not None and heading["id"] == "h-" + box["id"], box["id"]


def test_a_source_page_carries_its_filters(pages):
    soup = pages["sources/cnn-security-forces-embrace/index.html"]
    assert filters(soup, "kind") == ["fact", "note", "source"]
    assert filters(soup, "outlet") == ["CNN"]
    assert filters(soup, "year") == ["2020"]
    assert "Okrestina" in filters(soup, "topic") and "Minsk" in filters(soup, "topic")
    assert not any(ignored(d) for d in soup.select("data[data-pagefind-filter]"))


def test_topic_and_claim_pages_index_their_text_not_their_lists(pages):
    topic, claim = pages["topics/minsk/index.html"], pages["claims/lukashenko-vote-share/index.html"]
    assert filters(topic, "kind") == ["topic"] and filters(topic, "topic") == ["Minsk"]
    assert filters(claim, "kind") == ["claim"]
    for soup, lists in ((topic, (".related", ".topic-facts", ".topic-notes", ".mentions", ".backlinks")),
                        (claim, (".comparison", "section[aria-labelledby='h-topics']"))):
        for selector in lists:
            assert all(ignored(e) for e in soup.select(selector)), selector


def test_the_search_page_offers_filters_and_says_how_to_browse_without_javascript(pages):
    soup = pages["search/index.html"]
    box = soup.select_one("#search-filters")
    assert box.has_attr("hidden")  # shown by the script once it has the filters
    assert [s["name"] for s in box.select("select")] == ["kind", "outlet", "topic", "year"]
    assert all(soup.select_one(f"label[for='{s['id']}']") for s in box.select("select"))
    status = soup.select_one("#search-status")
    assert "JavaScript" in status.get_text() and len(status.select("a")) >= 3


def sitemap(site) -> list[str]:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]


def test_the_sitemap_takes_its_host_from_site_url(make_project, tmp_path):
    root = make_project()
    config = root / "config.yaml"
    config.write_text(config.read_text() + "site_url: https://user.github.io\n")
    assert run(root, "build", "--base-url", "/repo/", "--out", str(tmp_path / "a"))[0] == 0
    locs = sitemap(tmp_path / "a")
    assert locs and all(loc.startswith("https://user.github.io/repo/") for loc in locs)
    assert "Sitemap: https://user.github.io/repo/sitemap.xml" in (tmp_path / "a" / "robots.txt").read_text().splitlines()


def test_without_a_host_the_sitemap_is_left_out_with_one_warning(project, tmp_path):
    code, out, err = run(project, "build", "--base-url", "/repo/", "--out", str(tmp_path / "b"))
    assert code == 0 and not (tmp_path / "b" / "sitemap.xml").exists()
    assert (tmp_path / "b" / "robots.txt").read_text().split() == ["User-agent:", "*", "Allow:", "/"]
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and warnings[0].startswith("config.yaml:") and "sitemap.xml left out" in warnings[0]
    assert "site_url" in err.split(warnings[0])[1]  # the hint, on the next line
    assert "1 warning" in out + err


def test_at_the_root_with_no_host_the_sitemap_is_left_out_quietly(project, tmp_path):
    """A build at `/` with no host is a local build (the default): no sitemap, and no warning."""
    code, out, err = run(project, "build", "--out", str(tmp_path / "c"))
    assert code == 0 and not (tmp_path / "c" / "sitemap.xml").exists()
    assert "Sitemap" not in (tmp_path / "c" / "robots.txt").read_text()
    assert "sitemap" not in out + err and "warning" not in out + err


def test_a_check_does_not_warn_about_the_sitemap_it_does_not_write(project):
    code, out, err = run(project, "check", "--base-url", "/repo/")
    assert code == 0 and "sitemap" not in out + err
