"""Long lists run over several pages (`per_page` in config.yaml): a topic's facts, notes and
mentions, the timeline, the list of sources. Together the pages show exactly what one long page
would, in the same order; each page links to the others; only the first is indexed for search."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from dossier.pages import Pager, split
from dossier.pipeline import Memo, Options, build
from dossier.urls import output_file

from .helpers import ROOT, copy_real_project, error_lines, parse, run


# -- the splitting itself ---------------------------------------------------------------------

def test_split_in_runs_of_the_page_size():
    assert split(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert split(list(range(6)), 3) == [[0, 1, 2], [3, 4, 5]]
    assert split([], 3) == [[]]  # an empty list still has its one page


def test_split_by_weight_never_cuts_an_item():
    days = [("d1", 2), ("d2", 5), ("d3", 1), ("d4", 1), ("d5", 1)]
    runs = split(days, 3, weight=lambda day: day[1])
    assert runs == [[("d1", 2), ("d2", 5)], [("d3", 1), ("d4", 1), ("d5", 1)]]


@pytest.mark.parametrize("number,shown", [
    (1, [1, 2, 3, None, 10]),
    (5, [1, None, 3, 4, 5, 6, 7, None, 10]),
    (4, [1, 2, 3, 4, 5, 6, None, 10]),
    (10, [1, None, 8, 9, 10]),
])
def test_pager_window_shows_ends_and_neighbours(number, shown):
    pager = Pager(number, tuple(f"p{n}/" for n in range(1, 11)), 1, 1, 10)
    assert pager.window() == shown
    assert pager.previous == (f"p{number - 1}/" if number > 1 else None)
    assert pager.next == (f"p{number + 1}/" if number < 10 else None)


# -- a real dossier, built with small pages ---------------------------------------------------

@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The real dossier built twice: in pages of 5 items, and with every list on one page."""
    base = tmp_path_factory.mktemp("pagination")
    built = {}
    for name, per_page in (("paged", 5), ("whole", 10000)):
        root = copy_real_project(base / name)
        with open(root / "config.yaml", "a", encoding="utf-8") as config:
            config.write(f"per_page: {per_page}\nsite_url: https://user.github.io\n")
        code, _, err = run(root, "build", "-q")
        assert code == 0, err
        built[name] = root / "site"
    return built


def pages_of(site: Path, base: str) -> list[Path]:
    """The pages of one list, first to last, found by following the pager's 'next' links."""
    found, path = [], site / base / "index.html"
    while True:
        found.append(path)
        link = parse(path).select_one('nav.pager a[rel="next"]')
        if link is None:
            return found
        path = site / link["href"].lstrip("/") / "index.html"


def texts(pages: list[Path], selector: str) -> list[str]:
    return [" ".join(node.get_text(" ").split()) for page in pages for node in parse(page).select(selector)]


def test_topic_pages_together_show_what_one_page_shows(sites):
    paged = sorted({p.parents[2].name for p in (sites["paged"] / "topics").glob("*/page/2/index.html")})
    assert len(paged) >= 3, "the real dossier has topics with more than five facts, notes and mentions"
    for slug in paged:
        pages = pages_of(sites["paged"], f"topics/{slug}/")
        whole = [sites["whole"] / "topics" / slug / "index.html"]
        assert len(pages) > 1
        for selector in (".topic-facts .fact-list li", ".topic-notes .note", ".mentions h3", ".mentions .snippets"):
            assert texts(pages, selector) == texts(whole, selector), (slug, selector)
        # every item counted once: no page shows more than five
        for page in pages:
            soup = parse(page)
            shown = len(soup.select(".topic-facts .fact-list li, .topic-notes .note, .mentions h3"))
            assert 1 <= shown <= 5


def test_only_the_first_topic_page_has_the_topic_itself(sites):
    slug = sorted(p.parents[2].name for p in (sites["paged"] / "topics").glob("*/page/2/index.html"))[0]
    first, *rest = pages_of(sites["paged"], f"topics/{slug}/")
    soup = parse(first)
    assert soup.select_one(".topic-sources") is not None
    assert soup.select_one("main").has_attr("data-pagefind-body")
    assert "page" not in soup.title.get_text()
    for number, page in enumerate(rest, 2):
        soup = parse(page)
        assert soup.select_one(".topic-sources") is None and soup.select_one(".backlinks") is None
        assert not soup.select_one("main").has_attr("data-pagefind-body"), "later pages are not indexed twice"
        assert f"page {number} of {len(rest) + 1}" in soup.title.get_text()
        assert soup.select_one(".part a")["href"] == f"/topics/{slug}/"
        assert soup.select_one("h1").get_text() == parse(first).select_one("h1").get_text()


def test_pager_links_every_page_and_marks_the_current_one(sites):
    pages = pages_of(sites["paged"], "timeline/")
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        soup = parse(page)
        navs = soup.select("nav.pager")
        assert len(navs) == 2  # above and below the list
        nav = navs[0]
        assert nav.select_one('a[aria-current="page"]').get_text() == str(number)
        assert f"Page {number} of {len(pages)}" in nav.get_text()
        previous = nav.select_one('a[rel="prev"]')
        assert (previous is None) == (number == 1)
        if previous is not None:
            assert previous["href"] == ("/timeline/" if number == 2 else f"/timeline/page/{number - 1}/")
        numbers = [a.get_text() for a in nav.select("li a") if a.get_text().isdigit()]
        assert "1" in numbers and str(len(pages)) in numbers


