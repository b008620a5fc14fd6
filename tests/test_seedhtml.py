"""dossier.seedhtml: the seed verbatim as escaped paragraphs, with marks, markers and mention links."""

from bs4 import BeautifulSoup

from dossier.quotes import Span
from dossier.seedhtml import Mark, Ref, paragraphs, seed_html

TEXT = ("https://example.org/a?b=1&c=2\n"
        "\n"
        "One two three four five.\n"
        "Second line <script>alert(1)</script> & more\n"
        "\n"
        "   \n"
        "\n"
        "\u041c\u0438\u043d\u0441\u043a \u0432\u044b\u0448\u0435\u043b \u043d\u0430 \u0443\u043b\u0438\u0446\u044b.\n"
        "\n"
        "Mixed: \u041c\u0438\u043d\u0441\u043a is the capital of Belarus.\n")


def html(text=TEXT, marks=(), refs=(), language="en") -> BeautifulSoup:
    return BeautifulSoup(seed_html(text, list(marks), list(refs), language), "html.parser")


def span_of(text: str, needle: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(text))


def test_paragraph_spans_are_trimmed_and_skip_blank_ones():
    spans = paragraphs(TEXT)
    assert [TEXT[s.start:s.end] for s in spans] == [
        "https://example.org/a?b=1&c=2",
        "One two three four five.\nSecond line <script>alert(1)</script> & more",
        "\u041c\u0438\u043d\u0441\u043a \u0432\u044b\u0448\u0435\u043b \u043d\u0430 \u0443\u043b\u0438\u0446\u044b.",
        "Mixed: \u041c\u0438\u043d\u0441\u043a is the capital of Belarus.",
    ]


def test_one_p_per_paragraph_with_line_breaks_kept():
    ps = html().find_all("p", recursive=False)
    assert len(ps) == 4
    assert ps[1].find("br") is not None
    assert ps[1].get_text() == "One two three four five.\nSecond line <script>alert(1)</script> & more"


def test_bare_url_line_becomes_a_link():
    first = html().find_all("p")[0]
    assert first["class"] == ["seed-url"]
    a = first.find("a")
    assert a["href"] == "https://example.org/a?b=1&c=2"
    assert a.get_text() == "https://example.org/a?b=1&c=2"
    assert set(a["rel"]) == {"nofollow", "noopener", "noreferrer"}


def test_only_http_urls_become_links():
    doc = html("javascript:alert(1)\n\nftp://example.org/x\n")
    assert doc.find("a") is None


def test_seed_markup_is_escaped():
    doc = html()
    assert doc.find("script") is None
    assert "<script>alert(1)</script> & more" in doc.get_text()


def test_cyrillic_paragraph_gets_lang_ru():
    ps = html().find_all("p")
    assert [p.get("lang") for p in ps] == [None, None, "ru", None]


def test_no_lang_on_cyrillic_paragraphs_of_a_russian_seed():
    ps = html(language="ru").find_all("p")
    assert [p.get("lang") for p in ps] == [None, None, None, None]


def test_mark_anchor_and_marker():
    mark = Mark(span_of("two three", "two three"), "fact-a", "1", "fact", "Statement <x>")
    doc = html(marks=[mark])
    anchor = doc.find("span", class_="anchor")
    assert anchor["id"] == "q-fact-a"
    marked = anchor.find_next_sibling()
    assert marked.name == "mark" and marked["class"] == ["quote", "quote-fact"]
    assert marked["data-for"] == "fact-a"
    assert marked.get_text() == "two three"
    sup = marked.find_next_sibling()
    assert sup.name == "sup" and sup["class"] == ["marker", "marker-fact"]
    assert sup.a["href"] == "#fact-a"
    assert sup.a.get_text() == "1"
    assert sup.a["aria-label"] == "Fact 1: Statement <x>"


def test_overlapping_marks():
    fact = Mark(span_of("two three", "two three"), "fact-a", "1", "fact", "A")
    note = Mark(span_of("three four", "three four"), "note-b", "a", "note", "dispute note")
    doc = html(marks=[fact, note])
    p = doc.find_all("p")[1]
    pieces = [(m.get_text(), m["class"], m["data-for"]) for m in p.find_all("mark")]
    assert pieces == [
        ("two ", ["quote", "quote-fact"], "fact-a"),
        ("three", ["quote", "quote-fact", "quote-note"], "fact-a note-b"),
        (" four", ["quote", "quote-note"], "note-b"),
    ]
    assert [s["id"] for s in p.find_all("span", class_="anchor")] == ["q-fact-a", "q-note-b"]
    assert [a["href"] for a in p.select("sup.marker a")] == ["#fact-a", "#note-b"]
    # without its markers, the paragraph's text is the seed's, once, in order
    for sup in p.find_all("sup"):
        sup.decompose()
    assert p.get_text() == "One two three four five.\nSecond line <script>alert(1)</script> & more"


def test_marker_follows_the_end_of_its_mark():
    fact = Mark(span_of("One two three four five.", "One"), "fact-x", "7", "fact", "X")
    doc = html(marks=[fact])
    p = doc.find_all("p")[1]
    sup = p.find("sup")
    assert sup.find_previous_sibling().name == "mark"
    assert sup.next_sibling.name == "br"


def test_mention_links_inside_and_outside_marks():
    ref = Ref(span_of("five", "five"), "/topics/five/")
    mark = Mark(span_of("four five", "four five"), "fact-a", "1", "fact", "A")
    doc = html(marks=[mark], refs=[ref])
    link = doc.find("a", class_="mention")
    assert link["href"] == "/topics/five/"
    assert link.get_text() == "five"
    assert link.find_parent("mark") is not None


def test_url_paragraph_with_a_mark_stays_text():
    mark = Mark(span_of("example.org", "example.org"), "note-u", "a", "note", "N")
    doc = html(marks=[mark])
    first = doc.find_all("p")[0]
    assert first.get("class") is None
    assert [a["href"] for a in first.find_all("a")] == ["#note-u"]  # only the marker links
    assert first.find("mark").get_text() == "example.org"
