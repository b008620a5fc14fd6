"""A fact box's link to its passage in the original, in Chromium: the href parses with `new URL()`,
its text directive decodes to the quote, and following it scrolls the original page to that
passage (the second of two alike, far down the page), not to the first."""

from __future__ import annotations

import html

import pytest

from .. import tiny
from ..helpers import static_server

FIRST = "Police detained about 3,000 people overnight, the Interior Ministry said on Monday."
FILLER = "Background paragraph: it says nothing new about the night."
LAST = "Later that week: police detained about 3,000 people overnight again, officials said."
QUOTE = "detained about 3,000 people overnight"
SEED = "\n\n".join([FIRST] + [FILLER] * 80 + [LAST]) + "\n"

# the directive's terms, decoded as the spec says (split on commas, a prefix ends and a suffix
# starts with '-', then each term percent-decoded), read from the link's own URL object
DECODE = """(a) => {
  const url = new URL(a.href);
  const directive = url.hash.split(':~:')[1];
  if (!directive || !directive.startsWith('text=')) return null;
  const tokens = directive.slice(5).split(',');
  const found = {prefix: '', start: '', end: '', suffix: '', origin: url.origin, path: url.pathname};
  if (tokens[0].endsWith('-')) found.prefix = decodeURIComponent(tokens.shift().slice(0, -1));
  if (tokens.length && tokens[tokens.length - 1].startsWith('-')) found.suffix = decodeURIComponent(tokens.pop().slice(1));
  found.start = decodeURIComponent(tokens[0]);
  if (tokens.length === 2) found.end = decodeURIComponent(tokens[1]);
  found.quote = a.closest('article').querySelector('.fact-quote').textContent.trim();
  return found;
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(the dossier's origin, the original's origin): the original is a page of its own, served
    apart (another origin, as a news site would be)."""
    folder = tmp_path_factory.mktemp("original")
    (folder / "night.html").write_text("<!doctype html><html lang=en><meta charset=utf-8><title>Night</title><body>"
                                       + "".join(f"<p>{html.escape(p)}</p>" for p in SEED.split("\n\n")) + "</body></html>",
                                       encoding="utf-8")
    with static_server(folder) as original:
        source = tiny.source_md("001_night.txt", title="Night", outlet="Wire", published="2020-08-14",
                                url=f"{original}/night.html",
                                facts=[tiny.fact("again", QUOTE, occurrence=2, value=3000, unit="people", by="officials")])
        root = tiny.write(tmp_path_factory.mktemp("dossier"), tiny.files({"001_night.txt": SEED}, {"night": source}))
        code, _, err, out = tiny.build(root)
        assert code == 0, err
        with static_server(out) as dossier:
            yield dossier, original


def test_the_link_carries_a_valid_text_fragment_for_the_quote(sites, page):
    dossier, original = sites
    page.goto(f"{dossier}/sources/night/")
    link = page.locator("#fact-again a.in-original")
    found = link.evaluate(DECODE)
    assert found is not None
    assert (found["origin"], found["path"]) == (original, "/night.html")
    assert found["quote"] == QUOTE
    shown = found["start"] + (" … " + found["end"] if found["end"] else "")
    assert found["quote"].startswith(found["start"]) and found["quote"].endswith(found["end"] or found["start"]), shown
    assert found["prefix"] or found["suffix"]  # the quote appears twice: context tells them apart
    context = " ".join(t for t in (found["prefix"], found["quote"], found["suffix"]) if t)
    assert " ".join(SEED.split()).count(context) == 1


def test_following_the_link_shows_the_second_passage_not_the_first(sites, page):
    dossier, _ = sites
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(f"{dossier}/sources/night/")
    page.locator("#fact-again a.in-original").click()
    page.wait_for_url("**/night.html*")
    page.wait_for_function("window.scrollY > 1000", timeout=10000)
    top = page.evaluate("document.querySelector('p:last-of-type').getBoundingClientRect().top")
    assert 0 <= top < 600