def test_timeline_pages_keep_days_whole_and_in_order(sites):
    pages = pages_of(sites["paged"], "timeline/")
    whole = [sites["whole"] / "timeline" / "index.html"]
    assert texts(pages, ".day h2") == texts(whole, ".day h2")
    assert texts(pages, ".timeline-facts li") == texts(whole, ".timeline-facts li")
    days = [day for page in pages for day in texts([page], ".day h2")]
    assert len(days) == len(set(days)), "a day is never split over two pages"
    first_line = parse(pages[0]).select_one(".pager-status").get_text()
    total = len(texts(whole, ".timeline-facts li"))
    assert re.search(rf"facts 1–\d+ of {total}\b", first_line)


def test_timeline_months_lead_to_their_first_day(sites):
    site = sites["paged"]
    months = parse(site / "timeline" / "index.html").select("nav.months a")
    assert len(months) >= 2
    for link in months:
        path, anchor = link["href"].split("#")
        target = parse(site / path.lstrip("/") / "index.html")
        day = target.find(id=anchor)
        assert day is not None, link["href"]
        assert day.select_one("time")["datetime"].startswith(link.select_one("time")["datetime"])


def test_sources_list_and_sitemap_cover_every_page(sites):
    site = sites["paged"]
    pages = pages_of(site, "sources/")
    assert texts(pages, ".card h2") == texts([sites["whole"] / "sources" / "index.html"], ".card h2")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for page in (site / "timeline").rglob("index.html"):
        assert "/" + str(page.parent.relative_to(site)) + "/</loc>" in sitemap


def test_default_size_keeps_the_real_dossier_on_single_pages(tmp_path):
    out = tmp_path / "site"
    code, _, err = run(ROOT, "build", "-q", "--out", str(out))
    assert code == 0, err
    assert not [p for p in out.rglob("page") if p.is_dir()]
    assert parse(out / "timeline" / "index.html").select_one("nav.pager") is None


# -- a larger dossier: front page, feed ------------------------------------------------------

def test_front_page_and_feed_show_the_most_recent_sources(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_dossier

    root = tmp_path / "d"
    make_dossier(root, 30)
    with open(root / "config.yaml", "a", encoding="utf-8") as config:
        config.write("per_page: 8\n")
    code, _, err = run(root, "build", "-q")
    assert code == 0, err
    site = root / "site"
    listed = pages_of(site, "sources/")
    assert len(listed) == 4
    cards = texts(listed, ".card .kicker time")
    dates = [t["datetime"] for page in listed for t in parse(page).select(".card .kicker time")]
    assert dates == sorted(dates) and len(cards) == 30
    rows = parse(site / "index.html").select(".sources-table tbody tr")
    assert len(rows) == 8
    assert [r.select_one("time")["datetime"] for r in rows] == dates[-8:]
    assert parse(site / "index.html").find("a", string="all sources")["href"] == "/sources/"
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 8


# -- configuration and rebuilds ---------------------------------------------------------------

@pytest.mark.parametrize("value,message", [
    ("3", "per_page: must be at least 5, not 3"),
    ("many", "per_page: must be a whole number, not text"),
    ("true", "per_page: must be a whole number, not true/false"),
])
def test_a_bad_page_size_is_an_error_with_its_place(tmp_path, value, message):
    root = copy_real_project(tmp_path / "p")
    lines = (root / "config.yaml").read_text(encoding="utf-8").count("\n")
    with open(root / "config.yaml", "a", encoding="utf-8") as config:
        config.write(f"per_page: {value}\n")
    code, _, err = run(root, "build", "-q")
    assert code != 0
    assert error_lines(err) == [f"config.yaml:{lines + 1}:11: error: {message}"]
    assert "Traceback" not in err


def test_an_edited_fact_rerenders_only_the_pages_showing_it(tmp_path):
    root = copy_real_project(tmp_path / "p")
    with open(root / "config.yaml", "a", encoding="utf-8") as config:
        config.write("per_page: 5\n")
    memo = Memo()
    assert build(Options(root, write=False), memo).ok
    path = root / "content" / "sources" / "cnn-security-forces-embrace.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("statement: About 200 women", "statement: Some 200 women"), encoding="utf-8")
    result = build(Options(root, write=False), memo)
    assert result.ok
    showing = {name for name, data in result.files.items() if name.endswith(".html") and b"Some 200 women" in data}
    rerendered = {output_file(path) for path in result.rendered}
    topic_pages = {name for name in rerendered if name.startswith("topics/") and name != "topics/index.html"}
    assert topic_pages and topic_pages <= showing, "a topic's other pages are not rendered again"
    timeline = {name for name in rerendered if name.startswith("timeline/")}
    assert len(timeline) == 1 and timeline <= showing
    all_timeline = [name for name in result.files if name.startswith("timeline/")]
    assert len(all_timeline) > 1
