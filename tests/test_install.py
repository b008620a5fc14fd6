"""The engine as a user installs it: a wheel, installed into a fresh virtual environment with no
package index (the pinned requirements come from a local folder of wheels), gives the `dossier`
command, which starts a dossier, builds it, imports a web page and serves the preview.

The wheel is built from a copy of the repository (building leaves `build/` behind). The folder of
wheels is filled once by `pip download -r requirements.txt` and kept beside the test environment,
so a later run asks the index only whether the pins are all there."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.helpers import ROOT, free_port
from tests.test_new import PAGE

WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
NAMELESS = (PAGE.replace('<meta property="og:site_name" content="Example News">', "")  # a page that names no outlet
            .replace('<meta property="og:url" content="https://news.example.org/world/minsk-march">', "")
            .replace(" | Example News</title>", "</title>"))


def _pip(*args: str, python: str = sys.executable) -> None:
    done = subprocess.run([python, "-m", "pip", "--disable-pip-version-check", "-q", *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def dossier_command(tmp_path_factory) -> Path:
    """The `dossier` command of a fresh virtual environment with the engine's wheel installed."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "requirements.txt", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    shutil.copytree(ROOT / "dossier", source / "dossier", ignore=shutil.ignore_patterns("__pycache__"))
    _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(base / "dist"), str(source))
    _pip("download", "-r", str(ROOT / "requirements.txt"), "-d", str(WHEELHOUSE))
    venv.EnvBuilder(with_pip=True).create(base / "venv")
    wheel = next((base / "dist").glob("annotated_dossier-*.whl"))
    _pip("install", "--no-index", "--find-links", str(WHEELHOUSE), str(wheel), python=str(base / "venv/bin/python"))
    return base / "venv/bin/dossier"


def dossier(command: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(command), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_installed_command_starts_and_builds_a_dossier(dossier_command, tmp_path):
    done = dossier(dossier_command, "init", "my-dossier", "--title", "Floods of 2024", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    root = tmp_path / "my-dossier"
    done = dossier(dossier_command, "build", cwd=root)
    assert (done.returncode, done.stderr) == (0, "")
    page = BeautifulSoup((root / "site/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("h1").get_text(strip=True) == "Floods of 2024"
    assert (root / "site/assets/dossier.css").read_bytes() == (ROOT / "dossier/theme/templates/static/dossier.css").read_bytes()


def test_the_installed_command_takes_a_web_page_and_the_build_names_what_is_left(dossier_command, tmp_path):
    assert dossier(dossier_command, "init", "d", cwd=tmp_path).returncode == 0
    root = tmp_path / "d"
    (tmp_path / "page.html").write_text(NAMELESS)
    done = dossier(dossier_command, "new", str(tmp_path / "page.html"), cwd=root)
    assert done.returncode == 0, done.stderr
    done = dossier(dossier_command, "check", "-C", str(root), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "content/sources/thousands-march-in-minsk-against-the.md:4:9: error: outlet is not filled in"


def _listening(port: int, process: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"serve did not listen on port {port}")


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode("utf-8")


def _served(command: Path, root: Path) -> tuple[int, str]:
    """`dossier serve` started on a free port, the front page fetched, the server stopped."""
    port = free_port()
    process = subprocess.Popen([str(command), "serve", "--port", str(port)], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _listening(port, process)
        return _fetch(f"http://127.0.0.1:{port}/")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_installed_command_serves_the_preview(dossier_command, tmp_path):
    assert dossier(dossier_command, "init", "d", "--title", "Served", cwd=tmp_path).returncode == 0
    status, html = _served(dossier_command, tmp_path / "d")
    assert status == 200
    assert BeautifulSoup(html, "html.parser").find("h1").get_text(strip=True) == "Served"


def test_the_preview_shows_a_placeholder_left_unfilled(dossier_command, tmp_path):
    assert dossier(dossier_command, "init", "d", cwd=tmp_path).returncode == 0
    (tmp_path / "page.html").write_text(PAGE.replace("2020-08-16T18:30:00+03:00", "soon"))
    assert dossier(dossier_command, "new", str(tmp_path / "page.html"), cwd=tmp_path / "d").returncode == 0
    status, html = _served(dossier_command, tmp_path / "d")
    overlay = BeautifulSoup(html, "html.parser").find(id="dossier-build-error")
    assert overlay is not None, html
    assert [item.get_text() for item in overlay.find_all("li")][0].startswith(
        "content/sources/thousands-march-in-minsk-against-the.md:5:12: error: published is not filled in")
