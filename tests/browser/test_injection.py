"""Script injection: every payload of tests/payloads.txt placed into a tiny dossier — in the seed text
(each payload a paragraph of its own) and in at least one other field (plain text fields: source
title/outlet/nature, fact statement/by/unit/value, topic title/alias/summary, claim title/unit,
config title/description/editor, index title; Markdown fields: fact note, note text, topic body,
claim note, source commentary, published and translation notes, index body).

The site is built, served by a plain HTTP server, and every page is loaded in headless Chromium —
once as published (with its Content-Security-Policy) and once with the policy bypassed, so that the
escaping itself is tested and not only the policy's safety net. No dialog may open, `window.__pwned`
must stay undefined, each payload must read as literal text on the source page, and template syntax
(`{{ 7*7 }}`) must never be evaluated. The HTML is also checked statically: no event-handler
attribute, no script or active element the templates did not put there, no `javascript:`/`data:`
URL; and the exports (feed, JSON, JSON-LD, CSV) stay well-formed and inert.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import threading
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossier.theme import THEME
from tests.helpers import make_project, patched, run

PAYLOAD_FILE = Path(__file__).resolve().parents[1] / "payloads.txt"


def read_payloads() -> tuple[list[str], list[str]]:
    """(text payloads, Markdown payloads)."""
    text, markdown, current = [], [], None
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = {"## text": text, "## markdown": markdown}.get(line.strip(), current)
            continue
        if line.strip() and current is not None:
            current.append(line)
    return text, markdown


TEXT, MARKDOWN = read_payloads()
ALL = TEXT + MARKDOWN
URL_PAYLOAD = 'https://example.org/"><img/src=x/onerror=window.__pwned=1>'  # a valid url: no white space
SEED_URL_PAYLOAD = "https://example.org/'><svg/onload=window.__pwned=1>"  # the seed's bare-URL first line
SEARCHES = ["pwned", "onerror", "script", "svg", "iframe", "javascript"]
EVALUATED = ["49", "7777777", "jinjajinjajinja"]  # what {{ 7*7 }}, {{7*'7'}}, the for loop, ${7*7} would print


def q(value: str) -> str:
    """A YAML scalar that holds `value` exactly (JSON strings are YAML double-quoted scalars)."""
    return json.dumps(value, ensure_ascii=False)


def code(i: int) -> str:
    """Two letters per paragraph (no digits: "49" must not appear on any page by accident)."""
    return "abcdefghijklmnopqrstuvwxyz"[i // 26] + "abcdefghijklmnopqrstuvwxyz"[i % 26]


def distribute(items: list, places: list[str]) -> dict[str, list]:
    spread = {p: [] for p in places}
    for i, item in enumerate(items):
        spread[places[i % len(places)]].append(item)
    return spread


SINGLE = ["source.title", "source.outlet", "source.nature", "config.title", "config.description",
          "config.editor", "index.title"]
MULTI = ["fact.statement", "fact.by", "fact.unit", "fact.value", "topic.title", "topic.summary", "topic.alias",
         "claim.title", "claim.unit"]
MARKDOWN_PLACES = ["fact.note", "note.text", "topic.body", "claim.note", "source.body", "source.published_note",
                   "source.translation_note", "index.body"]


def placements() -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[str]]]:
    """(single-valued plain fields, multi-valued plain fields, Markdown fields) -> payloads."""
    single = dict(zip(SINGLE, ALL))
    multi = distribute(ALL[len(SINGLE):], MULTI)
    # Markdown: the Markdown payloads and every text payload that is not a wiki-link (an unknown
    # [[target]] is, rightly, a build error)
    markdown = distribute(MARKDOWN + [p for p in TEXT if "[[" not in p], MARKDOWN_PLACES)
    return single, multi, markdown


def payload_project(tmp_path: Path) -> Path:
    single, multi, md = placements()
    seed = SEED_URL_PAYLOAD + "\n\n" + "".join(
        f"Paragraph {code(i)} reads: {p}\n\n" for i, p in enumerate(ALL)) + "The end.\n"
    quotes = iter(f"Paragraph {code(i)} reads:" for i in range(len(ALL)))

    facts = []
    count = max(len(multi[k]) for k in ("fact.statement", "fact.by", "fact.unit", "fact.value"))
    notes_md = list(md["fact.note"])
    for i in range(count):
        lines = [f"  - id: f-{code(i)}", f"    quote: {q(next(quotes))}"]
        statement = multi["fact.statement"][i] if i < len(multi["fact.statement"]) else f"Fact {code(i)}."
        lines.append(f"    statement: {q(statement)}")
        if i < len(multi["fact.by"]):
            lines.append(f"    by: {q(multi['fact.by'][i])}")
        if i < len(multi["fact.value"]):
            lines.append(f"    value: {q(multi['fact.value'][i])}")
        elif i < len(multi["fact.unit"]):
            lines.append("    value: 1")
        if i < len(multi["fact.unit"]):
            lines.append(f"    unit: {q(multi['fact.unit'][i])}")
        if notes_md:
            lines.append(f"    note: {q(notes_md.pop())}")
        if i == 0:
            lines.append("    claim: claim-aa")
        facts.append("\n".join(lines))
    while notes_md:  # more fact notes than facts: extra facts carry them
        i = len(facts)
        facts.append(f"  - id: f-{code(i)}\n    quote: {q(next(quotes))}\n    statement: Fact {code(i)}.\n"
                     f"    note: {q(notes_md.pop())}")
    notes = [f"  - id: n-{code(i)}\n    quote: {q(next(quotes))}\n    kind: context\n    text: {q(text)}"
             for i, text in enumerate(md["note.text"])]

    source = "\n".join([
        "---", "seed: 001_payloads.txt", f"title: {q(single['source.title'])}",
        f"outlet: {q(single['source.outlet'])}", f"nature: {q(single['source.nature'])}", f"url: {q(URL_PAYLOAD)}",
        "published: 2020-08-10", "translation: machine",
        f"published_note: {q(chr(10).join(md['source.published_note']))}",
        f"translation_note: {q(chr(10).join(md['source.translation_note']))}",
        "facts:", *facts, "notes:", *notes, "---",
        "\n\n".join(md["source.body"]) + "\n",
    ])
    files = {
        "config.yaml": f"title: {q(single['config.title'])}\ndescription: {q(single['config.description'])}\n"
                       f"editor: {q(single['config.editor'])}\nbase_url: /\n",
        "seeds/001_payloads.txt": seed,
        "content/sources/injection.md": source,
        "content/index.md": f"---\ntitle: {q(single['index.title'])}\n---\n" + "\n\n".join(md["index.body"]) + "\n",
        "content/topics/minsk.md": "---\ntitle: Minsk\nkind: place\n---\nThe capital.\n",
        "content/topics/election.md": "---\ntitle: Election\n---\nThe vote.\n",
    }
    topics = max(len(multi["topic.title"]), len(multi["topic.summary"]), len(multi["topic.alias"]), len(md["topic.body"]))
    for i in range(topics):
        get = lambda key, src=multi: src[key][i] if i < len(src[key]) else None  # noqa: E731
        title, summary, alias, body = get("topic.title"), get("topic.summary"), get("topic.alias"), get("topic.body", md)
        lines = ["---", f"title: {q(title or f'Topic {code(i)}')}"]
        if alias:
            lines += ["kind: person", f"aliases: [{q(alias)}]"]
        if summary:
            lines.append(f"summary: {q(summary)}")
        lines += ["---", (body or "Body.") + "\n"]
        files[f"content/topics/t-{code(i)}.md"] = "\n".join(lines)
    claims = []
    for i in range(max(len(multi["claim.title"]), len(multi["claim.unit"]), len(md["claim.note"]))):
        title = multi["claim.title"][i] if i < len(multi["claim.title"]) else f"Claim {code(i)}"
        claims.append(f"claim-{code(i)}:\n  title: {q(title)}")
        if i < len(multi["claim.unit"]):
            claims.append(f"  unit: {q(multi['claim.unit'][i])}")
        if i < len(md["claim.note"]):
            claims.append(f"  note: {q(md['claim.note'][i])}")
    files["content/claims.yaml"] = "\n".join(claims) + "\n"
    return make_project(tmp_path, files)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = payload_project(tmp_path_factory.mktemp("injection"))
    config = root / "config.yaml"  # (a host, so that the site has a sitemap to check too)
    config.write_text(config.read_text(encoding="utf-8") + "site_url: https://example.org\n", encoding="utf-8")
    status, out, err = run(root, "build")
    assert "Traceback" not in err
    assert status == 0, err
    return root / "site"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_there_are_enough_payloads_and_each_is_placed_twice():
    assert len(ALL) >= 50
    assert len(set(ALL)) == len(ALL)
    assert all(len(p) <= 300 and "\n" not in p for p in ALL)
    single, multi, md = placements()
    placed = list(single.values()) + [p for v in multi.values() for p in v]
    assert sorted(placed) == sorted(ALL)  # every payload in one plain field (and in the seed)
    assert sum(len(v) for v in md.values()) >= len(MARKDOWN)


@pytest.fixture(scope="module")
def visits(browser, site, server) -> dict:
    """Every page loaded in Chromium, as published and with the CSP bypassed:
    {mode: {"texts": {path: body text}, "pwned": [paths], "dialogs": [...], "errors": [...]}}."""
    found = {}
    for mode, bypass in (("as-published", False), ("csp-bypassed", True)):
        context = browser.new_context(bypass_csp=bypass)
        seen = found[mode] = {"texts": {}, "pwned": [], "dialogs": [], "errors": []}
        try:
            page = context.new_page()
            page.on("dialog", lambda d, seen=seen, page=page: (seen["dialogs"].append((page.url, d.type, d.message)),
                                                                d.dismiss()))
            page.on("pageerror", lambda e, seen=seen, page=page: seen["errors"].append((page.url, str(e))))
            for path in pages(site):
                page.goto(f"{server}/{path}", wait_until="load")
                page.wait_for_timeout(30)  # let error/load/focus handlers of injected elements fire
                if page.evaluate("() => typeof window.__pwned !== 'undefined'"):
                    seen["pwned"].append(path)
                seen["texts"][path] = page.inner_text("body")
            # the search page puts Pagefind's excerpts of these pages into the DOM
            seen["results"] = {}
            for query in SEARCHES:
                page.goto(f"{server}/search/?q={query}", wait_until="load")
                for _ in range(200):  # (wait_for_function evaluates a string: the page's CSP forbids that)
                    if "found" in page.evaluate("() => document.getElementById('search-status').textContent"):
                        break
                    page.wait_for_timeout(50)
                page.wait_for_timeout(30)
                if page.evaluate("() => typeof window.__pwned !== 'undefined'"):
                    seen["pwned"].append(f"search/?q={query}")
                seen["results"][query] = page.evaluate(
                    "() => [document.querySelectorAll('#search-results li').length,"
                    " Array.from(document.querySelectorAll('#search-results *')).map(e => e.tagName.toLowerCase())"
                    ".filter(t => !['li', 'ul', 'a', 'span', 'p', 'mark'].includes(t))]")
        finally:
            context.close()
    return found


MODES = ["as-published", "csp-bypassed"]


@pytest.mark.parametrize("mode", MODES)
def test_every_page_was_loaded(visits, site, mode):
    assert sorted(visits[mode]["texts"]) == pages(site)
    assert len(pages(site)) >= 20


@pytest.mark.parametrize("mode", MODES)
def test_no_payload_opens_a_dialog(visits, mode):
    assert visits[mode]["dialogs"] == []


@pytest.mark.parametrize("mode", MODES)
def test_no_payload_runs_script(visits, mode):
    assert visits[mode]["pwned"] == []


@pytest.mark.parametrize("mode", MODES)
def test_search_results_show_the_payloads_as_text(visits, mode):
    """Pagefind's excerpts go into the page with innerHTML: a payload in them must stay text."""
    results = visits[mode]["results"]
    assert sum(count for count, _ in results.values()) > 0  # the queries do find the payload pages
    assert {query: tags for query, (count, tags) in results.items() if tags} == {}


