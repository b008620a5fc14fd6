"""`![[source#fact-id]]` alone on a line places the full fact (or note) box; in running text it is a
plain link; an unknown target is a located error like any other cross-reference."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests import tiny
from tests.helpers import error_lines, parse

SEED = (
    "Police detained 3000 people in Minsk on Sunday.\n"
    "\n"
    "The commission said Lukashenko received 80.08 percent.\n"
    "\n"
    "Critics called the result rigged.\n"
)
DETAINED = "Police detained 3,000 people on election night."
VOTE = "Lukashenko received 80.08 percent of the vote."
VOTE_QUOTE = "Lukashenko received 80.08 percent"

TOPIC_BODY = (
    "The official result:\n"  # body line 1
    "\n"
    "![[wire#vote]]\n"  # 3
    "\n"
    "Once more, the same fact:\n"
    "\n"
    "![[wire#vote]]\n"  # 7
    "\n"
    "In running text ![[wire#detained]] is only a link.\n"  # 9
    "\n"
    "![[wire#rigged]]\n"  # 11
)


def _project(topic_body: str = TOPIC_BODY, commentary: str = "Our commentary.\n",
             detained_note: str = "", vote_note: str = "") -> dict:
    detained = tiny.fact("detained", "Police detained 3000 people in Minsk on Sunday", statement=DETAINED,
                         value=3000, unit="people", date="2020-08-09", by="Interior Ministry")
    vote = tiny.fact("vote", VOTE_QUOTE, statement=VOTE, value=80.08, unit="percent", date="2020-08-09",
                     by="Central Election Commission")
    if detained_note:
        detained["note"] = detained_note
    if vote_note:
        vote["note"] = vote_note
    source = tiny.source_md("001_wire.txt", title="Results of the vote", outlet="Test Wire",
                            facts=[detained, vote],
                            notes=[tiny.note("Critics called the result rigged", "The opposition disputes the count.",
                                             kind="dispute", id="rigged")],
                            body=commentary)
    return tiny.files({"001_wire.txt": SEED}, {"wire": source},
                      topics={"election": tiny.topic_md("Election", topic_body)},
                      index="See [[wire]] and [[election]].\n")


def _built(tmp_path: Path, **changes) -> Path:
    root = tiny.write(tmp_path, _project(**changes))
    code, _, err, site = tiny.build(root)
    assert code == 0, err
    return site


def _duplicate_ids(soup) -> list[str]:
    counts = Counter(tag["id"] for tag in soup.find_all(id=True))
    return sorted(i for i, n in counts.items() if n > 1)


def _assert_references_resolve(soup) -> None:
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    for tag in soup.find_all(attrs={"aria-labelledby": True}):
        for ref in tag["aria-labelledby"].split():
            assert ref in ids, f"aria-labelledby points at a missing id: {ref}"


def _text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


@pytest.fixture(scope="module")
def topic_page(tmp_path_factory):
    site = _built(tmp_path_factory.mktemp("embed"))
    return parse(site / "topics" / "election" / "index.html")


def test_embed_on_its_own_line_places_the_full_fact_box(topic_page):
    body = topic_page.select_one("div.topic-body")
    boxes = [e.find("article", class_="fact") for e in body.select("div.embed")]
    facts = [b for b in boxes if b is not None]
    assert len(facts) == 2
    for box in facts:
        assert _text(box.select_one(".fact-statement")) == VOTE
        assert box.select_one("dd.fact-value").get_text() == "80.08\u202f%"
        assert _text(box.select_one("blockquote.fact-quote")) == VOTE_QUOTE
        assert _text(box.select_one("dd.fact-by")) == "Central Election Commission"
        hrefs = {a["href"] for a in box.find_all("a")}
        assert "/sources/wire/#fact-vote" in hrefs  # the permalink to the fact's home


def test_every_placeholder_is_replaced(topic_page):
    assert topic_page.find(attrs={"data-embed": True}) is None
    for embed in topic_page.select("div.embed"):
        children = [c for c in embed.children if getattr(c, "name", None)]
        assert len(children) == 1 and children[0].name in ("article", "aside"), embed


def test_same_fact_embedded_twice_gives_no_duplicate_ids(topic_page):
    assert _duplicate_ids(topic_page) == []
    _assert_references_resolve(topic_page)
    headings = [h["id"] for h in topic_page.select("div.embed .fact-statement")]
    assert len(headings) == 2 and len(set(headings)) == 2


def test_embed_inside_running_text_is_a_plain_link(topic_page):
    body = topic_page.select_one("div.topic-body")
    paragraph = next(p for p in body.find_all("p") if "running text" in p.get_text())
    assert paragraph.find_parent("div", class_="embed") is None
    links = paragraph.find_all("a")
    assert [(a["href"], a.get_text()) for a in links] == [("/sources/wire/#fact-detained", DETAINED)]
    assert "xref-fact" in links[0]["class"]
    assert "!" not in paragraph.get_text()
    assert not any(_text(s) == DETAINED for s in body.select("article.fact .fact-statement"))


def test_embedding_a_note_places_the_note_box(topic_page):
    notes = topic_page.select("div.topic-body div.embed aside.note")
    assert len(notes) == 1
    box = notes[0]
    assert "note-dispute" in box["class"]
    assert _text(box.select_one("blockquote.note-quote")) == "Critics called the result rigged"
    assert _text(box.select_one(".note-text")) == "The opposition disputes the count."
    assert "/sources/wire/#note-rigged" in {a["href"] for a in box.find_all("a")}


@pytest.mark.parametrize("target, message", [
    ("wire#nope", "has no fact or note 'nope'"),
    ("nowhere#vote", "unknown cross-reference target 'nowhere'"),
])
def test_unknown_embed_target_is_a_located_error(tmp_path, target, message):
    body = "First paragraph.\n\n" + f"![[{target}]]\n"
    root = tiny.write(tmp_path, _project(topic_body=body))
    code, _, err, site = tiny.build(root)
    assert code == 1
    assert not site.exists()
    errors = tiny.diagnostics(err, "error")
    assert len(errors) == 1, err
    found = errors[0]
    text = (root / "content/topics/election.md").read_text(encoding="utf-8")
    line, col = tiny.position(text, f"![[{target}]]")
    assert (found["path"], found["line"]) == ("content/topics/election.md", line)
    assert found["col"] in (col, col + 1)  # at the '!' or at the '[[' that follows it
    assert message in found["message"]
    assert len(error_lines(err)) == 1


def test_embed_in_source_commentary(tmp_path):
    site = _built(tmp_path, commentary="Our commentary.\n\n![[#vote]]\n")
    page = parse(site / "sources" / "wire" / "index.html")
    embeds = page.select("section.commentary div.embed")
    assert len(embeds) == 1
    box = embeds[0].find("article", class_="fact")
    assert _text(box.select_one(".fact-statement")) == VOTE
    assert _text(box.select_one("blockquote.fact-quote")) == VOTE_QUOTE
    # the fact's own box keeps its id, once
    assert len(page.select("article#fact-vote")) == 1
    assert box.get("id") is None
    assert _duplicate_ids(page) == []
    _assert_references_resolve(page)


def test_embed_in_a_fact_note(tmp_path):
    site = _built(tmp_path, detained_note="Compare the dispute:\n\n![[#rigged]]\n")
    page = parse(site / "sources" / "wire" / "index.html")
    home = page.select_one("article#fact-detained")
    embeds = home.select("div.fact-note div.embed")
    assert len(embeds) == 1
    box = embeds[0].find("aside", class_="note")
    assert _text(box.select_one("blockquote.note-quote")) == "Critics called the result rigged"
    assert len(page.select("aside#note-rigged")) == 1
    assert _duplicate_ids(page) == []
    _assert_references_resolve(page)


def test_same_fact_embedded_in_commentary_and_in_a_fact_note_gives_no_duplicate_ids(tmp_path):
    site = _built(tmp_path, commentary="Our commentary.\n\n![[#vote]]\n",
                  detained_note="Compare:\n\n![[#vote]]\n")
    page = parse(site / "sources" / "wire" / "index.html")
    assert len(page.select("div.embed article.fact")) == 2
    assert _duplicate_ids(page) == []
    _assert_references_resolve(page)
