"""Every page in a real browser: no request leaves the site, no console error or uncaught exception,
nothing wider than a small phone, and axe-core finds no serious or critical accessibility problem."""

from __future__ import annotations

import json

import pytest

from ..helpers import built_real_site, static_server
from .conftest import PROJECT

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
SAMPLE = ["", "sources/cnn-security-forces-embrace/", "topics/tsikhanouskaya/", "claims/people-detained/",
          "claims/lukashenko-vote-share/", "timeline/", "search/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = built_real_site(tmp_path_factory.mktemp("reading") / "site")
    paths = sorted(p.relative_to(out).as_posix().removesuffix("index.html") for p in out.rglob("*.html"))
    with static_server(out) as origin:
        yield origin + "/", paths


def test_no_request_leaves_the_site_and_nothing_goes_wrong_on_any_page(browser, site):
    origin, paths = site
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    outside, problems = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(origin) else None)
    page.on("console", lambda m: problems.append(f"{page.url}: console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: uncaught {e}"))
    too_wide = []
    for path in paths:
        page.goto(origin + path)
        page.wait_for_load_state("networkidle")
        if page.evaluate("document.documentElement.scrollWidth") > 360:
            too_wide.append(path)
    page.goto(origin + "search/?q=Okrestina")
    page.wait_for_selector("#search-results li")
    context.close()
    assert len(paths) >= 60
    assert outside == []
    assert problems == []
    assert too_wide == []


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text())
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))")
    return [v for v in json.loads(found) if v["impact"] in ("serious", "critical")]


def _report(path: str, violations: list[dict]) -> list[str]:
    return [f"{path or '/'}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations]


def test_axe_finds_no_serious_problem_on_any_page(browser, site):
    origin, paths = site
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = []
    for path in paths:
        page.goto(origin + path)
        found += _report(path, _axe(page))
    context.close()
    assert found == []


@pytest.mark.parametrize("scheme, width", [("dark", 1280), ("light", 390), ("dark", 390)])
def test_axe_in_dark_mode_and_on_a_phone(browser, site, scheme, width):
    origin, _ = site
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": width, "height": 800})
    page = context.new_page()
    found = []
    for path in SAMPLE:
        page.goto(origin + path)
        found += _report(path, _axe(page))
    context.close()
    assert found == []


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(browser, site):
    origin, _ = site
    page = browser.new_page()
    page.goto(origin + "sources/cnn-security-forces-embrace/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style != "none"
    page.close()


def test_print_layout_keeps_facts_and_notes_and_drops_navigation(browser, site):
    origin, _ = site
    page = browser.new_page()
    page.goto(origin + "sources/cnn-security-forces-embrace/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("article.fact").first.is_visible()
    assert page.locator("aside.note").first.is_visible()
    page.close()


def test_boxes_sit_beside_the_text_on_wide_screens_and_at_their_passage_on_narrow_ones(browser, site):
    origin, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(origin + "sources/cnn-security-forces-embrace/")
    first = page.locator("article.fact").first
    fact_id = first.get_attribute("id")
    assert page.evaluate(f"document.getElementById('{fact_id}').closest('.annotations') !== null")
    page.set_viewport_size({"width": 390, "height": 800})
    page.wait_for_function(f"document.getElementById('{fact_id}').closest('.seed-text') !== null")
    # the box follows the paragraph that holds its passage (or another box placed there)
    assert page.evaluate(f"""(() => {{
        const box = document.getElementById('{fact_id}');
        let before = box.previousElementSibling;
        while (before && before.matches('article.fact, aside.note')) before = before.previousElementSibling;
        return before !== null && before.contains(document.getElementById('q-{fact_id}'));
    }})()""")
    assert not page.locator(".annotations").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(f"document.getElementById('{fact_id}').closest('.annotations') !== null")
    ids = page.evaluate("[...document.querySelectorAll('.annotations article.fact')].map(e => e.id)")
    assert ids[0] == fact_id and len(ids) == page.locator("article.fact").count()
    page.close()
