"""The real dossier (config.yaml, content/, seeds/, templates/ of this project), built into a
temporary folder at a domain root and under a sub-path, checked on the parsed HTML.

The content is read here independently of the engine (plain PyYAML on the front matter), and links
are checked by this module's own resolver, not by dossier.verify.
"""

from __future__ import annotations

import copy
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.helpers import ROOT, parse, run, squash, tree_digest

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
BASES = ["/", "/belarus-dossier/"]
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_FOLD = str.maketrans({**dict.fromkeys("\"“”„«»", '"'), **dict.fromkeys("'‘’", "'"),
                       **dict.fromkeys("-–—", "-")})


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return yaml.safe_load(text[4:text.index("\n---\n", 4)]) or {}


@dataclass
class Content:
    """What the editor wrote, read without the engine."""

    sources: dict = field(default_factory=dict)  # slug -> front matter
    claims: dict = field(default_factory=dict)  # slug -> claim

    @classmethod
    def read(cls, root: Path) -> "Content":
        content = cls()
        for path in sorted((root / "content" / "sources").glob("*.md")):
            content.sources[path.stem] = front_matter(path)
        claims = root / "content" / "claims.yaml"
        content.claims = yaml.safe_load(claims.read_text(encoding="utf-8")) if claims.exists() else {}
        return content

    def facts(self):
        for slug, source in self.sources.items():
            for fact in source.get("facts") or []:
                yield slug, fact


@dataclass
class Build:
    base: str
    out: Path
    content: Content
    pages: dict  # output path -> BeautifulSoup

    def page(self, rel: str) -> BeautifulSoup:
        return self.pages[rel]

    def source_page(self, slug: str) -> BeautifulSoup:
        return self.pages[f"sources/{slug}/index.html"]


def build_real(out: Path, base: str) -> tuple[int, str, str]:
    out = out.resolve()
    assert not out.is_relative_to(ROOT), "never build into the real project"
    return run(ROOT, "build", "--out", str(out), "--base-url", base)


@pytest.fixture(scope="module", params=BASES, ids=["root", "subpath"])
def site(request, tmp_path_factory) -> Build:
    base = request.param
    out = tmp_path_factory.mktemp("real-site") / "site"
    content = Content.read(ROOT)
    code, stdout, stderr = build_real(out, base)
    if code != 0:
        pytest.fail(f"the real dossier does not build (base {base}):\n{stderr}", pytrace=False)
    pages = {p.relative_to(out).as_posix(): parse(p) for p in sorted(out.rglob("*.html"))}
    return Build(base, out, content, pages)


# -- seeds ------------------------------------------------------------------------------------

