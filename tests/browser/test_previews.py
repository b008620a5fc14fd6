"""Previews of cross-references, in a real browser, over the built site served by a plain HTTP server."""

from __future__ import annotations

import pytest

from ..helpers import built_real_site, static_server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with static_server(built_real_site(tmp_path_factory.mktemp("previews") / "site")) as origin:
        yield origin


def test_hovering_a_fact_reference_shows_the_fact_box(site, page):
    page.goto(f"{site}/claims/lukashenko-vote-share/")
    link = page.locator(".claim-note a.xref-note, .claim-note a.xref-fact, .claim-note a.xref").first
    link.hover()
    tip = page.wait_for_selector("#dossier-preview", timeout=3000)
    assert tip.get_attribute("role") == "tooltip"
    assert link.get_attribute("aria-describedby") == "dossier-preview"
    assert tip.inner_text().strip()


def test_focusing_a_topic_reference_shows_its_heading_and_escape_hides_it(site, page):
    page.goto(f"{site}/sources/cnn-security-forces-embrace/")
    link = page.locator(".commentary a.xref-topic").first
    title = link.inner_text()
    link.focus()
    tip = page.wait_for_selector("#dossier-preview", timeout=3000)
    assert tip.query_selector("h1") is not None
    assert tip.query_selector("[id]") is None  # no duplicate ids from the copied content
    page.keyboard.press("Escape")
    page.wait_for_selector("#dossier-preview", state="detached", timeout=3000)
    assert title


def test_without_javascript_the_links_still_work(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/sources/cnn-security-forces-embrace/")
    link = page.locator(".commentary a.xref-topic").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"{site}{href}")
    assert page.locator("h1").inner_text()
    context.close()


def test_copy_link_copies_the_permalink(browser, site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/sources/cnn-security-forces-embrace/")
    box = page.locator("article.fact").first
    href = box.locator("a.permalink").get_attribute("href")
    box.locator("button.copy-link").click()
    page.wait_for_function("document.querySelector('article.fact button.copy-link').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site}{href}"
    context.close()
