"""Test helpers: a tiny project built from a dict, the CLI run in-process, built HTML parsed.

Test modules import these (`from tests.helpers import make_project, run, MINIMAL`); conftest.py
wraps them as fixtures.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import io
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Mapping, Union
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from dossier.cli import main
from dossier.theme import THEME

ROOT = Path(__file__).resolve().parents[1]  # the real project

TEMPLATES = ROOT / "templates"  # this dossier's own overrides of the theme (THEME)
SEED_NAME = "001_test.txt"
SOURCE = "content/sources/test-report.md"

# The one seed of the minimal project. Line numbers matter to the expected diagnostics in
# tests/cases/: line 1 the bare URL, 3 the detentions, 5 the vote, 7 the Russian paragraph.
SEED = (
    "https://example.org/news/belarus-election\n"
    "\n"
    "Minsk. Police detained 3000 people in Minsk on Sunday night, the Interior Ministry said.\n"
    "\n"
    "Lukashenko received 80.08 percent of the vote, the election commission said. "
    "Critics say the figure was \u201crigged\u201d.\n"
    "\n"
    "\u041c\u0438\u043d\u0441\u043a \u0432\u044b\u0448\u0435\u043b \u043d\u0430 \u0443\u043b\u0438\u0446\u044b. "
    "\u0422\u044b\u0441\u044f\u0447\u0438 \u043b\u044e\u0434\u0435\u0439 \u043f\u0440\u0438\u0448\u043b\u0438 "
    "\u043d\u0430 \u043f\u043b\u043e\u0449\u0430\u0434\u044c.\n"
)

# Line numbers here are relied on by tests/cases/*/expected.txt: keep them stable.
SOURCE_TEXT = """\
---
seed: 001_test.txt
title: Protests after the vote
outlet: Test Wire
published: 2020-08-10
topics: [election]
facts:
  - id: detained-3000
    claim: detentions
    statement: Police detained 3,000 people on election night.
    value: 3000
    unit: people
    date: 2020-08-09
    by: Interior Ministry
    quote: Police detained 3000 people in Minsk on Sunday night
  - id: vote-80
    claim: vote-share
    statement: Lukashenko received 80.08 percent of the vote.
    value: 80.08
    unit: percent
    date: 2020-08-09
    by: Central Election Commission
    quote: Lukashenko received 80.08 percent of the vote
notes:
  - id: rigged
    quote: Critics say the figure was "rigged"
    kind: dispute
    text: The opposition disputes the figure; see [[minsk]] and [[#vote-80]].
---
The wire's commentary on [[vote-share|the vote]].
"""

MINIMAL: dict[str, Union[str, bytes]] = {
    "config.yaml": "title: Test dossier\nbase_url: /\n",
    f"seeds/{SEED_NAME}": SEED,
    SOURCE: SOURCE_TEXT,
    "content/topics/minsk.md": (
        "---\ntitle: Minsk\nkind: place\naliases:\n  - \u041c\u0438\u043d\u0441\u043a\n"
        "summary: Capital of Belarus.\n---\nThe capital.\n"
    ),
    "content/topics/election.md": "---\ntitle: Election\nsummary: The vote of 9 August 2020.\n---\nThe vote.\n",
    "content/claims.yaml": (
        "detentions:\n  title: Number of people detained\n  unit: people\n"
        "vote-share:\n  title: Lukashenko's share of the vote\n  unit: percent\n  topics: [election]\n"
    ),
    "content/index.md": "---\ntitle: Test dossier\n---\nAn introduction linking [[test-report]].\n",
}

Files = Mapping[str, Union[str, bytes, None]]


def make_project(tmp_path: Path, files: Files = MINIMAL, name: str = "project") -> Path:
    """Write `files` (relative path -> text or bytes; None leaves the file out) under tmp_path/name,
    with a copy of the real templates. Returns the project root."""
    root = tmp_path / name
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES, root / "templates", dirs_exist_ok=True)
    write_files(root, files)
    return root


def write_files(root: Path, files: Files, errors: str = "strict") -> None:
    """Write `files` (relative path -> text or bytes; None leaves the file out) under `root`, text
    as UTF-8 with its line ends as given (`errors="surrogatepass"` lets fuzzed text through)."""
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", errors))


def copy_real_project(target: Path) -> Path:
    """A throwaway copy of the real project's inputs (config, content, seeds, templates) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("config.yaml", "content", "seeds", "templates"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
    return target


def override(root: Path, name: str) -> Path:
    """The project's own copy of the theme's template or asset `name` (e.g. `claim.html`,
    `static/dossier.css`), copied from the theme first if the project has none: the file to edit."""
    path = root / "templates" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME / name, path)
    return path


def patched(changes: Files) -> dict:
    """A copy of MINIMAL with `changes` applied (None removes a file)."""
    files = dict(MINIMAL)
    for rel, content in changes.items():
        if content is None:
            files.pop(rel, None)
        else:
            files[rel] = content
    return files


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process on project `root`: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(args), default_root=root, stdout=out, stderr=err)
    except SystemExit as exc:  # argparse: --help, usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()


def parse(path: Path) -> BeautifulSoup:
    """A built HTML file, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def error_lines(stderr: str) -> list[str]:
    """The first line of each diagnostic (hints are indented, the closing summary is dropped)."""
    return [line for line in stderr.splitlines()
            if line and not line.startswith(" ") and not line.startswith("build failed:")]


def tree_digest(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file below `folder` (empty folders included as '<dir>')."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = "<dir>" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def squash(text: str) -> str:
    """All white space removed (to compare texts whose line breaks and spacing may differ)."""
    return "".join(text.split())


@contextlib.contextmanager
def static_server(folder: Path, mount: str = "/"):
    """Serve `folder` over HTTP at `mount` (as GitHub Pages serves a project site at /<repo>/);
    anything outside `mount` is a 404. Yields the origin, e.g. http://127.0.0.1:PORT."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            path = urlsplit(path).path
            inside = path.startswith(mount)
            return super().translate_path("/" + path[len(mount):] if inside else "/__outside_the_site__")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def built_real_site(out: Path, *args: str) -> Path:
    """The real dossier built into `out` (never into the project's own site/)."""
    assert main(["build", "-C", str(ROOT), "--out", str(out), "-q", *args]) == 0
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_preview(root: Path, log=subprocess.DEVNULL, seconds: float = 30.0):
    """`build.py serve` on project `root`, on a free port, until the block ends. Yields the port.
    Its output goes to `log` (a pipe nobody reads would fill up and block the server)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "-C", str(root), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with status {process.returncode}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"serve did not listen on port {port} within {seconds} s")
            time.sleep(0.05)
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