def test_seeds_are_the_shared_seeds_byte_for_byte():
    ours = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert ours == sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    for name in ours:
        assert (ROOT / "seeds" / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def seed_of(site: Build) -> dict:
    """seed file name -> source slug."""
    return {source["seed"]: slug for slug, source in site.content.sources.items()}


def test_every_seed_has_a_source_page_with_its_whole_text(site):
    by_seed = seed_of(site)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        assert seed.name in by_seed, f"no source file for {seed.name}"
        text = seed.read_bytes().decode("utf-8").removeprefix("\ufeff")
        div = copy.copy(site.source_page(by_seed[seed.name]).select_one("div.seed-text"))
        for marker in div.select("sup.marker"):
            marker.decompose()
        assert squash(div.get_text()) == squash(text), seed.name


def test_seed_markup_is_text_not_markup(site):
    for slug in site.content.sources:
        div = site.source_page(slug).select_one("div.seed-text")
        assert div.find(["script", "iframe", "img", "style", "form"]) is None
        allowed = {"p", "br", "span", "mark", "sup", "a"}
        assert {tag.name for tag in div.find_all(True)} <= allowed, slug


# -- facts and quotes -------------------------------------------------------------------------

def test_every_fact_has_its_box(site):
    for slug, fact in site.content.facts():
        page = site.source_page(slug)
        box = page.find(id=f"fact-{fact['id']}")
        assert box is not None, (slug, fact["id"])
        assert box.name == "article" and "fact" in box["class"]
        assert box.select_one(".fact-statement").get_text(strip=True) == fact["statement"].strip()
    counted = sum(1 for _ in site.content.facts())
    shown = sum(len(site.source_page(slug).select("section.facts article.fact")) for slug in site.content.sources)
    assert shown == counted


def fold(text: str) -> str:
    return squash(text).translate(_FOLD)


def first_mark_after(anchor):
    """The element after an anchor, skipping the anchors of passages that start at the same place."""
    element = anchor.find_next_sibling()
    while element is not None and element.name == "span" and "anchor" in element.get("class", []):
        element = element.find_next_sibling()
    return element


def test_every_quote_is_highlighted_and_linked_both_ways(site):
    for slug, fact in site.content.facts():
        page = site.source_page(slug)
        anchor_id = f"fact-{fact['id']}"
        anchor = page.find(id=f"q-{anchor_id}")
        assert anchor is not None and anchor.name == "span" and "anchor" in anchor["class"], (slug, anchor_id)
        assert anchor.find_parent("div", class_="seed-text") is not None
        first = first_mark_after(anchor)
        assert first.name == "mark" and "quote" in first["class"], (slug, anchor_id)
        assert anchor_id in first["data-for"].split(), (slug, anchor_id)
        marks = [m for m in page.select("div.seed-text mark.quote") if anchor_id in m["data-for"].split()]
        assert fold("".join(m.get_text() for m in marks)) == fold(fact["quote"]), (slug, anchor_id)
        markers = page.select(f'div.seed-text sup.marker a[href="#{anchor_id}"]')
        assert len(markers) == 1, (slug, anchor_id)
        box = page.find(id=anchor_id)
        assert box.select_one("a.fact-number")["href"] == f"#q-{anchor_id}"


def test_every_note_with_an_id_is_anchored(site):
    for slug, source in site.content.sources.items():
        page = site.source_page(slug)
        notes = source.get("notes") or []
        assert len(page.select("section.notes aside.note")) == len(notes), slug
        for note in notes:
            if "id" not in note:
                continue
            anchor_id = f"note-{note['id']}"
            box = page.find(id=anchor_id)
            assert box is not None and box.name == "aside", (slug, anchor_id)
            assert box.select_one("a.note-label")["href"] == f"#q-{anchor_id}"
            assert page.select(f'div.seed-text sup.marker a[href="#{anchor_id}"]'), (slug, anchor_id)
            first = first_mark_after(page.find(id=f"q-{anchor_id}"))
            assert first.name == "mark" and anchor_id in first["data-for"].split(), (slug, anchor_id)


# -- links ------------------------------------------------------------------------------------

def resolve_link(base: str, page: str, value: str) -> tuple[str, str] | None:
    """(output file, fragment) a link points at, or None for an external link."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        assert path.startswith(base), f"{page}: '{value}' is outside {base}"
        target = path[len(base):]
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        target = "" if joined == "." else joined + ("/" if path.endswith("/") else "")
    if target == "" or target.endswith("/"):
        target += "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_link_reaches_a_file_and_an_id(site):
    files = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}
    ids = {rel: {tag["id"] for tag in soup.find_all(id=True)} for rel, soup in site.pages.items()}
    broken, checked = [], 0
    for rel, soup in site.pages.items():
        for tag in soup.find_all(True):
            for attr in ("href", "src"):
                if not tag.has_attr(attr):
                    continue
                found = resolve_link(site.base, rel, tag[attr])
                if found is None:
                    continue
                checked += 1
                target, fragment = found
                if target not in files:
                    broken.append(f"{rel}: {tag[attr]} (no file {target})")
                elif fragment and fragment not in ids.get(target, set()):
                    broken.append(f"{rel}: {tag[attr]} (no id {fragment} on {target})")
    assert broken == []
    assert checked > 1000


def test_ids_are_unique_on_every_page(site):
    for rel, soup in site.pages.items():
        seen = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(seen) == len(set(seen)), (rel, sorted({i for i in seen if seen.count(i) > 1}))


def test_no_third_party_requests(site):
    for rel, soup in site.pages.items():
        for tag in soup.find_all(["script", "link", "img", "iframe", "source", "video", "audio"]):
            for attr in ("src", "href"):
                if tag.has_attr(attr) and not (tag.name == "link" and tag.get("rel") in (["canonical"], ["alternate"])):
                    assert resolve_link(site.base, rel, tag[attr]) is not None, (rel, str(tag)[:120])


# -- languages --------------------------------------------------------------------------------

def test_cyrillic_paragraphs_carry_lang_ru(site):
    cyrillic_paragraphs = 0
    for slug, source in site.content.sources.items():
        if source.get("language", "en") in ("ru", "be", "uk"):
            continue
        for p in site.source_page(slug).select("div.seed-text > p"):
            text = p.get_text()
            if len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)):
                cyrillic_paragraphs += 1
                assert p.get("lang") == "ru", (slug, text[:60])
            else:
                assert p.get("lang") is None, (slug, text[:60])
    assert cyrillic_paragraphs > 0  # the RT report quotes Russian captions


def test_pages_declare_the_site_language(site):
    for rel, soup in site.pages.items():
        assert soup.find("html")["lang"] == "en", rel


# -- index and claims -------------------------------------------------------------------------

def test_index_lists_every_source(site):
    home = site.page("index.html")
    hrefs = [a["href"] for a in home.select("table.sources-table a")]
    assert sorted(hrefs) == sorted(f"{site.base}sources/{slug}/" for slug in site.content.sources)
    rows = home.select("table.sources-table tbody tr")
    assert len(rows) == len(site.content.sources)
    for row in rows:
        slug = row.find("a")["href"].split("/")[-2]
        source = site.content.sources[slug]
        cells = [td.get_text(strip=True) for td in row.find_all("td")]
        assert cells[1] == source["outlet"]
        assert cells[2] == source["title"]
        assert int(cells[3]) == len(source.get("facts") or [])
        assert int(cells[4]) == len(source.get("notes") or [])


def test_every_claim_has_a_page_listing_its_facts_by_date(site):
    for claim in site.content.claims:
        expected = {(slug, fact["id"]) for slug, fact in site.content.facts() if fact.get("claim") == claim}
        page = site.page(f"claims/{claim}/index.html")
        assert page.find("h1").get_text(strip=True) == site.content.claims[claim]["title"]
        tables = page.select("table.comparison")  # one per place and kind of count
        if not expected:
            assert tables == []
            continue
        facts = {(s, f["id"]): f for s, f in site.content.facts()}
        found = []
        for table in tables:
            rows = [tr for tr in table.select("tbody tr") if "group-head" not in (tr.get("class") or [])]
            here = []
            for row in rows:
                quote_link = row.find_all("td")[-1].find("a")["href"]
                match = re.fullmatch(re.escape(site.base) + r"sources/([a-z0-9-]+)/#q-fact-([a-z0-9-]+)", quote_link)
                assert match, quote_link
                here.append(match.groups())
            # each table by the day its values refer to (a period by the day it starts)
            dates = [(t["datetime"] if (t := row.find("time")) else "9999") for row in rows]
            assert dates == sorted(dates), (claim, dates)
            assert dates == [str(facts[key].get("date") or "9999").partition("/")[0] for key in here]
            found += here
        assert len(found) == len(expected), claim
        assert set(found) == expected, claim


def indexed_text(page: BeautifulSoup) -> str:
    """The text Pagefind indexes on a page: inside `data-pagefind-body`, outside `data-pagefind-ignore`."""
    body = copy.copy(page.select_one("[data-pagefind-body]"))
    if body is None:
        return ""
    for ignored in body.select("[data-pagefind-ignore]"):
        ignored.decompose()
    return fold(body.get_text(" "))


def test_search_finds_each_quote_on_its_source_page_only(site):
    """A fact's quote is indexed where it stands (the source page) and not again on the claim and
    topic pages that gather it, so a search leads to the fact box, once."""
    gathering = {rel: indexed_text(page) for rel, page in site.pages.items()
                 if rel.startswith(("claims/", "topics/")) and rel.count("/") == 2}
    assert any(rel.startswith("claims/") and text for rel, text in gathering.items()), "claim pages are indexed"
    for slug, fact in site.content.facts():
        quote = fold(fact["quote"])
        assert quote in indexed_text(site.source_page(slug)), (slug, fact["id"])
        assert not [rel for rel, text in gathering.items() if quote in text], (slug, fact["id"])


# -- determinism ------------------------------------------------------------------------------

def test_two_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "again"
    code, _, err = build_real(again, site.base)
    assert code == 0, err
    assert tree_digest(again) == tree_digest(site.out)
