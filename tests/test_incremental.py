"""An incremental build (what `serve` does on every save, reusing the last build's work) gives
exactly what a fresh build gives: the same files, byte for byte, and the same diagnostics."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from dossier.pipeline import Memo, Options, build

from .helpers import ROOT, copy_real_project, override

SOURCE = "content/sources/cnn-security-forces-embrace.md"
OTHER = "content/sources/rferl-residential-marches.md"


def replace(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def first_value(root: Path, rel: str) -> str:
    line = next(l for l in (root / rel).read_text(encoding="utf-8").split("\n") if l.strip().startswith("value: "))
    return line


def outcome(result) -> tuple:
    return ({path: data for path, data in result.files.items()},
            [d.format() for d in result.report.sorted()], result.ok)


# Each edit is applied to the project in turn (some undo an earlier one); after each, the build
# that reuses the memo must equal a fresh build.
EDITS = [
    ("nothing", lambda r: None),
    ("fact statement", lambda r: replace(r, SOURCE, "statement: About 200 women", "statement: Some 200 women")),
    ("fact value", lambda r: replace(r, SOURCE, first_value(r, SOURCE), first_value(r, SOURCE) + "1")),
    ("fact value back", lambda r: replace(r, SOURCE, first_value(r, SOURCE), first_value(r, SOURCE)[:-1])),
    # the vote share stays disputed, but this source now sides with RT instead of the others
    ("value crosses a dispute", lambda r: replace(r, SOURCE, "value: 80.1\n", "value: 81.4\n")),
    ("value crosses back", lambda r: replace(r, SOURCE, "value: 81.4\n", "value: 80.1\n")),
    ("topic title", lambda r: replace(r, "content/topics/minsk.md", "title: Minsk", "title: Minsk (city)")),
    ("entity alias", lambda r: replace(r, "content/topics/okrestina.md", "aliases:\n", "aliases:\n- the protesters\n")),
    ("claim note", lambda r: replace(r, "content/claims.yaml", "  note: |\n", "  note: |\n    Rewritten, see [[rt-election-night]].\n")),
    ("seed text outside quotes", lambda r: (r / "seeds" / sorted((r / "seeds").iterdir())[0].name).write_text(
        (r / "seeds" / sorted((r / "seeds").iterdir())[0].name).read_text(encoding="utf-8") + "\nA closing line.\n",
        encoding="utf-8")),
    ("seed text beside a mention", lambda r: replace(r, "seeds/003_29b89d6597b17b7f.txt", "rally against President",
                                                      "march against President")),
    ("cross-reference added", lambda r: replace(
        r, OTHER, "    note: >-\n", "    note: >-\n      See [[cnn-security-forces-embrace#women-march-200]].\n")),
    ("first links to a topic and a source", lambda r: append(
        r, "content/topics/brest.md", "\nSee also [[nato]] and [[cnn-security-forces-embrace]].\n")),
    ("those links removed", lambda r: replace(
        r, "content/topics/brest.md", "\nSee also [[nato]] and [[cnn-security-forces-embrace]].\n", "")),
    ("theme title", lambda r: replace(r, "content/topics/detentions-and-violence.md", "title: ", "title: The ")),
    ("topic listed", lambda r: replace(r, SOURCE, "topics:\n  - security-forces", "topics:\n  - nato\n  - security-forces")),
    ("topic unlisted", lambda r: replace(r, SOURCE, "topics:\n  - nato\n", "topics:\n")),
    ("broken YAML", lambda r: replace(r, SOURCE, "title: ", "title: [unclosed ")),
    ("fixed YAML", lambda r: replace(r, SOURCE, "title: [unclosed ", "title: ")),
    ("source removed", lambda r: shutil.move(r / OTHER, r / "removed.md")),
    ("source back", lambda r: shutil.move(r / "removed.md", r / OTHER)),
    # the same text under another name: another slug, so every page of the source moves
    ("source renamed", lambda r: shutil.move(r / OTHER, r / "content/sources/rferl-marches.md")),
    ("source named back", lambda r: shutil.move(r / "content/sources/rferl-marches.md", r / OTHER)),
    ("unknown topic", lambda r: replace(r, SOURCE, "topics:\n  - security-forces", "topics:\n  - security-farces")),
    ("known topic", lambda r: replace(r, SOURCE, "topics:\n  - security-farces", "topics:\n  - security-forces")),
    # what a figure measures: a claim's default (read by every source's derivation), a stage whose
    # removal turns stages of one count into a dispute, a running total over an open period made a
    # single day's figure
    ("claim scope", lambda r: replace(r, "content/claims.yaml", "  unit: people\n  scope: minsk\n",
                                      "  unit: people\n")),
    ("fact stage", lambda r: replace(r, "content/sources/rt-election-night.md",
                                     "    value: 81.35\n    unit: percent\n    date: '2020-08-09'\n"
                                     "    reported: '2020-08-09'\n    stage: partial\n",
                                     "    value: 81.35\n    unit: percent\n    date: '2020-08-09'\n"
                                     "    reported: '2020-08-09'\n")),
    ("fact period", lambda r: replace(r, SOURCE, "    value: 6700\n    unit: people\n    date: 2020-08-09/..\n"
                                      "    reported: '2020-08-14'\n    count: cumulative\n",
                                      "    value: 6700\n    unit: people\n    date: '2020-08-14'\n")),
    ("claim scope back", lambda r: replace(r, "content/claims.yaml", "  title: Size of the protests\n  unit: people\n",
                                           "  title: Size of the protests\n  unit: people\n  scope: minsk\n")),
    ("template", lambda r: (override(r, "claim.html"), replace(r, "templates/claim.html", "<h1", "<h1 data-x=\"1\""))),
    ("config title", lambda r: replace(r, "config.yaml", "title: ", "title: The ")),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_real_project(tmp_path_factory.mktemp("incremental"))


@pytest.fixture(scope="module")
def memo(project):
    memo = Memo()
    build(Options(project, write=False), memo)
    return memo


@pytest.mark.parametrize("name,edit", EDITS, ids=[name for name, _ in EDITS])
def test_incremental_build_equals_a_fresh_build(project, memo, name, edit):
    edit(project)
    incremental = outcome(build(Options(project, write=False), memo))
    fresh = outcome(build(Options(project, write=False)))
    assert incremental[1] == fresh[1]
    assert incremental[2] == fresh[2]
    assert sorted(incremental[0]) == sorted(fresh[0])
    different = [path for path in fresh[0] if incremental[0][path] != fresh[0][path]]
    assert different == []


@pytest.mark.parametrize("per_page", [None, 10])
def test_a_synthetic_dossier_edited_many_times(tmp_path, per_page):
    """Random-ish edits on a 40-source synthetic dossier (claims shared by many sources, entity
    aliases, cross-references between sources): incremental equals fresh after each one, also
    when topic pages, the timeline and the list of sources run over many pages."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_dossier, with_statement

    root = tmp_path / "d"
    make_dossier(root, 40)
    if per_page:
        with open(root / "config.yaml", "a", encoding="utf-8") as config:
            config.write(f"per_page: {per_page}\n")
    memo = Memo()
    assert build(Options(root, write=False), memo).ok
    sources = sorted((root / "content" / "sources").glob("*.md"))
    for step, path in enumerate(sources[::7]):
        text = path.read_text(encoding="utf-8")
        path.write_text(with_statement(text, f"Statement number {step}"), encoding="utf-8")
        value = next(l for l in text.split("\n") if l.strip().startswith("value: "))
        replace(root, str(path.relative_to(root)), value, value.replace("value: ", "value: 9"))
        incremental = outcome(build(Options(root, write=False), memo))
        fresh = outcome(build(Options(root, write=False)))
        assert incremental == fresh, path.name


