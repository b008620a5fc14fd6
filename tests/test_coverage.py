"""Figures in a seed that no fact, note or `unannotated` entry covers: found, located, summarised,
and failed on in strict mode. And the real dossier covers every figure of its five seeds."""

from __future__ import annotations

import re

import pytest

from tests import tiny
from tests.helpers import ROOT, run

SEED_NAME = "001_cov.txt"
SEED_PATH = f"seeds/{SEED_NAME}"
SEED = (
    "https://example.org/2020/08/13/story-123456.html\n"
    "\n"
    "The turnout was 80,08 percent, officials said.\n"
    "\n"
    "Officials say 6,700 people have been arrested.\n"
    "\n"
    "The 26-year rule ended at 02:46 on Monday \u2014 prices rose 1.5 percent.\n"
    "\n"
    "Eight people were hurt; hundreds marched.\n"
    "\n"
    "Tens of thousands gathered, two thousand more stood by, several were held.\n"
    "\n"
    "Details: https://news.example.org/2021/01/17/item-99 (archived).\n"
)
FIGURES = ["80,08", "6,700", "26-year", "02:46", "1.5", "Eight", "hundreds", "Tens of thousands",
           "two thousand", "several"]

SUMMARY = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*): (?P<total>\d+) figures — (?P<fact>\d+) in facts, "
                     r"(?P<note>\d+) in notes, (?P<unannotated>\d+) marked unannotated, (?P<uncovered>\d+) uncovered$")
UNCOVERED = re.compile(r"^figure '(?P<figure>.+)' is not covered by any fact or note of (?P<slug>\S+)$")


def _files(facts=(), notes=(), unannotated=(), seed: str = SEED, extra_sources: dict | None = None) -> dict:
    sources = {"cov": tiny.source_md(SEED_NAME, title="Coverage", outlet="Wire", facts=facts, notes=notes,
                                     unannotated=unannotated)}
    seeds = {SEED_NAME: seed}
    for slug, (name, text, source) in (extra_sources or {}).items():
        seeds[name] = text
        sources[slug] = source
    return tiny.files(seeds, sources, index="".join(f"[[{s}]]\n" for s in sources))


def _check(tmp_path, files: dict, *args: str):
    root = tiny.write(tmp_path, files)
    code, out, err = run(root, "check", "--coverage", *args)
    assert not tiny.diagnostics(err, "error"), err
    return code, out, err


def _uncovered(err: str) -> list[tuple[str, int, int, str]]:
    found = []
    for d in tiny.diagnostics(err, "warning"):
        match = UNCOVERED.match(d["message"])
        if match:
            found.append((d["path"], d["line"], d["col"], match["figure"]))
    return found


def _summaries(out: str) -> dict[str, dict[str, int]]:
    found = {}
    for line in out.splitlines():
        match = SUMMARY.match(line)
        if match:
            assert match["slug"] not in found, "one summary line per source"
            found[match["slug"]] = {k: int(v) for k, v in match.groupdict().items() if k != "slug"}
    return found


def _expected(figures, seed: str = SEED) -> list[tuple[str, int, int, str]]:
    return sorted((SEED_PATH, *tiny.position(seed, f), f) for f in figures)


def test_numerals_and_spelled_numbers_are_found_and_located(tmp_path):
    code, out, err = _check(tmp_path, _files())
    assert code == 0
    assert sorted(_uncovered(err)) == _expected(FIGURES)
    assert _summaries(out) == {"cov": {"total": len(FIGURES), "fact": 0, "note": 0, "unannotated": 0,
                                       "uncovered": len(FIGURES)}}


def test_digits_inside_a_url_are_not_figures(tmp_path):
    _, _, err = _check(tmp_path, _files())
    lines_with_urls = {n for n, line in enumerate(SEED.split("\n"), 1) if "https://" in line}
    assert lines_with_urls == {1, 13}
    assert not [u for u in _uncovered(err) if u[1] in lines_with_urls]


def test_warning_is_located_in_characters_after_non_ascii_text(tmp_path):
    _, _, err = _check(tmp_path, _files())
    line = SEED.split("\n")[6]
    assert "\u2014" in line  # an em dash (3 bytes in UTF-8) comes before the figure
    assert (SEED_PATH, 7, line.index("1.5") + 1, "1.5") in _uncovered(err)
    text = [d["text"] for d in tiny.diagnostics(err, "warning") if "'1.5'" in d["message"]]
    assert text == [f"{SEED_PATH}:7:{line.index('1.5') + 1}: warning: "
                    "figure '1.5' is not covered by any fact or note of cov"]


COVERS = {
    "fact": dict(facts=[tiny.fact("arrested", "Officials say 6,700 people have been arrested", value=6700,
                                  unit="people", date="2020-08-14")]),
    "note": dict(notes=[tiny.note("Officials say 6,700 people have been arrested", "A cumulative figure.")]),
    "unannotated": dict(unannotated=[{"quote": "Officials say 6,700 people", "reason": "counted elsewhere"}]),
}