@pytest.mark.parametrize("mode", MODES)
def test_template_syntax_is_never_evaluated(visits, mode):
    found = [(path, value) for path, text in visits[mode]["texts"].items() for value in EVALUATED if value in text]
    assert found == []


def test_every_payload_reads_as_literal_text(visits):
    """Each payload is visible, character for character, in the seed text on the source page and in
    the plain-text field it was placed in (on some page)."""
    texts = visits["as-published"]["texts"]
    source = texts["sources/injection/index.html"]
    assert [p for p in ALL if p not in source] == []
    assert URL_PAYLOAD in source and SEED_URL_PAYLOAD in source
    for literal in ("{{ 7*7 }}", "{{7*'7'}}", "{% for x in range(3) %}jinja{% endfor %}", "${alert(1)}${7*7}"):
        assert literal in source
    single, multi, _ = placements()
    everywhere = "\n".join(texts.values())
    plain = [*single.values(), *(x for v in multi.values() for x in v)]
    assert [p for p in plain if p not in everywhere] == []


# -- the HTML, statically ---------------------------------------------------------------------

ACTIVE = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "foreignobject",
          "animate", "set", "handler", "listener", "video", "audio", "marquee", "details", "textarea", "noscript",
          "template", "style", "link"}
URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcdoc", "srcset")


