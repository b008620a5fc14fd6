"""`build.py publish` commits the site to gh-pages and pushes it, never touching the working tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .helpers import copy_real_project, run

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def identity(monkeypatch):
    """A committer identity, as a CI machine may have none configured."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Dossier test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    """A git repository holding a copy of the real project, with a bare remote beside it."""
    root = copy_real_project(tmp_path / "work")
    (root / ".gitignore").write_text("site/\n.dossier-cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "add", ".")
    git(root, "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-q", "-m", "content")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    return root, remote


def snapshot(root: Path) -> tuple:
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain"), git(root, "diff", "--cached")


def test_publish_commits_the_site_and_pushes_it(repo, tmp_path):
    root, remote = repo
    before = snapshot(root)
    code, out, err = run(root, "publish", "--base-url", "/belarus-dossier/", "--push", "-m", "Publish")
    assert code == 0, err
    assert "committed site/ to branch gh-pages" in out and "pushed gh-pages to origin" in out
    assert snapshot(root) == before  # working tree, index and HEAD untouched
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "--branch", "gh-pages", str(remote), str(checkout))
    published = sorted(p.relative_to(checkout).as_posix() for p in checkout.rglob("*")
                       if p.is_file() and ".git" not in p.parts)
    built = sorted(p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*") if p.is_file())
    assert published == built
    assert ".nojekyll" in published and "index.html" in published
    assert (checkout / "index.html").read_bytes() == (root / "site" / "index.html").read_bytes()
    assert b'href="/belarus-dossier/sources/' in (checkout / "index.html").read_bytes()
    assert git(checkout, "log", "-1", "--format=%s") == "Publish"


def test_publishing_again_adds_a_commit_on_top(repo):
    root, _ = repo
    assert run(root, "publish")[0] == 0
    first = git(root, "rev-parse", "gh-pages")
    assert run(root, "publish")[0] == 0
    assert git(root, "rev-parse", "gh-pages^") == first
    assert git(root, "rev-parse", "HEAD") != git(root, "rev-parse", "gh-pages")


def test_publish_outside_a_repository_is_a_clear_error(tmp_path):
    root = copy_real_project(tmp_path / "plain")
    code, out, err = run(root, "publish")
    assert code == 1
    assert "error: git rev-parse" in err and "Traceback" not in err
