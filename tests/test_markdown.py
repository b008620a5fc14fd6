"""dossier.markdown: CommonMark without raw HTML, wiki-links through a resolver, heading offset."""

from bs4 import BeautifulSoup

from dossier.markdown import Link, render, render_inline, targets

LINKS = {
    "minsk": Link("/topics/minsk/", "Minsk", "topic", "topics/minsk"),
    "src#fact-a": Link("/sources/src/#fact-a", "A fact", "fact", "sources/src#fact-a"),
    "evil": Link('/x/"onclick="alert(1)', "<b>Bold</b>", "topic", "topics/evil"),
}


def resolve(target):
    return LINKS.get(target)


def soup(markdown: str, **kwargs) -> BeautifulSoup:
    return BeautifulSoup(render(markdown, resolve, **kwargs), "html.parser")


def test_wikilink_uses_the_target_title():
    [a] = soup("See [[minsk]].").find_all("a")
    assert a["href"] == "/topics/minsk/"
    assert a["class"] == ["xref", "xref-topic"]
    assert a.get_text() == "Minsk"


def test_wikilink_with_label():
    [a] = soup("See [[minsk|the capital]].").find_all("a")
    assert a["href"] == "/topics/minsk/"
    assert a.get_text() == "the capital"


def test_wikilink_to_a_fact():
    [a] = soup("[[src#fact-a]]").find_all("a")
    assert a["class"] == ["xref", "xref-fact"]
    assert a["href"] == "/sources/src/#fact-a"


def test_unresolved_wikilink_is_a_span_not_a_link():
    html = soup("See [[nowhere]] and [[nowhere|a <b>label</b>]].")
    assert html.find("a") is None
    spans = html.find_all("span", class_="xref-missing")
    assert [s.get_text() for s in spans] == ["nowhere", "a <b>label</b>"]
    assert html.find("b") is None


def test_link_title_and_url_are_escaped():
    html = soup("[[evil]]")
    [a] = html.find_all("a")
    assert a["href"] == '/x/"onclick="alert(1)'
    assert not a.has_attr("onclick")
    assert a.get_text() == "<b>Bold</b>"
    assert html.find("b") is None


def test_raw_html_is_escaped():
    html = soup("<script>alert(1)</script>\n\nText <b>bold</b> <img src=x onerror=alert(1)>")
    assert html.find("script") is None
    assert html.find("b") is None
    assert html.find("img") is None
    assert [p.get_text() for p in html.find_all("p")] == [
        "<script>alert(1)</script>", "Text <b>bold</b> <img src=x onerror=alert(1)>"]


def test_javascript_links_are_not_links():
    html = soup("[click](javascript:alert(1)) [up](JAVASCRIPT:alert(1)) [v](vbscript:x) "
                "<javascript:alert(1)> [ok](https://example.org/)")
    assert [a["href"] for a in html.find_all("a")] == ["https://example.org/"]


def test_markdown_links_and_emphasis_work():
    html = soup("A *word* and **more** and [a link](https://example.org/a).")
    assert html.find("em").get_text() == "word"
    assert html.find("strong").get_text() == "more"
    assert html.find("a")["href"] == "https://example.org/a"


def headings(html) -> list[tuple[str, str]]:
    return [(h.name, h.get_text()) for h in html.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]


def test_the_top_heading_of_a_fragment_takes_the_level_its_place_asks_for():
    assert headings(soup("# One\n\n## Two\n\n##### Five")) == [("h2", "One"), ("h3", "Two"), ("h6", "Five")]
    assert headings(soup("## Two\n\n### Three")) == [("h2", "Two"), ("h3", "Three")]
    assert headings(soup("### Three", heading_level=1)) == [("h1", "Three")]
    assert headings(soup("# One\n\n#### Four", heading_level=3)) == [("h3", "One"), ("h6", "Four")]


def test_targets_in_order_and_not_in_code():
    assert targets("a [[minsk]] b [[src#fact-a|x]] `[[code]]`\n\n    [[indented code]]\n") == ["minsk", "src#fact-a"]


def test_not_a_wikilink():
    html = soup("[[]] and [[a\nb]] and [[unclosed")
    assert html.find("a") is None and html.find("span") is None


def test_render_inline_has_no_paragraph():
    html = render_inline("**a** [[minsk]]", resolve)
    assert html == '<strong>a</strong> <a class="xref xref-topic" href="/topics/minsk/">Minsk</a>'


def test_blank_markdown_renders_nothing():
    assert render("  \n\n", resolve) == ""
