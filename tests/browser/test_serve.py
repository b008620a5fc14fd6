"""`build.py serve` in a real browser: edits appear by themselves, errors show and go away."""

from __future__ import annotations

import re
import urllib.request

from tests.helpers import override

SOURCE = "cnn-security-forces-embrace"


def connected(page) -> None:
    """Wait until the page's live-reload socket has finished its handshake with the server."""
    page.wait_for_function("window.LiveReload && window.LiveReload.connector.protocol > 0", timeout=10000)
    page.wait_for_timeout(200)  # the server registers the page on the message that follows


def _statement(text: str) -> str:
    return re.search(r"^\s+statement: (.+)$", text, re.M).group(1)


def test_an_edited_fact_shows_without_reloading(served, page):
    root, url = served
    page.goto(f"{url}/sources/{SOURCE}/")
    connected(page)
    path = root / "content" / "sources" / f"{SOURCE}.md"
    text = path.read_text()
    path.write_text(text.replace(_statement(text), "A statement the editor just rewrote", 1))
    page.wait_for_selector(".fact-statement:text-is('A statement the editor just rewrote')", timeout=3000)


def test_broken_yaml_shows_file_and_line_then_the_page_returns(served, page):
    root, url = served
    page.goto(f"{url}/sources/{SOURCE}/")
    connected(page)
    path = root / "content" / "sources" / f"{SOURCE}.md"
    text = path.read_text()
    line = text.split("\n").index("facts:") + 1
    path.write_text(text.replace("\nfacts:\n", "\nfacts: [\n", 1))
    overlay = page.wait_for_selector("#dossier-build-error", timeout=3000)
    message = overlay.inner_text()
    assert f"content/sources/{SOURCE}.md:{line + 1}:" in message or f"content/sources/{SOURCE}.md:{line}:" in message
    assert "YAML syntax error" in message
    assert page.locator("h1").first.inner_text()  # the last good page is still there under the overlay
    path.write_text(text)
    page.wait_for_selector("#dossier-build-error", state="detached", timeout=3000)
    page.wait_for_selector(".fact", timeout=5000)  # (the page reloads once the errors are gone)
    assert page.locator(".fact").count() > 0


def test_a_stylesheet_change_restyles_without_a_reload(served, page):
    root, url = served
    page.goto(f"{url}/sources/{SOURCE}/")
    connected(page)
    page.evaluate("window.__not_reloaded = true")
    css = override(root, "static/dossier.css")
    css.write_text(css.read_text() + "\nbody { background-color: rgb(1, 2, 3); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=3000)
    assert page.evaluate("window.__not_reloaded === true")


def test_unknown_paths_get_the_404_page_and_nothing_outside_is_served(served):
    _, url = served
    for path in ("/no/such/page/", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.dossier"):
        try:
            urllib.request.urlopen(url + path)
            raise AssertionError(f"{path} answered 200")
        except urllib.error.HTTPError as error:
            assert error.code in (400, 404)
            assert b"root:" not in error.read()
