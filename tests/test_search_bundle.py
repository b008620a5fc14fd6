"""The search bundle: Pagefind is given only the pages it indexes, and makes the same bundle as
when it is given every page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dossier.pipeline import Options, build
from dossier.search import BUNDLE, indexed, search_bundle

from .helpers import ROOT


def test_only_marked_pages_are_given_to_pagefind():
    files = {"a/index.html": b"<main data-pagefind-body>x</main>", "b/index.html": b"<main>y</main>",
             "c.css": b"main{}"}
    assert indexed(files) == ["a/index.html"]
    assert indexed({"b/index.html": b"<main>y</main>", "c.css": b""}) == ["b/index.html"]  # none marked: all


def test_bundle_from_the_marked_pages_equals_pagefind_on_every_page(tmp_path):
    result = build(Options(ROOT, write=False))
    assert result.ok
    pages = {path: data for path, data in result.files.items() if path.endswith(".html")}
    assert len(indexed(pages)) < len(pages), "some pages (the timeline, lists) are not indexed"
    bundle, problems = search_bundle(pages, None)
    assert problems == [] and bundle
    site = tmp_path / "site"
    for path, data in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind"],
                   check=True, capture_output=True)
    whole = {BUNDLE + p.relative_to(site / "pagefind").as_posix(): p.read_bytes()
             for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}
    assert bundle == whole


def test_a_failed_indexing_fails_the_build_and_leaves_the_site_as_it_was(tmp_path, monkeypatch):
    """Pagefind runs while the site is written; if it fails, the new site is dropped, not swapped in."""
    from dossier import search

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
