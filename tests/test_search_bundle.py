"""The search bundles: pages dealt into shards of bounded size that keep their members as the
dossier grows, each shard keyed by exactly what it indexes, re-indexed only when that changes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier import search
from dossier.pipeline import Options, build
from dossier.search import BUNDLE, MANIFEST, indexed, search_bundle, shard_bundle, sharded_bundle
from dossier.shards import Shard, assign, kind, lean, shards

from .helpers import ROOT


def page(text: str, extra: str = "") -> bytes:
    return (f'<!doctype html><html lang="en"><head><title>t</title></head><body><nav>menu</nav>'
            f'<main id="main" data-pagefind-body><h1>{text}</h1>{extra}</main><footer>f</footer></body></html>').encode()


def sources(n: int) -> dict[str, bytes]:
    return {f"sources/s{i:05d}/index.html": page(f"Source {i}") for i in range(n)}


@pytest.fixture(scope="module")
def real_pages() -> dict[str, bytes]:
    result = build(Options(ROOT, write=False))
    assert result.ok
    return {path: data for path, data in result.files.items() if path.endswith(".html")}


def test_only_marked_pages_are_given_to_pagefind():
    files = {"a/index.html": b"<main data-pagefind-body>x</main>", "b/index.html": b"<main>y</main>",
             "c.css": b"main{}"}
    assert indexed(files) == ["a/index.html"]
    assert indexed({"b/index.html": b"<main>y</main>", "c.css": b""}) == ["b/index.html"]  # none marked: all


def test_pages_are_dealt_by_kind():
    found = assign(["sources/a/index.html", "topics/b/index.html", "claims/c/index.html", "index.html"])
    assert found == {"sources/a/index.html": "sources", "topics/b/index.html": "topics",
                     "claims/c/index.html": "claims", "index.html": "other"}
    assert kind("sources/index.html") == "other"  # the list of sources is not a source


def test_no_shard_outgrows_its_limit():
    found = assign(sorted(sources(1000)), limit=100)
    sizes = {name: list(found.values()).count(name) for name in set(found.values())}
    assert len(sizes) >= 10 and max(sizes.values()) <= 100
    assert all(name.startswith("sources-") and set(name[8:]) <= {"0", "1"} for name in sizes)


def test_a_source_keeps_its_shard_until_that_shard_splits():
    """Shards are prefixes of the slug's hash: growing the dossier only ever splits a shard into
    two whose names extend its name, so a source moves only from a shard to one of its halves."""
    small, big = assign(sorted(sources(300)), limit=100), assign(sorted(sources(3000)), limit=100)
    assert all(big[path].startswith(small[path]) for path in small)
    again = assign(sorted(sources(301)), limit=100)
    moved = [path for path in small if again[path] != small[path]]
    assert len(moved) <= 100  # at most the members of the one shard that split


def test_a_shard_is_keyed_by_exactly_what_it_indexes():
    one = shards({"sources/a/index.html": page("Minsk")})[0]
    assert shards({"sources/a/index.html": page("Minsk")})[0].digest == one.digest
    assert shards({"sources/a/index.html": page("Brest")})[0].digest != one.digest
    # what Pagefind does not index (navigation, ignored parts, inline tags) does not change the key
    nav = page("Minsk").replace(b"menu", b"another menu")
    ignored = page("Minsk", '<section data-pagefind-ignore><a href="/x/">Related</a></section>')
    inline = page('<span class="m">Minsk</span>')
    assert {shards({"sources/a/index.html": p})[0].digest for p in (nav, ignored, inline)} == {one.digest}


def test_the_lean_page_keeps_words_headings_and_filters(real_pages):
    soup = BeautifulSoup(lean(real_pages["sources/cnn-security-forces-embrace/index.html"]), "html.parser")
    assert soup.html["lang"] == "en" and soup.h1.get_text(strip=True)
    assert soup.select_one("#h-fact-released-okrestina").get_text(strip=True) == \
        "Detainees were released from the Okrestina detention centre in Minsk on Friday morning."
    assert soup.select_one("#h-note-okrestina") is not None
    kinds = sorted(d["value"] for d in soup.select('data[data-pagefind-filter="kind[value]"]'))
    assert kinds == ["fact", "note", "source"]
    assert [d["value"] for d in soup.select('data[data-pagefind-filter="outlet[value]"]')] == ["CNN"]
    assert not soup.select("[data-pagefind-ignore], a, span, nav, footer")
    assert "Referenced from" not in soup.get_text() and "Related topics" not in soup.get_text()


def test_an_edit_reindexes_only_its_shard(tmp_path, monkeypatch):
    pages = {**sources(40), "topics/t/index.html": page("Topic")}
    runs = []
    real = search._run
    monkeypatch.setattr(search, "_run", lambda site, *rest: runs.append(sorted(p.parent.name for p in site.rglob("index.html"))) or real(site, *rest))
    first, problems = sharded_bundle(pages, tmp_path, limit=10)
    assert problems == [] and len(runs) == len(json.loads(first[MANIFEST])["shards"]) >= 5
    runs.clear()
    pages["sources/s00007/index.html"] = page("Source 7, edited")
    second, _ = sharded_bundle(pages, tmp_path, limit=10)
    assert len(runs) == 1 and "s00007" in runs[0]
    changed = {path.split("/")[1] for path in set(first) | set(second) if first.get(path) != second.get(path)}
    assert len(changed - {"shards.json"}) == 1


def test_the_site_gets_each_shard_in_its_folder_and_the_browser_code_once(real_pages):
    bundle, problems = search_bundle(real_pages, None)
    assert problems == []
    names = json.loads(bundle[MANIFEST])["shards"]
    assert names == sorted(names) and {"sources", "topics", "claims"} <= set(names)
    assert all(path.startswith(BUNDLE) for path in bundle)
    assert [p for p in bundle if p.endswith("/pagefind.js")] == [f"{BUNDLE}{names[0]}/pagefind.js"]
    assert not [p for p in bundle if "pagefind-ui" in p]
    for name in names:
        assert f"{BUNDLE}{name}/pagefind-entry.json" in bundle


def test_a_shard_bundle_is_pagefind_over_its_lean_pages(tmp_path, real_pages):
    shard = next(s for s in shards({p: real_pages[p] for p in indexed(real_pages)}) if s.name == "topics")
    bundle, problem = shard_bundle(shard, None)
    site = tmp_path / "site"
    for path, data in shard.documents:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    subprocess.run([*search._pagefind(), "--site", str(site), "--output-path", str(tmp_path / "pf")],
                   check=True, capture_output=True)
    direct = {p.relative_to(tmp_path / "pf").as_posix(): p.read_bytes()
              for p in sorted((tmp_path / "pf").rglob("*")) if p.is_file()}
    assert problem is None
    # (Pagefind writes a filter's values in hash-map order, which differs from run to run: the
    # filter chunks, and the metadata naming them, are compared by count; the rest byte for byte)
    varies = ("filter/", "pagefind-entry.json", "pagefind.en_")
    assert {p: d for p, d in bundle.items() if not p.startswith(varies)} == \
        {p: d for p, d in direct.items() if not p.startswith(varies)}
    assert len([p for p in bundle if p.startswith("filter/")]) == len([p for p in direct if p.startswith("filter/")]) == 2


def test_a_stopped_indexing_starts_no_more_shards(monkeypatch):
    search.stop_indexing()  # (a stop before the run began does not concern it)
    epoch = search._stops[0]
    search.stop_indexing()
    with pytest.raises(search.Stopped):
        shard_bundle(Shard("sources", (("sources/a/index.html", page("x")),)), None, epoch=epoch)


def test_a_failed_indexing_fails_the_build_and_leaves_the_site_as_it_was(tmp_path, monkeypatch):
    """Pagefind runs while the site is written; if it fails, the new site is dropped, not swapped in."""
    from .helpers import copy_real_project, tree_digest

    root = copy_real_project(tmp_path / "p")
    assert build(Options(root)).ok
    before = tree_digest(root / "site")
    path = root / "content" / "sources" / "cnn-security-forces-embrace.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    failing = [sys.executable, "-c", "import sys; print('the index is on fire', file=sys.stderr); sys.exit(3)"]
    monkeypatch.setattr(search, "_pagefind", lambda: failing)
    result = build(Options(root))
    assert not result.ok
    assert [d.message for d in result.report.errors] == ["search indexing failed: the index is on fire"]
    assert tree_digest(root / "site") == before
    assert not list(root.glob(".site.new-*"))
    monkeypatch.undo()
    assert build(Options(root)).ok
    assert tree_digest(root / "site") != before
