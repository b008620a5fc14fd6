"""dossier.mentions: entity names found as whole words, longest first, case as written."""

from dossier.mentions import Mention, MentionFinder

FINDER = MentionFinder([
    ("Minsk", "minsk"), ("Минск", "minsk"),
    ("Minsk Tractor Works", "mtz"),
    ("Lukashenko", "lukashenko"), ("Alexander Lukashenko", "lukashenko"),
])


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.topic) for m in FINDER.find(text)]


def test_offsets_point_at_the_name():
    text = "Rally in Minsk today."
    [mention] = FINDER.find(text)
    assert mention == Mention(9, 14, "minsk", "Minsk")
    assert text[mention.start:mention.end] == "Minsk"


def test_longest_match_first():
    assert found("The Minsk Tractor Works went on strike in Minsk.") == [
        ("Minsk Tractor Works", "mtz"), ("Minsk", "minsk")]
    assert found("President Alexander Lukashenko; Lukashenko said") == [
        ("Alexander Lukashenko", "lukashenko"), ("Lukashenko", "lukashenko")]


def test_whole_words_only():
    assert found("Minskaya oblast, the Minsker, preMinsk") == []
    assert found("Minsk's streets; (Minsk) and Minsk-based") == [("Minsk", "minsk")] * 3


def test_whole_words_in_cyrillic():
    assert found("Минска и Минск.") == [("Минск", "minsk")]


def test_case_sensitive():
    assert found("MINSK minsk Minsk") == [("Minsk", "minsk")]


def test_no_names():
    assert MentionFinder([]).find("Minsk") == []
    assert MentionFinder([("  ", "blank")]).find("a  b") == []


def test_first_owner_of_a_name_wins():
    finder = MentionFinder([("Brest", "brest"), ("Brest", "brest-region")])
    assert [m.topic for m in finder.find("Brest")] == ["brest"]


def test_names_with_regex_characters_are_literal():
    finder = MentionFinder([("C.E.C.", "cec"), ("O'Brien", "obrien")])
    assert [m.text for m in finder.find("The C.E.C. and CxExCx and O'Brien")] == ["C.E.C.", "O'Brien"]
