"""Previews of cross-references, in a real browser, over the built site served by a plain HTTP server."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from dossier.cli import main
from .conftest import PROJECT


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["build", "-C", str(PROJECT), "--out", str(out), "-q"]) == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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