def _template_tags() -> set:
    """Which of ACTIVE the templates themselves use (allowed)."""
    root = THEME
    found = set()
    for template in root.glob("*.html"):
        for tag in ACTIVE:
            if re.search(rf"<{tag}\b", template.read_text(encoding="utf-8"), re.I):
                found.add(tag)
    return found


def test_no_markup_is_injected_into_any_page(site):
    allowed = _template_tags()
    problems = []
    for path in pages(site):
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            name = element.name.lower()
            for attr, value in element.attrs.items():
                if attr.lower().startswith("on"):
                    problems.append(f"{path}: <{name} {attr}=…>")
                values = value if isinstance(value, list) else [value]
                if attr.lower() in URL_ATTRS:
                    for v in values:
                        squashed = re.sub(r"[\s\x00-\x1f]", "", str(v)).lower()
                        if squashed.startswith(("javascript:", "vbscript:", "data:")) or attr.lower() == "srcdoc":
                            problems.append(f"{path}: <{name} {attr}={v!r}>")
            if name == "script" and not (element.get("src", "").startswith("/assets/")
                                          or element.get("type") == "application/ld+json"):
                problems.append(f"{path}: inline <script>: {element.get_text()[:60]!r}")
            if name in ACTIVE and name not in allowed:
                problems.append(f"{path}: <{name}> element")
            if name == "meta" and element.get("http-equiv", "").lower() == "refresh":
                problems.append(f"{path}: <meta http-equiv=refresh>")
    assert problems == []