def test_only_the_sources_whose_inputs_changed_are_derived_again(tmp_path):
    """The speed of a rebuild rests on this: a source whose file, seed and the answers to its
    cross-references are the same as last time is taken from the memo, not derived again."""
    root = copy_real_project(tmp_path / "p")
    memo = Memo()
    first = build(Options(root, write=False), memo)
    assert first.ok and len(first.derived) == 5
    edited, other = SOURCE.rsplit("/", 1)[1][:-3], OTHER.rsplit("/", 1)[1][:-3]
    # a value: no link changes, so every other source is taken from the memo
    replace(root, SOURCE, first_value(root, SOURCE), first_value(root, SOURCE) + "1")
    assert build(Options(root, write=False), memo).derived == [edited]
    # a cross-reference added to another source: that one only
    replace(root, OTHER, "    note: >-\n", "    note: >-\n      See [[cnn-security-forces-embrace#women-march-200]].\n")
    assert build(Options(root, write=False), memo).derived == [other]
    # a statement: the fact's link changes its text, so the source citing that fact is derived again too
    replace(root, SOURCE, "statement: About 200 women", "statement: Some 200 women")
    assert sorted(build(Options(root, write=False), memo).derived) == sorted([edited, other])
    assert build(Options(root, write=False), memo).derived == []


@pytest.fixture(scope="module")
def cached_project(tmp_path_factory):
    return copy_real_project(tmp_path_factory.mktemp("cached"))


@pytest.mark.parametrize("name,edit", EDITS, ids=[name for name, _ in EDITS])
def test_a_build_from_the_disk_cache_equals_a_fresh_build(cached_project, tmp_path, name, edit):
    """What a command-line build (or CI with a restored cache) does after each edit: its memo is
    the one the last build left in .dossier-cache/."""
    edit(cached_project)
    cached = outcome(build(Options(cached_project, out=tmp_path / "site", search=False)))
    fresh = outcome(build(Options(cached_project, out=tmp_path / "fresh", search=False, cache=tmp_path / "none")))
    assert cached[1:] == fresh[1:]
    assert cached[0] == fresh[0]


def test_a_parallel_build_equals_a_serial_one(tmp_path):
    """Past a few dozen sources, sources are derived (and pages rendered) on both cores."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_dossier

    root = tmp_path / "d"
    make_dossier(root, 60)
    serial = build(Options(root, write=False, jobs=1))
    parallel = build(Options(root, write=False, jobs=2))
    assert serial.ok and len(serial.derived) == 60
    assert outcome(parallel) == outcome(serial)
