"""dossier.quotes: matching forgives white space, quote marks, apostrophes and dashes, nothing else."""

import pytest

from dossier.quotes import SeedIndex, Span, fold

TEXT = (
    "Officials said\u00a0the count was \u201cfinal\u201d and Lukashenko\u2019s win \u2014 a landslide.\n"  # line 1
    "The same words. And again: the same words.\n"  # line 2
    "\n"  # line 3
    "Second paragraph on\n"  # line 4
    "two lines, with \u00abguillemets\u00bb and 6,700 people detained.\n"  # line 5
)


@pytest.fixture(scope="module")
def seed():
    return SeedIndex(TEXT)


def passage(span: Span) -> str:
    return TEXT[span.start:span.end]


@pytest.mark.parametrize("quote, expected", [
    ("said the count", "said\u00a0the count"),  # a non-breaking space matches a space
    ("said   the\tcount", "said\u00a0the count"),  # runs of white space are one
    ('the count was "final"', "the count was \u201cfinal\u201d"),  # straight for curly quotes
    ("Lukashenko's win - a landslide", "Lukashenko\u2019s win \u2014 a landslide"),  # apostrophe, dash
    ("Lukashenko\u2019s win \u2013 a landslide", "Lukashenko\u2019s win \u2014 a landslide"),  # en for em dash
    ("on two lines", "on\ntwo lines"),  # a single line break is white space
    ('with "guillemets"', "with \u00abguillemets\u00bb"),
    ("  said the count  ", "said\u00a0the count"),  # the quote's own outer white space is ignored
])
def test_forgiven_differences(seed, quote, expected):
    [span] = seed.find_all(quote)
    assert passage(span) == expected


@pytest.mark.parametrize("quote", [
    "officials said the count",  # case
    "Officials said the count was final",  # missing quote marks are not forgiven
    "Lukashenkos win",  # missing apostrophe
    "6700 people",  # digit grouping
    "6,700 people detained!",  # punctuation
    "Officials  said the  cuont",  # spelling
    "",
    "   ",
])
def test_other_differences_are_not_forgiven(seed, quote):
    assert seed.find_all(quote) == []


def test_every_occurrence_in_text_order(seed):
    spans = seed.find_all("the same words")
    assert [passage(s) for s in spans] == ["the same words"]
    spans = seed.find_all("same words")
    assert len(spans) == 2
    assert spans[0].start < spans[1].start
    assert [seed.line_of(s.start) for s in spans] == [2, 2]


def test_occurrences_on_different_lines():
    index = SeedIndex("He said no.\n\nShe said no.\n\nThey said no.\n")
    spans = index.find_all("said no")
    assert [index.line_of(s.start) for s in spans] == [1, 3, 5]


def test_found_across_a_paragraph_break_is_flagged(seed):
    [span] = seed.find_all("the same words. Second paragraph")
    assert seed.crosses_paragraph(span)
    [inside] = seed.find_all("Second paragraph on two lines")
    assert not seed.crosses_paragraph(inside)


def test_blank_line_with_spaces_is_still_a_paragraph_break():
    index = SeedIndex("One end.\n   \nTwo start.\n")
    [span] = index.find_all("end. Two")
    assert index.crosses_paragraph(span)


def test_nearest_passage_names_its_line(seed):
    line, text = seed.nearest("with guillemets and 6,700 people detainde")
    assert line == 5
    assert "6,700 people" in text


def test_nearest_passage_on_the_first_line(seed):
    line, text = seed.nearest("Officials said the count was final")
    assert line == 1
    assert text.startswith("Officials said")


def test_nearest_in_empty_seed():
    assert SeedIndex("").nearest("anything") == (1, "")


def test_fold():
    assert fold("  a\u00a0 b\t\nc ") == "a b c"
    assert fold("\u201cx\u201d \u2018y\u2019 \u00abz\u00bb a\u2014b a\u2013b a\u2212b") == "\"x\" 'y' \"z\" a-b a-b a-b"
    assert fold("ABC, def!") == "ABC, def!"


def test_invisible_characters_must_match_like_letters():
    # the rule forgives white space, quote marks, apostrophes and dashes, and nothing else
    index = SeedIndex("soft\u00adhyphen and zero\u200bwidth")
    assert index.find_all("softhyphen and zerowidth") == []
    assert len(index.find_all("soft\u00adhyphen and zero\u200bwidth")) == 1
