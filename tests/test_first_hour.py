"""What a new user met in the first hour (issue 19), each now a test: a placeholder published as
fact, a figure printed as a Python escape, the day and year of a date counted as figures, and a
folder where a source file should be skipped without a word."""

from __future__ import annotations

import pytest

from dossier.diagnostics import Diagnostic, Location, printable
from tests.helpers import MINIMAL, SOURCE, error_lines, make_project, patched, run
from tests.test_coverage import SEED_PATH, _check, _files, _uncovered

# -- no placeholder is ever published --------------------------------------------------------------


def test_a_placeholder_stops_the_build_at_its_value(tmp_path):
    text = MINIMAL[SOURCE].replace("outlet: Test Wire", "outlet: TODO").replace("published: 2020-08-10", "published: TODO")
    root = make_project(tmp_path, patched({SOURCE: text}))
    code, out, err = run(root, "build")
    assert (code, out) == (1, "")
    assert error_lines(err) == [f"{SOURCE}:4:9: error: outlet is not filled in",
                                f"{SOURCE}:5:12: error: published is not filled in"]
    assert "replace TODO with who published the report" in err
    assert not (root / "site").exists()


def test_a_placeholder_anywhere_is_found_with_the_other_problems(tmp_path):
    source = MINIMAL[SOURCE].replace("    by: Interior Ministry", "    by: TODO who said it?").replace(
        "topics: [election]", "topics: [election]\ntranslation: robot")
    topic = "---\ntitle: Minsk\nkind: place\nsummary: TODO one line\n---\nThe capital.\n"
    root = make_project(tmp_path, patched({SOURCE: source, "content/topics/minsk.md": topic}))
    code, _, err = run(root, "check")
    assert code == 1
    assert error_lines(err) == [
        "content/sources/test-report.md:7:14: error: translation: 'robot' is not one of: original, machine, human, unknown",
        "content/sources/test-report.md:15:9: error: facts[1].by is not filled in",
        "content/topics/minsk.md:4:10: error: summary is not filled in"]


def test_a_value_that_merely_contains_todo_is_no_placeholder(tmp_path):
    root = make_project(tmp_path, patched({SOURCE: MINIMAL[SOURCE].replace("outlet: Test Wire", "outlet: TODOS Wire")}))
    assert run(root, "check")[0] == 0


# -- messages print text -------------------------------------------------------------------------------


def test_a_figure_with_a_non_breaking_space_prints_as_the_reader_sees_it(tmp_path):
    seed = "Officials say 6\u00a0700 people have been arrested.\n"
    code, _, err = _check(tmp_path, _files(seed=seed))
    assert "figure '6 700' is not covered" in err
    assert "\\xa0" not in err and "\u00a0" not in err


@pytest.mark.parametrize("text, shown", [
    ("6\u00a0700", "6 700"), ("80\u202f%", "80 %"), ("a\u200bb", "a[U+200B ZERO WIDTH SPACE]b"),
    ("x\x1b[2J", "x[U+001B][2J"), ("two\nlines", "two[line break]lines"), ("plain", "plain"),
])
def test_messages_show_text_never_python_escapes(text, shown):
    assert printable(text) == shown
    assert Diagnostic(Location("a.md", 1, 1), "error", f"'{text}'").format() == f"a.md:1:1: error: '{shown}'"


# -- coverage ignores the day and year of a date -----------------------------------------------------

DATED = (
    "On Sunday, 16 August 2020, 3,000 people marched.\n"
    "\n"
    "By 9 August the count stood. On August 9, 2020 and on Aug. 10 more came.\n"
    "\n"
    "The decree of 2020-08-09 and the order of 09.08.2020 were read in August 2020 to 200 officers.\n"
    "\n"
    "\u041d\u0430 16 \u0430\u0432\u0433\u0443\u0441\u0442\u0430 2020 \u0433\u043e\u0434\u0430 \u0432\u044b\u0448\u043b\u0438 40 \u0442\u044b\u0441\u044f\u0447.\n"
)


def test_the_day_and_year_of_a_date_are_not_figures(tmp_path):
    code, _, err = _check(tmp_path, _files(seed=DATED))
    assert sorted(figure for path, _, _, figure in _uncovered(err) if path == SEED_PATH) == ["200", "3,000", "40"]


# -- a folder where a source file should be ------------------------------------------------------------


def test_a_folder_where_a_source_should_be_is_a_located_error(tmp_path):
    root = make_project(tmp_path)
    (root / "content/sources/x.md").mkdir()
    code, _, err = run(root, "check")
    assert code == 1
    assert error_lines(err) == ["content/sources/x.md:1:1: error: is a folder, not a file"]


def test_an_empty_folder_appearing_after_a_build_is_not_skipped(tmp_path):
    """The build's record of its inputs knew files only: an empty folder left it 'up to date'."""
    root = make_project(tmp_path)
    assert run(root, "build", "-q")[0] == 0
    (root / "content/sources/x.md").mkdir()
    code, out, err = run(root, "build")
    assert code == 1 and "up to date" not in out
    assert error_lines(err) == ["content/sources/x.md:1:1: error: is a folder, not a file"]

