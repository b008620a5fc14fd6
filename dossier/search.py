"""Full-text search with no server: Pagefind indexes the rendered pages into a static bundle.

The bundle depends only on the HTML it indexes, so it is cached (outside the site, in
`.dossier-cache/search/`, safe to delete) under a digest of that HTML: an unchanged site, or a
preview rebuild that changed nothing a reader can search, reuses it instead of running Pagefind."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping, Optional

from .diagnostics import Diagnostic, Location, error
from .write import write_files

BUNDLE = "pagefind/"
_KEEP = 3  # cached bundles kept
_running: set = set()  # Pagefind processes under way (a preview stops them when it stops)


class Stopped(Exception):
    """The Pagefind run was stopped by `stop_indexing` (the pages it was indexing are outdated)."""


def stop_indexing() -> None:
    """Stop every Pagefind run of this process (a preview indexes in the background, and stops
    when it ends or when an edit makes the pages being indexed outdated)."""
    for process in list(_running):
        process.stopped = True
        process.kill()


def indexed(files: Mapping[str, bytes]) -> list[str]:
    """The pages Pagefind indexes, sorted: those marked `data-pagefind-body` when any page is
    (Pagefind skips the others, so they are not given to it: the bundle is the same, made
    sooner), else every HTML page."""
    pages = sorted(p for p in files if p.endswith(".html"))
    marked = [p for p in pages if b"data-pagefind-body" in files[p]]
    return marked or pages


def digest(files: Mapping[str, bytes], pages: list[str]) -> str:
    """What the bundle depends on: the paths and bytes of the indexed pages."""
    h = hashlib.sha256(b"dossier-search-2\0")
    for path in pages:
        h.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return h.hexdigest()[:32]


def search_bundle(files: Mapping[str, bytes], cache: Optional[Path],
                  background: bool = False) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The Pagefind bundle for the HTML pages of `files`, keyed by output path (`pagefind/…`).
    `background`: Pagefind runs at the lowest CPU priority, so that it never slows a rebuild.
    Raises `Stopped` if `stop_indexing` stopped the run."""
    pages = indexed(files)
    key = digest(files, pages)
    cached = cache / key if cache else None
    if cached and (cached / "pagefind-entry.json").is_file():
        return _read(cached), []
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    # scratch space inside the cache when there is one, so an interrupted run leaves nothing in /tmp
    # (mkdtemp, not TemporaryDirectory: a preview stopped mid-indexing must not clean up under
    # Pagefind at exit; a scratch folder left behind is removed by a later run)
    scratch = Path(tempfile.mkdtemp(prefix=".scratch-", dir=cache))
    try:
        write_files(scratch / "site", {path: files[path] for path in pages})
        bundle = scratch / "pagefind"  # (written by Pagefind beside the pages, then renamed into the cache)
        command = [*_pagefind(), "--site", str(scratch / "site"), "--output-path", str(bundle)]
        if background and shutil.which("nice"):
            command = ["nice", "-n", "19", *command]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
            _running.add(process)
            try:
                stdout, stderr = process.communicate()
            finally:
                _running.discard(process)
        if getattr(process, "stopped", False):
            raise Stopped()
        if process.returncode != 0:
            reason = (stderr or stdout).strip().splitlines()[-1:] or ["no output"]
            return {}, [error(Location("pagefind", 0, 0), f"search indexing failed: {reason[0]}",
                              "is the pinned 'pagefind[bin]' installed? (pip install -r requirements.txt)")]
        if not bundle.is_dir():  # nothing to index
            return {}, []
        found = _read(bundle)
        if cached:
            _store(bundle, cached)
        return found, []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _pagefind() -> list[str]:
    """The command that runs Pagefind: its binary, from the pinned `pagefind[bin]` package (run
    directly: `python -m pagefind` would start a second Python to find it, a tenth of a second
    on every build), or the module if the binary package is missing."""
    try:
        from pagefind_bin import get_executable
        return [str(get_executable())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


def _read(folder: Path) -> dict[str, bytes]:
    return {BUNDLE + p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _store(bundle: Path, cached: Path) -> None:
    """Keep this bundle in the cache: moved there whole in one rename (the scratch folder is in
    the cache folder, so never half a bundle, and nothing is copied)."""
    try:
        bundle.rename(cached)
    except OSError:  # another build stored the same bundle first
        pass
    entries = sorted((p for p in cached.parent.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    for stale in cached.parent.glob(".scratch-*"):  # left by a run that was killed
        if stale.stat().st_mtime < time.time() - 3600:
            shutil.rmtree(stale, ignore_errors=True)
    for old in entries[:-_KEEP]:
        shutil.rmtree(old, ignore_errors=True)
