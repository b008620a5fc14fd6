"""Publishing on GitHub Pages: the workflow is valid, and the built site works at a domain root and
under a project sub-path when served by a real HTTP server: every page, link and asset answers 200."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml

from dossier.cli import main

from .helpers import static_server

PROJECT = Path(__file__).resolve().parents[1]


def test_pages_workflow_is_valid_for_github():
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows",
                           str(PROJECT / ".github/workflows/pages.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pages_workflow_checks_then_builds_with_the_pages_base_path():
    text = (PROJECT / ".github/workflows/pages.yml").read_text()
    for needed in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@",
                   "workflow_dispatch", "branches: [main]", "cache: pip"):
        assert needed in text
    assert text.index("python build.py check") < text.index("python build.py build --base-url")
    assert "steps.pages.outputs.base_url" in text


def test_pages_workflow_restores_and_saves_the_build_cache_before_building():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    cache = next(step for step in steps if str(step.get("uses", "")).startswith("actions/cache@"))
    build = next(n for n, step in enumerate(steps) if "build.py build" in step.get("run", ""))
    assert steps.index(cache) < build
    assert cache["with"]["path"] == ".dossier-cache"
    key, fallbacks = cache["with"]["key"], cache["with"]["restore-keys"].splitlines()
    assert "dossier/__init__.py" in key and "requirements" in key and "github.sha" in key
    assert all(key.startswith(fallback.split("$")[0]) for fallback in fallbacks) and fallbacks[-1] == "dossier-cache-v1-"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


@pytest.mark.parametrize("base", ["/belarus-dossier/", "/"])
def test_every_page_link_and_asset_answers_200(tmp_path, base):
    out = tmp_path / "site"
    assert main(["build", "-C", str(PROJECT), "--out", str(out), "--base-url", base, "-q"]) == 0
    with static_server(out, base) as origin:
        seen, queue, pages = set(), [origin + base], 0
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            with urllib.request.urlopen(url) as response:
                assert response.status == 200, url
                body = response.read()
                kind = response.headers.get("Content-Type", "")
            if "html" in kind:
                pages += 1
                parser = _Links()
                parser.feed(body.decode("utf-8"))
                for link in parser.links:
                    target = urljoin(url, link).split("#", 1)[0]
                    if target.startswith(origin):
                        assert urlsplit(target).path.startswith(base), f"{url} links outside {base}: {link}"
                        queue.append(target)
        assert pages >= 60
        assert any(u.endswith("/assets/dossier.css") for u in seen)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(origin + base + "no/such/page/")


def test_404_page_works_at_any_depth_under_a_sub_path(tmp_path):
    out = tmp_path / "site"
    assert main(["build", "-C", str(PROJECT), "--out", str(out), "--base-url", "/belarus-dossier/", "-q"]) == 0
    parser = _Links()
    parser.feed((out / "404.html").read_text())
    assert parser.links and all(link.startswith(("/belarus-dossier/", "#", "http")) for link in parser.links)


def test_feed_parses_and_lists_every_source(tmp_path):
    out = tmp_path / "site"
    assert main(["build", "-C", str(PROJECT), "--out", str(out), "--base-url", "https://example.github.io/belarus-dossier/", "-q"]) == 0
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == len(list((PROJECT / "content/sources").glob("*.md")))
    assert all(e.link.startswith("https://example.github.io/belarus-dossier/sources/") for e in feed.entries)
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://example.github.io/belarus-dossier/sources/" in sitemap
    robots = (out / "robots.txt").read_text()
    assert "Sitemap: https://example.github.io/belarus-dossier/sitemap.xml" in robots
    index = (out / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.github.io/belarus-dossier/">' in index
    assert (out / ".nojekyll").exists() and not (out / "CNAME").exists()


def test_cname_is_written_when_configured(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    for name in ("content", "seeds", "templates"):
        shutil.copytree(PROJECT / name, root / name)
    (root / "config.yaml").write_text((PROJECT / "config.yaml").read_text().replace(
        "base_url: /", "base_url: https://dossier.example.org/\ncname: dossier.example.org"))
    assert main(["build", "-C", str(root), "-q"]) == 0
    assert (root / "site/CNAME").read_text() == "dossier.example.org\n"
    assert 'href="https://dossier.example.org/sources/' in (root / "site/feed.xml").read_text()
