"""`build.py serve` under a storm of edits and readers.

Against a served copy of the real project: 100 rapid edits within a few seconds — a random mix of
valid edits, broken YAML, a topic deleted and restored, a file renamed and renamed back, atomic saves
(write a temporary file, then os.replace) — while 20 threads fetch pages as fast as they can. The
server never stops, never answers 5xx, never sends a truncated page (Content-Length equals the
body's length, every HTML page ends with `</html>`; a separate test asks for the final newline
too), and once the last (valid) edit is saved the
source page shows its text within ~5 s — over HTTP and, by live reload, in an open Chromium tab.
"""

from __future__ import annotations

import os
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import copy_project
from tests.helpers import running_preview

SOURCE = "cnn-security-forces-embrace"
EDITS = 100
READERS = 20
PAGES = ["/", f"/sources/{SOURCE}/", "/sources/rambler-police-resign/", "/topics/nexta/", "/topics/minsk/",
         "/claims/", "/timeline/", "/topics/", "/no-such-page/", "/assets/dossier.css", "/feed.xml"]


@pytest.fixture
def server(tmp_path):
    """(project copy, base URL, process); the server's output goes to a file (a pipe nobody reads
    would fill up and block it)."""
    root = copy_project(tmp_path)
    with (tmp_path / "serve.log").open("w") as log, running_preview(root, log) as (port, process):
        yield root, f"http://127.0.0.1:{port}", process


def atomic_write(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


class Readers:
    """Threads fetching pages until stopped; every response checked."""

    def __init__(self, base: str):
        self.base = base
        self.stop = threading.Event()
        self.problems: list[str] = []
        self.count = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.read, args=(i,), daemon=True) for i in range(READERS)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=20)

    def read(self, number: int) -> None:
        rng = random.Random(number)
        while not self.stop.is_set():
            path = rng.choice(PAGES)
            problem = self.fetch(path)
            with self.lock:
                self.count += 1
                if problem:
                    self.problems.append(problem)

    def fetch(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.base + path, timeout=15) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        except Exception as error:  # connection refused or reset, timeout, incomplete read
            return f"{path}: {type(error).__name__}: {error}"
        if status >= 500:
            return f"{path}: status {status}"
        length = headers.get("Content-Length")
        if length is not None and int(length) != len(body):
            return f"{path}: Content-Length {length} but {len(body)} bytes"
        if (headers.get("Content-Type") or "").startswith("text/html") and not body.rstrip().endswith(b"</html>"):
            return f"{path}: truncated HTML page: {body[-40:]!r}"
        return ""


def test_a_storm_of_edits_and_readers(server, browser):
    root, base, process = server
    rng = random.Random(4242)
    source = root / "content" / "sources" / f"{SOURCE}.md"
    topic = root / "content" / "topics" / "nexta.md"
    other = root / "content" / "topics" / "minsk.md"
    originals = {p: p.read_text(encoding="utf-8") for p in (source, topic, other)}
    body_end = originals[source].rstrip("\n")

    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{base}/sources/{SOURCE}/")
    tab.wait_for_function("window.LiveReload && window.LiveReload.connector.protocol > 0", timeout=10000)

    kinds = ["valid", "valid", "invalid-yaml", "delete-restore", "rename", "atomic-valid", "atomic-invalid"]
    done: dict[str, int] = {}
    with Readers(base) as readers:
        started = time.monotonic()
        for i in range(EDITS - 1):
            kind = rng.choice(kinds)
            done[kind] = done.get(kind, 0) + 1
            if kind == "valid":
                source.write_text(f"{body_end}\n\nEdit number {i}.\n", encoding="utf-8")
            elif kind == "atomic-valid":
                atomic_write(source, f"{body_end}\n\nAtomic edit number {i}.\n")
            elif kind == "invalid-yaml":
                other.write_text(originals[other].replace("title:", "title: [unclosed", 1), encoding="utf-8")
            elif kind == "atomic-invalid":
                atomic_write(other, "---\ntitle: 'unclosed\n---\nbroken\n")
            elif kind == "delete-restore":
                if topic.exists():
                    topic.unlink()
                else:
                    topic.write_text(originals[topic], encoding="utf-8")
            elif kind == "rename":
                renamed = topic.with_name("nexta-renamed.md")
                if topic.exists():
                    topic.rename(renamed)
                elif renamed.exists():
                    renamed.rename(topic)
            time.sleep(rng.uniform(0.0, 0.06))
            assert process.poll() is None, f"the server stopped after edit {i} ({kind})"
        storm = time.monotonic() - started
        # put everything back, then the last, valid edit
        (root / "content" / "topics" / "nexta-renamed.md").unlink(missing_ok=True)
        topic.write_text(originals[topic], encoding="utf-8")
        other.write_text(originals[other], encoding="utf-8")
        final = f"The final edit {uuid.uuid4().hex}"
        atomic_write(source, f"{body_end}\n\n{final}.\n")
        saved = time.monotonic()
        seen = None
        while time.monotonic() - saved < 8:
            with urllib.request.urlopen(f"{base}/sources/{SOURCE}/", timeout=10) as response:
                if final.encode() in response.read():
                    seen = time.monotonic() - saved
                    break
            time.sleep(0.05)
        time.sleep(0.5)  # readers keep reading the settled site for a moment
    assert process.poll() is None, "the server stopped"
    print(f"\nserve storm: {EDITS} edits in {storm:.2f} s ({done}); {readers.count} responses to {READERS} readers; "
          f"final text served after {seen if seen is None else round(seen, 2)} s")
    assert storm < 10
    assert readers.problems == [], readers.problems[:10]
    assert readers.count > 100
    assert seen is not None and seen <= 5, "the final edit did not show within 5 s"
    # the open tab follows by itself (live reload), without the error overlay
    tab.wait_for_function(f"document.body.innerText.includes({final!r})", timeout=5000)
    assert tab.locator("#dossier-build-error").count() == 0
    context.close()


def test_served_html_pages_end_with_a_newline(server):
    """Every HTML body ends with `</html>\\n` (a file that ends without its newline is hard to tell
    from a truncated one)."""
    _, base, _ = server
    ends = {}
    for path in PAGES:
        try:
            with urllib.request.urlopen(base + path, timeout=10) as response:
                ctype, body = response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            ctype, body = error.headers.get("Content-Type", ""), error.read()
        if ctype.startswith("text/html"):
            ends[path] = body[-len(b"</html>\n"):]
    assert ends and all(end == b"</html>\n" for end in ends.values()), ends
