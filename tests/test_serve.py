"""What `serve` rebuilds for which change, and what it answers for which path (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.pages import plan
from dossier.pipeline import Memo, Options, build
from dossier.serve import Preview, changes, reload_path, snapshot

from .helpers import copy_real_project

SOURCE = "cnn-security-forces-embrace"
OTHER = "rferl-residential-marches"


@pytest.fixture
def project(tmp_path):
    return copy_real_project(tmp_path)


def rerendered_after(root: Path, edit) -> set[str]:
    memo = Memo()
    assert build(Options(root, write=False), memo).ok
    edit(root)
    result = build(Options(root, write=False), memo)
    assert result.ok, [d.format() for d in result.report.errors]
    return set(memo.rerendered)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_nothing_changed_renders_nothing(project):
    assert rerendered_after(project, lambda root: None) == set()


def test_a_fact_statement_edit_renders_its_source_and_the_pages_that_show_it(project):
    source = project / "content/sources" / f"{SOURCE}.md"
    line = next(l for l in source.read_text().splitlines() if "claim: people-detained" in l)
    text = source.read_text()
    start = text.index(line)
    statement = text.index("statement:", start)
    end = text.index("\n", statement)
    pages = rerendered_after(project, lambda root: source.write_text(text[:statement] + "statement: Rewritten." + text[end:]))
    assert f"sources/{SOURCE}/" in pages
    assert "claims/people-detained/" in pages
    assert "timeline/" in pages
    assert f"sources/{OTHER}/" not in pages
    assert "claims/lukashenko-vote-share/" not in pages


def test_a_template_edit_renders_only_the_pages_that_use_it(project):
    pages = rerendered_after(project, lambda root: replace_in(root / "templates/claim.html", "<h1>", "<h1 class=\"x\">"))
    assert pages and all(p.startswith("claims/") and p != "claims/" for p in pages)


def test_a_base_template_edit_renders_every_page_that_extends_it(project):
    pages = rerendered_after(project, lambda root: replace_in(root / "templates/base.html", "<main id=\"main\"", "<main class=\"m\" id=\"main\""))
    assert {"", "sources/", f"sources/{SOURCE}/", "topics/minsk/", "claims/people-detained/", "404.html"} <= pages
    assert "feed.xml" not in pages and "sitemap.xml" not in pages


def test_a_config_change_renders_everything(project):
    memo = Memo()
    first = build(Options(project, write=False), memo)
    replace_in(project / "config.yaml", "editor: The Dossier editors", "editor: Someone else")
    build(Options(project, write=False), memo)
    assert sorted(memo.rerendered) == sorted(page.path for page in plan(first.dossier))


def test_snapshot_sees_added_changed_removed_and_renamed_files(project):
    before = snapshot(project)
    topic = project / "content/topics/minsk.md"
    topic.rename(project / "content/topics/minsk-city.md")
    (project / "content/topics/.minsk.md.swp").write_text("editor swap file")
    after = snapshot(project)
    assert changes(before, after) == ["content/topics/minsk-city.md", "content/topics/minsk.md"]


def test_preview_keeps_the_last_good_site_and_shows_errors_over_it(project):
    preview = Preview(project)
    preview.rebuild()
    good = preview.respond(f"/sources/{SOURCE}/")
    assert good[0] == 200 and b"dossier-build-error" not in good[2]
    replace_in(project / "content/sources" / f"{SOURCE}.md", "\nfacts:\n", "\nfacts: [\n")
    preview.rebuild()
    status, ctype, body = preview.respond(f"/sources/{SOURCE}/")
    assert status == 200 and ctype.startswith("text/html")
    assert b'id="dossier-build-error"' in body and b"YAML syntax error" in body
    assert good[2].split(b"<main", 1)[1] in body  # the last good page is still under the overlay
    replace_in(project / "content/sources" / f"{SOURCE}.md", "\nfacts: [\n", "\nfacts:\n")
    preview.rebuild()
    assert preview.respond(f"/sources/{SOURCE}/") == good


def test_preview_error_text_is_escaped(project):
    preview = Preview(project)
    preview.rebuild()
    (project / "content/topics/x.md").write_text("---\ntitle: <script>alert(1)</script>\nkind: bogus\n---\n")
    preview.rebuild()
    body = preview.respond("/")[2]
    assert b"<script>alert(1)</script>" not in body.split(b'id="dossier-build-error"', 1)[1].split(b"</div>", 1)[0]


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/sources/", 200), ("/assets/dossier.css", 200), ("/no/such/", 404),
    ("/../../etc/passwd", 404), ("/.dossier", 404), ("/.nojekyll", 404),
])
def test_preview_answers(project, path, status):
    preview = Preview(project)
    preview.rebuild()
    assert preview.respond(path)[0] == status


def test_only_a_stylesheet_change_is_refreshed_in_place():
    assert reload_path(["assets/dossier.css"]) == "assets/dossier.css"
    assert reload_path(["index.html"]) == "*"
    assert reload_path(["assets/dossier.css", "index.html"]) == "*"
