"""Data-driven error cases: tests/cases/<name>/ holds a tiny project patch and the exact diagnostics.

A case folder holds:
  files/…        files that replace (or add to) those of the minimal project in conftest.MINIMAL
  remove.txt     optional: paths of the minimal project to leave out, one per line
  expected.txt   the exact diagnostics, first line of each (hints left out), as the tool sorts them;
                 `{root}` stands for the project's folder

For every case: exit status 1, exactly these lines on stderr, no traceback, nothing on stdout, and a
previous site/ left byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import MINIMAL, SEED, SOURCE, error_lines, make_project, parse, patched, run, tree_digest

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def case_files(name: str) -> dict:
    case = CASES_DIR / name
    changes: dict = {}
    files = case / "files"
    if files.is_dir():
        for path in sorted(files.rglob("*")):
            if path.is_file():
                changes[path.relative_to(files).as_posix()] = path.read_bytes()
    remove = case / "remove.txt"
    if remove.is_file():
        changes.update({line.strip(): None for line in remove.read_text().splitlines() if line.strip()})
    return patched(changes)


def expected(name: str, root: Path) -> list[str]:
    text = (CASES_DIR / name / "expected.txt").read_text(encoding="utf-8")
    return [line.replace("{root}", str(root.resolve())) for line in text.splitlines() if line.strip()]


def previous_site(root: Path) -> dict:
    """A site/ as an earlier build left it (with Dossier's marker), plus a file of our own."""
    site = root / "site"
    (site / "sources").mkdir(parents=True)
    (site / ".dossier").write_text("This folder was built by Dossier and is replaced by each build.\n")
    (site / "index.html").write_text("<!doctype html><title>previous build</title>")
    (site / "sources" / "index.html").write_text("<p>previous sources</p>")
    (site / "marker.txt").write_text("left by the test; must survive a failed build\n")
    return tree_digest(site)


def test_every_case_has_files_and_expected_diagnostics():
    assert len(CASES) >= 20
    for name in CASES:
        assert (CASES_DIR / name / "expected.txt").is_file(), name
        assert (CASES_DIR / name / "files").is_dir() or (CASES_DIR / name / "remove.txt").is_file(), name


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("name", CASES)
def test_error_case(tmp_path, name, command):
    root = make_project(tmp_path, case_files(name))
    before = previous_site(root)
    code, out, err = run(root, command)
    assert "Traceback" not in out + err
    assert error_lines(err) == expected(name, root)
    assert code == 1
    assert out == ""
    assert err.splitlines()[-1].startswith("build failed: ")
    assert tree_digest(root / "site") == before
    # nothing written beside it either (no half-built .site.new-* folder)
    assert sorted(p.name for p in root.iterdir()) == ["config.yaml", "content", "seeds", "site", "templates"]


def hints(err: str) -> list[str]:
    return [line.strip() for line in err.splitlines() if line.startswith("    ")]


def nearest_passage(err: str) -> tuple[str, str]:
    """(seed:line, passage) of the 'nearest passage' hint."""
    [hint] = [h for h in hints(err) if h.startswith("nearest passage in ")]
    where, passage = hint.removeprefix("nearest passage in ").split(": ", 1)
    assert passage.startswith("«") and passage.endswith("»")
    return where, passage[1:-1]


def whole_words(passage: str, text: str) -> bool:
    """`passage` occurs in `text` and neither starts nor ends inside a word."""
    at = text.find(passage)
    end = at + len(passage)
    return at >= 0 and (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


@pytest.mark.parametrize("quote, line", [
    ("Critics say the figure was rigged", 5),  # case quote-not-found: quote marks left out
    ("Lukashenko received 80.8 percent of the vote", 5),  # a figure mistyped
    ("Police detained 300 people in Minsk", 3),
])
def test_quote_not_found_hint_names_the_nearest_passage_and_its_line(tmp_path, quote, line):
    source = MINIMAL[SOURCE].replace('    quote: Critics say the figure was "rigged"', f"    quote: {quote}")
    root = make_project(tmp_path, patched({SOURCE: source}))
    code, _, err = run(root, "check")
    assert code == 1
    where, passage = nearest_passage(err)
    assert where == f"seeds/001_test.txt:{line}"
    seed_line = SEED.split("\n")[line - 1]
    assert whole_words(passage, seed_line), passage
    assert len(passage) >= len(quote) - 2


def test_failure_summary_line(tmp_path):
    root = make_project(tmp_path, case_files("unknown-key"))
    _, _, err = run(root, "build")
    assert err.splitlines()[-1] == "build failed: 1 error; the site was not written"


def test_quote_found_twice_is_fixed_by_occurrence(tmp_path):
    files = case_files("quote-found-twice")
    text = files[SOURCE].decode("utf-8")
    files[SOURCE] = text.replace("    quote: said\n", "    quote: said\n    occurrence: 2\n")
    root = make_project(tmp_path, files)
    code, out, err = run(root, "build")
    assert (code, err) == (0, "")
    page = parse(root / "site/sources/test-report/index.html")
    anchor = page.find(id="q-note-said")
    assert anchor.find_next_sibling("mark").get_text() == "said"
    # the second occurrence: in the paragraph of the vote (line 5), not the one of line 3
    assert anchor.find_parent("p").get_text().startswith("Lukashenko received")


SEVERAL = {
    SOURCE: MINIMAL[SOURCE].replace("topics: [election]", "topics: [electon]")
                           .replace("    claim: vote-share", "    claim: vote-shares"),
    "content/topics/minsk.md": "---\ntitle: Minsk\nkind: plcae\n---\nThe capital.\n",
    "content/topics/election.md": "---\nsummary: The vote.\n---\nNo title.\n",
    "content/index.md": "---\ntitle: Test dossier\n---\nAn introduction linking [[test-reprot]].\n",
}
SEVERAL_LINES = [
    "content/index.md:4:25: error: unknown cross-reference target 'test-reprot' (did you mean 'test-report'?)",
    "content/sources/test-report.md:6:9: error: unknown topic 'electon' (did you mean 'election'?)",
    "content/sources/test-report.md:17:12: error: unknown claim 'vote-shares' (did you mean 'vote-share'?)",
    "content/topics/election.md:2:1: error: missing required key 'title' in document",
    "content/topics/minsk.md:3:7: error: kind: 'plcae' is not one of: theme, person, organisation, place "
    "(did you mean 'place'?)",
]


def test_several_errors_in_different_files_are_all_reported_in_one_run(tmp_path):
    root = make_project(tmp_path, patched(SEVERAL))
    before = previous_site(root)
    code, out, err = run(root, "build")
    assert code == 1 and out == "" and "Traceback" not in err
    assert error_lines(err) == SEVERAL_LINES
    assert err.splitlines()[-1] == "build failed: 5 errors; the site was not written"
    assert tree_digest(root / "site") == before


def test_a_config_error_does_not_hide_the_content_errors(tmp_path):
    root = make_project(tmp_path, patched({**SEVERAL, "config.yaml": "title: Test dossier\nbase_ulr: /\n"}))
    code, out, err = run(root, "check")
    assert code == 1 and "Traceback" not in err
    assert error_lines(err) == [
        "config.yaml:2:1: error: unknown key 'base_ulr' in document (did you mean 'base_url'?)", *SEVERAL_LINES]


@pytest.mark.parametrize("name, hint", [
    ("range-low-above-high", "swap 'low' and 'high'"),
    ("range-missing-high", "for a bound on one side only, give 'value' with a qualifier"),
    ("reported-before-date", "'date' is the day or period the figure refers to, 'reported' the day it was announced"),
    ("period-end-before-start", "write a period as start/end (2020-08-09/2020-08-12), or start/.."),
    ("scope-unknown", "a scope is a topic slug (content/topics/<slug>.md), such as a place, or 'national'"),
    ("scope-unknown-claim", "a scope is a topic slug"),
])
def test_an_inconsistent_measure_says_how_to_fix_it(tmp_path, name, hint):
    root = make_project(tmp_path, case_files(name))
    code, _, err = run(root, "check")
    assert code == 1
    [found] = hints(err)
    assert found.startswith(hint)
