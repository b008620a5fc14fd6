"""URL text fragments (dossier/fragments.py): made for a passage, read back as a browser reads them
(WICG "URL Fragment Text Directives"), and found exactly once, where the passage is."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from dossier.fragments import Directive, Passages, encode, find, find_all, link, parse, text_directive
from tests import evidence

# Characters the spec lets stand in a term (TextDirectiveExplicitChar): anything else is encoded
TERM = re.compile(r"^(?:[A-Za-z0-9!$'()*+./:;=?@_~]|%[0-9A-F]{2})+$")


def directive_for(text: str, passage: str, occurrence: int = 1) -> tuple[Directive, tuple[int, int]]:
    at = -1
    for _ in range(occurrence):
        at = text.index(passage, at + 1)
    return text_directive(text, at, at + len(passage)), (at, at + len(passage))


def terms(encoded: str) -> list[str]:
    assert encoded.startswith("text=")
    return [t.removesuffix("-").removeprefix("-") for t in encoded[5:].split(",")]


def test_the_syntax_characters_are_percent_encoded():
    assert encode("a-b, c & d") == "a%2Db%2C%20c%20%26%20d"
    assert encode("50% #1") == "50%25%20%231"
    assert encode("it's (so): x=y?@_~!$*+./;") == "it's%20(so):%20x=y?@_~!$*+./;"
    assert encode("Минск") == "%D0%9C%D0%B8%D0%BD%D1%81%D0%BA"
    assert unquote(encode("Минск — “rigged”")) == "Минск — “rigged”"


@pytest.mark.parametrize("directive", [
    Directive("an example"), Directive("an", "example"), Directive("an example", prefix="this is"),
    Directive("a-b, c & d", "e,f", prefix="p-q", suffix="s&t"), Directive("Минск", suffix="вышел"),
])
def test_parse_reads_back_what_encoded_wrote(directive):
    encoded = directive.encoded()
    assert all(TERM.match(t) for t in terms(encoded)), encoded
    assert parse("#:~:" + encoded) == directive
    assert parse("#top:~:" + encoded) == directive


@pytest.mark.parametrize("fragment", ["#top", "#:~:text=", "#:~:text=a,b,c,d,e", "#:~:text=a-,-b", "#:~:other=x"])
def test_parse_refuses_what_is_not_a_text_directive(fragment):
    assert parse(fragment) is None


def test_link_adds_the_directive_to_the_address_or_its_fragment():
    d = Directive("x y")
    assert link("https://a.example/p", d) == "https://a.example/p#:~:text=x%20y"
    assert link("https://a.example/p#top", d) == "https://a.example/p#top:~:text=x%20y"
    assert link("", d) == ""
    assert link("https://a.example/p", None) == "https://a.example/p"


def test_a_short_unique_passage_is_its_own_directive():
    directive, span = directive_for(evidence.SEED, "Officials gave no other figure.")
    assert directive == Directive("Officials gave no other figure.")
    assert find_all(evidence.SEED, directive) == [span]


def test_a_passage_that_is_not_unique_gets_context_and_finds_its_own_occurrence():
    text = evidence.SEED
    assert text.count(evidence.REPEATED) == 2
    for occurrence in (1, 2):
        directive, span = directive_for(text, evidence.REPEATED, occurrence)
        assert directive.prefix or directive.suffix
        assert find_all(text, directive) == [span]
        decoded = parse("#:~:" + directive.encoded())
        assert find(text, decoded) == span
        assert text[span[0]:span[1]] == evidence.REPEATED


def test_a_passage_with_a_dash_a_comma_and_an_ampersand():
    directive, span = directive_for(evidence.SEED, evidence.TRICKY)
    encoded = directive.encoded()
    assert all(TERM.match(t) for t in terms(encoded)), encoded
    assert "%2D" in encoded and "%26" in encoded  # the passage's own '-' and '&', encoded
    decoded = parse("#:~:" + encoded)
    assert decoded == directive
    assert find(evidence.SEED, decoded) == span


def test_a_long_passage_is_given_by_its_first_and_last_words():
    directive, span = directive_for(evidence.SEED, evidence.LONG)
    assert directive.end, directive
    assert evidence.LONG.startswith(directive.start) and evidence.LONG.endswith(directive.end)
    assert len(directive.encoded()) < len(encode(evidence.LONG)) / 2
    assert find_all(evidence.SEED, parse("#:~:" + directive.encoded())) == [span]


def test_white_space_and_case_are_read_as_a_browser_reads_them():
    text = "First line\nof the passage.  Then THE PASSAGE again."
    assert find_all(text, Directive("line of the")) == [(6, 17)]
    assert find_all(text, Directive("the passage")) == [(14, 25), (text.index("THE"), text.index(" again"))]


def test_matches_are_whole_words_and_a_passage_is_widened_to_them():
    text = "Police detained 3000 people; a detainee was released."
    assert find_all(text, Directive("detain")) == []
    directive, _ = directive_for(text, "tained 30")
    assert find(text, directive) == (7, 20)  # "detained 3000"


def test_a_passage_repeated_with_its_surroundings_finds_the_first_copy():
    text = "Same caption.\n\nSame caption.\n"
    directive, span = directive_for(text, "Same caption.", 2)
    assert find(text, directive) in ((0, 13), span)


def test_a_cyrillic_passage():
    text = "Минск вышел на улицы. Тысячи людей пришли на площадь. Минск вышел снова."
    directive, span = directive_for(text, "Минск вышел", 2)
    assert find_all(text, parse("#:~:" + directive.encoded())) == [span]


def test_a_passage_with_no_word_has_no_directive():
    assert text_directive("a  b", 1, 3) is None


def test_every_passage_of_a_seed_is_found_where_it_is():
    text = evidence.SEED
    passages = Passages(text)
    for sentence in re.finditer(r"[^.\n]+\.", text):
        directive = passages.directive(sentence.start(), sentence.end())
        start, end = find(text, parse("#:~:" + directive.encoded()))
        assert text[start:end].strip() == sentence.group().strip()