def test_json_ld_blocks_parse_and_hold_the_payloads_as_data(site):
    html = (site / "sources/injection/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert blocks
    single, _, _ = placements()
    for block in blocks:
        json.loads(block)
        assert "<" not in block  # nothing that a parser could take for a tag
    assert any(json.loads(b).get("headline") == single["source.title"] for b in blocks)


def test_exports_stay_well_formed(site):
    ET.fromstring((site / "feed.xml").read_bytes())
    ET.fromstring((site / "sitemap.xml").read_bytes())
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    statements = {f["statement"] for f in data["facts"]}
    _, multi, _ = placements()
    assert set(multi["fact.statement"]) <= statements
    json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO((site / "facts.csv").read_text(encoding="utf-8"))))
    assert len(rows) > 1


def test_facts_csv_cannot_start_a_spreadsheet_formula(site):
    """A cell starting with = + - @ (or a tab/CR before one) is run as a formula by spreadsheet
    programs (CSV injection); such values must be neutralised, e.g. prefixed with an apostrophe."""
    rows = list(csv.reader(io.StringIO((site / "facts.csv").read_text(encoding="utf-8"))))
    bad = [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "@", "\t", "\r")
           or (cell[:1] == "-" and not re.fullmatch(r"-?\d[\d.,]*", cell))]
    assert bad == []


@pytest.mark.parametrize("base_url", ['/x"><svg/onload=window.__pwned=1>/', "/x'><img/src=x/onerror=window.__pwned=1>/",
                                      'https://example.org/"><svg/onload=window.__pwned=1>/', "/javascript:alert(1)/"])
def test_a_hostile_base_url_is_refused_or_escaped(tmp_path, base_url):
    root = make_project(tmp_path, patched({"config.yaml": f"title: Test dossier\nbase_url: {q(base_url)}\n"}))
    status, out, err = run(root, "build")
    assert "Traceback" not in err
    if status == 1:
        assert any(line.startswith("config.yaml:2:") for line in err.splitlines()), err
        return
    assert status == 0, err
    site = root / "site"
    for path in pages(site):
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        assert not soup.find_all(["svg", "img"], onload=True) and not soup.find_all(onerror=True), path
        assert not [e for e in soup.find_all(True) if any(a.lower().startswith("on") for a in e.attrs)], path
