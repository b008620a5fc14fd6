"""`build.py publish`: commit the built site to a branch (gh-pages) without touching the working tree.

Like `mkdocs gh-deploy`: the site's files become the tree of a new commit on the branch, whose
parent is the branch's previous tip; git plumbing with a throwaway index does it, so the working
tree, the index and HEAD stay exactly as they were. `--push` then pushes the branch."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Optional, TextIO


class PublishError(Exception):
    """A git step failed; the message says which and why."""


def _git(root: Path, *args: str, env: Optional[dict] = None) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise PublishError(f"git {' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def commit_site(root: Path, site: Path, branch: str, message: str) -> str:
    """Commit the contents of `site` as the whole tree of `branch`; return the new commit's id."""
    _git(root, "rev-parse", "--git-dir")
    with tempfile.TemporaryDirectory() as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _git(root, "--work-tree", str(site), "add", "--all", "--force", ".", env=env)
        tree = _git(root, "write-tree", env=env)
    parent = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                            capture_output=True, text=True).stdout.strip()
    commit = _git(root, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
    _git(root, "update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else []))
    return commit


def publish(root: Path, site: Path, branch: str, remote: Optional[str], message: Optional[str],
            stdout: TextIO, stderr: TextIO) -> int:
    try:
        source = _git(root, "rev-parse", "--short", "HEAD") if _has_head(root) else "no commit"
        commit = commit_site(root, site, branch, message or f"Publish the dossier (built from {source})")
        print(f"committed {site.name}/ to branch {branch} as {commit[:12]}", file=stdout)
        if remote:
            _git(root, "push", remote, f"refs/heads/{branch}:refs/heads/{branch}")
            print(f"pushed {branch} to {remote}", file=stdout)
    except PublishError as problem:
        print(f"{root}: error: {problem}", file=stderr)
        return 1
    return 0


def _has_head(root: Path) -> bool:
    return subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD"],
                          capture_output=True).returncode == 0
