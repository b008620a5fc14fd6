"""What `serve` rebuilds for which change, and what it answers for which path (no browser)."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from dossier.pages import plan
from dossier.pipeline import Memo, Options, build
from dossier.project import changes
from dossier.serve import Preview, reload_path, watched

from .helpers import ROOT, copy_real_project, override, running_preview

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
    return set(result.rendered)


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
    pages = rerendered_after(project, lambda root: replace_in(override(root, "claim.html"), "<h1>", "<h1 class=\"x\">"))
    assert pages and all(p.startswith("claims/") and p != "claims/" for p in pages)


def test_a_base_template_edit_renders_every_page_that_extends_it(project):
    pages = rerendered_after(project, lambda root: replace_in(override(root, "base.html"), "<main id=\"main\"", "<main class=\"m\" id=\"main\""))
    assert {"", "sources/", f"sources/{SOURCE}/", "topics/minsk/", "claims/people-detained/", "404.html"} <= pages
    assert "feed.xml" not in pages and "sitemap.xml" not in pages


def test_a_config_change_renders_everything(project):
    memo = Memo()
    first = build(Options(project, write=False), memo)
    replace_in(project / "config.yaml", "editor: The Dossier editors", "editor: Someone else")
    again = build(Options(project, write=False), memo)
    assert sorted(again.rendered) == sorted(page.path for page in plan(first.dossier))


def test_snapshot_sees_added_changed_removed_and_renamed_files(project):
    before = watched(project)
    topic = project / "content/topics/minsk.md"
    topic.rename(project / "content/topics/minsk-city.md")
    (project / "content/topics/.minsk.md.swp").write_text("editor swap file")
    after = watched(project)
    assert changes(before, after) == ["content/topics/minsk-city.md", "content/topics/minsk.md"]


def rewrite_detained_statement(project: Path, statement: str) -> None:
    source = project / "content/sources" / f"{SOURCE}.md"
    text = source.read_text()
    start = text.index(next(l for l in text.splitlines() if "claim: people-detained" in l))
    at = text.index("statement:", start)
    source.write_text(text[:at] + f"statement: {statement}" + text[text.index("\n", at):])


def test_the_page_being_read_is_published_before_the_rest_of_the_site(project):
    preview = Preview(project)
    preview.rebuild()
    page, other = f"sources/{SOURCE}/index.html", "timeline/index.html"
    assert preview.respond(f"/sources/{SOURCE}/")[0] == 200  # the editor reads the source page
    rewrite_detained_statement(project, "Rewritten for the preview.")
    seen = {}

    def announce():  # what the browser would get if it reloaded now
        seen["page"], seen["other"] = preview.files[page], preview.files[other]
    told = preview.rebuild(announce=announce)
    assert b"Rewritten for the preview." in seen["page"]
    assert b"Rewritten for the preview." not in seen["other"]  # the timeline was not rendered yet
    assert b"Rewritten for the preview." in preview.files[other]  # and it is once the build is over
    assert page not in told and other not in told  # no second reload: nobody reads the timeline, the page is shown


def test_every_page_being_read_is_published_early_in_one_reload(project):
    preview = Preview(project)
    preview.rebuild()
    preview.respond(f"/sources/{SOURCE}/")
    preview.respond("/timeline/")  # another tab
    rewrite_detained_statement(project, "Rewritten again.")
    seen = []
    told = preview.rebuild(announce=lambda: seen.append(preview.files["timeline/index.html"]))
    assert len(seen) == 1 and b"Rewritten again." in seen[0]
    assert told == []


def test_an_edit_during_a_rebuild_stops_it_and_the_next_one_is_whole(project):
    preview = Preview(project)
    preview.rebuild()
    preview.respond(f"/sources/{SOURCE}/")
    rewrite_detained_statement(project, "First edit.")
    other = project / "content/sources" / f"{OTHER}.md"

    def edit_meanwhile():  # the editor saves another file while the rest of the site is being built
        replace_in(other, "title: ", "title: Retitled, ")
    log = io.StringIO()
    assert preview.rebuild(log, announce=edit_meanwhile) == []
    assert "gave up" in log.getvalue()
    assert b"First edit." in preview.files[f"sources/{SOURCE}/index.html"]  # published early all the same
    preview.rebuild(log, announce=lambda: None)
    fresh = build(Options(project, base_url="/", write=False))
    assert {k: v for k, v in preview.files.items() if k.endswith(".html")} == \
        {k: v for k, v in fresh.files.items() if k.endswith(".html")}


def test_nothing_is_published_early_while_errors_are_shown(project):
    preview = Preview(project)
    preview.rebuild()
    preview.respond(f"/sources/{SOURCE}/")
    (project / "content/topics/x.md").write_text("---\ntitle: X\nkind: bogus\n---\n")
    preview.rebuild(announce=lambda: None)
    assert preview.errors
    (project / "content/topics/x.md").unlink()
    rewrite_detained_statement(project, "Fixed and rewritten.")
    calls = []
    told = preview.rebuild(announce=lambda: calls.append(1))
    assert calls == [] and not preview.errors and f"sources/{SOURCE}/index.html" in told


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


def pagefind_runs_for(root: Path) -> list[int]:
    """Process ids of Pagefind runs indexing a scratch copy of `root`'s pages."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if "pagefind" in command and str(root) in command and state != "Z":  # (killed, not yet reaped: gone)
                found.append(int(entry.name))
    return found


def test_stopping_the_preview_stops_its_search_indexing(tmp_path):
    """Pagefind indexes in the background; terminating the preview must not leave it running
    (on a dossier big enough for Pagefind to work a few seconds without a word on its output)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_dossier

    project = tmp_path / "big"
    make_dossier(project, 300)
    with running_preview(project, seconds=120) as (port, process):
        deadline = time.monotonic() + 30
        while not pagefind_runs_for(project):
            if time.monotonic() > deadline:
                pytest.skip("Pagefind finished before it could be caught running")
            time.sleep(0.02)
        process.terminate()
        process.wait(timeout=10)
    deadline = time.monotonic() + 2  # killed with the preview, not left to finish (seconds more) on its own
    while pagefind_runs_for(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pagefind_runs_for(project) == []


def test_an_edit_stops_a_search_indexing_of_outdated_pages(tmp_path):
    """An edit makes the pages being indexed outdated: their Pagefind run is stopped at once
    (it would be thrown away), and the new pages are indexed once the edits pause."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_dossier, with_statement

    project = tmp_path / "big"
    make_dossier(project, 300)
    path = min((project / "content" / "sources").glob("*.md"))
    log = (tmp_path / "serve.log").open("w")
    with log, running_preview(project, log=log, seconds=120) as (port, process):
        deadline = time.monotonic() + 30
        while not (runs := pagefind_runs_for(project)):
            if time.monotonic() > deadline:
                pytest.skip("Pagefind finished before it could be caught running")
            time.sleep(0.02)
        path.write_text(with_statement(path.read_text(encoding="utf-8"), "A statement searched for"), encoding="utf-8")
        deadline = time.monotonic() + 2  # stopped as soon as the edit is seen, not left to finish
        while set(runs) & set(pagefind_runs_for(project)) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not set(runs) & set(pagefind_runs_for(project))
        deadline = time.monotonic() + 60  # and the edited pages are indexed in their turn
        while not pagefind_runs_for(project):
            assert time.monotonic() < deadline, "indexing did not start again after the edit"
            time.sleep(0.05)
    said = (tmp_path / "serve.log").read_text()
    assert "changed: content/sources/" in said
    assert "search indexing" not in said and "Traceback" not in said, said