@pytest.mark.parametrize("kind", list(COVERS))
def test_a_figure_inside_a_quote_is_covered(tmp_path, kind):
    code, out, err = _check(tmp_path, _files(**COVERS[kind]))
    assert code == 0
    rest = [f for f in FIGURES if f != "6,700"]
    assert sorted(_uncovered(err)) == _expected(rest)
    counts = {"fact": 0, "note": 0, "unannotated": 0}
    counts[kind] = 1
    assert _summaries(out) == {"cov": {"total": len(FIGURES), **counts, "uncovered": len(rest)}}


def test_summary_counts_every_kind_of_cover(tmp_path):
    files = _files(
        facts=[tiny.fact("arrested", "Officials say 6,700 people have been arrested", value=6700, unit="people"),
               tiny.fact("hurt", "Eight people were hurt", value=8, unit="people")],
        notes=[tiny.note("The turnout was 80,08 percent", "A decimal comma: 80.08.", kind="translation")],
        unannotated=[{"quote": "The 26-year rule ended at 02:46 on Monday", "reason": "background"},
                     {"quote": "prices rose 1.5 percent", "reason": "off topic"}])
    code, out, err = _check(tmp_path, files)
    assert code == 0
    assert _summaries(out) == {"cov": {"total": 10, "fact": 2, "note": 1, "unannotated": 3, "uncovered": 4}}
    assert sorted(f for *_, f in _uncovered(err)) == sorted(["hundreds", "Tens of thousands", "two thousand",
                                                              "several"])


def test_one_summary_line_per_source(tmp_path):
    other_seed = "Police detained 3000 people.\n\nAbout forty were hurt.\n"
    other = tiny.source_md("002_other.txt", title="Other", outlet="Other Wire", facts=[
        tiny.fact("detained", "Police detained 3000 people", value=3000, unit="people")])
    code, out, err = _check(tmp_path, _files(extra_sources={"other": ("002_other.txt", other_seed, other)}))
    assert code == 0
    summaries = _summaries(out)
    assert set(summaries) == {"cov", "other"}
    assert summaries["other"] == {"total": 2, "fact": 1, "note": 0, "unannotated": 0, "uncovered": 1}
    assert ("seeds/002_other.txt", 3, 7, "forty") in _uncovered(err)
    assert len([l for l in out.splitlines() if SUMMARY.match(l)]) == 2


def test_check_without_coverage_prints_no_summary(tmp_path):
    root = tiny.write(tmp_path, _files())
    code, out, err = run(root, "check")
    assert code == 0
    assert _summaries(out) == {}
    assert len(_uncovered(err)) == len(FIGURES)  # the warnings themselves are always given


def test_uncovered_figures_do_not_fail_a_normal_build(tmp_path):
    root = tiny.write(tmp_path, _files())
    code, _, err, site = tiny.build(root)
    assert code == 0, err
    assert (site / "sources" / "cov" / "index.html").is_file()
    assert sorted(_uncovered(err)) == _expected(FIGURES)


def test_strict_fails_on_one_uncovered_figure(tmp_path):
    covered = dict(
        facts=[tiny.fact("a", "The turnout was 80,08 percent", value=80.08, unit="percent"),
               tiny.fact("b", "Officials say 6,700 people have been arrested", value=6700, unit="people"),
               tiny.fact("c", "The 26-year rule ended at 02:46 on Monday \u2014 prices rose 1.5 percent")],
        notes=[tiny.note("Eight people were hurt; hundreds marched", "Two figures.")],
        unannotated=[{"quote": "Tens of thousands gathered, two thousand more stood by", "reason": "vague"}])
    # everything covered: strict passes
    root = tiny.write(tmp_path, _files(**covered, seed=SEED.replace(", several were held", "")), name="clean")
    code, _, err, site = tiny.build(root, "--strict")
    assert (code, _uncovered(err)) == (0, []), err
    assert site.is_dir()
    # one figure left uncovered: strict fails, nothing is written
    root = tiny.write(tmp_path, _files(**covered), name="dirty")
    code, _, err, site = tiny.build(root, "--strict")
    assert code == 1
    assert _uncovered(err) == _expected(["several"])
    assert err.strip().splitlines()[-1].startswith("build failed: 0 errors, 1 warning")
    assert not site.exists()
    code, _, _ = run(root, "check", "--strict")
    assert code == 1


def test_the_real_dossier_covers_every_figure():
    code, out, err = run(ROOT, "check", "--coverage")
    assert code == 0, err
    summaries = _summaries(out)
    slugs = {p.stem for p in (ROOT / "content" / "sources").glob("*.md")}
    assert len(slugs) == 5
    assert set(summaries) == slugs
    for slug, counts in summaries.items():
        assert counts["uncovered"] == 0, (slug, counts)
        assert counts["total"] == counts["fact"] + counts["note"] + counts["unannotated"] > 0
    assert _uncovered(err) == []
    assert "is not covered" not in err
