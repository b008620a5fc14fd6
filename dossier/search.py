"""Full-text search with no server: Pagefind indexes the rendered pages into static bundles, one per shard.

The indexed pages are cut into documents and dealt into shards (`shards.py`); each shard is
indexed by its own Pagefind run (two at a time, one per core) and kept in `.dossier-cache/search/`
(safe to delete) under a digest of exactly the documents it indexes, so an edit re-indexes only
the shards it touches and the others are cache hits. The site gets each shard's bundle under
`pagefind/<shard>/` and the list of shards in `pagefind/shards.json`; the search page merges them
in the browser (Pagefind's `mergeIndex`), so a reader sees one ranked list."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Mapping, Optional

from .diagnostics import Diagnostic, Location, error
from .shards import SHARD_PAGES, Shard, shards
from .steady import steady
from .write import write_files

BUNDLE = "pagefind/"
MANIFEST = BUNDLE + "shards.json"
_RUNS = 2  # Pagefind runs at a time (one per core: each run is mostly single-threaded)
# what the first shard's bundle brings for the browser, and no other shard needs (merged indexes
# use the first one's code and WebAssembly); Pagefind's ready-made interfaces are not used at all
_RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.")
_UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")
_running: set = set()  # Pagefind processes under way (a preview stops them when it stops)
_stops = [0]  # how many times indexing was stopped: a run that began before a stop starts no Pagefind
_lock = threading.Lock()


class Stopped(Exception):
    """The Pagefind run was stopped by `stop_indexing` (the pages it was indexing are outdated)."""


def stop_indexing() -> None:
    """Stop every Pagefind run of this process (a preview indexes in the background, and stops
    when it ends or when an edit makes the pages being indexed outdated); shards not begun yet
    are not begun."""
    with _lock:
        _stops[0] += 1
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


def search_bundle(files: Mapping[str, bytes], cache: Optional[Path],
                  background: bool = False) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The search bundles for the HTML pages of `files`, keyed by output path (`pagefind/…`).
    `background`: Pagefind runs at the lowest CPU priority, so that it never slows a rebuild.
    Raises `Stopped` if `stop_indexing` stopped the run."""
    return sharded_bundle(files, cache, background)


def sharded_bundle(files: Mapping[str, bytes], cache: Optional[Path], background: bool = False,
                   limit: int = SHARD_PAGES) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """`search_bundle` with at most `limit` pages in a shard."""
    found = shards({path: files[path] for path in indexed(files)}, limit)
    if not found:
        return {}, []
    epoch = _stops[0]
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(min(_RUNS, len(found))) as pool:
        made = list(pool.map(lambda shard: shard_bundle(shard, cache, background, epoch), found))
    problems = [problem for _, problem in made if problem]
    if problems:
        return {}, problems[:1]  # (every shard fails alike: say it once)
    if cache:
        _prune(cache, {shard.digest for shard in found})
    return assemble(found, [bundle for bundle, _ in made]), []


def assemble(found: list[Shard], bundles: list[dict[str, bytes]]) -> dict[str, bytes]:
    """The site's `pagefind/` folder: each shard's bundle in a folder of its own, the browser's
    code in the first one only, and the list of shards (the first is the one to load)."""
    site: dict[str, bytes] = {}
    for n, (shard, bundle) in enumerate(zip(found, bundles)):
        for rel, data in bundle.items():
            if not rel.startswith(_UNUSED) and (n == 0 or not rel.startswith(_RUNTIME)):
                site[f"{BUNDLE}{shard.name}/{rel}"] = data
    names = [shard.name for shard, bundle in zip(found, bundles) if bundle]
    site[MANIFEST] = json.dumps({"shards": names}, indent=1).encode() + b"\n"
    return site


def shard_bundle(shard: Shard, cache: Optional[Path], background: bool = False,
                 epoch: Optional[int] = None) -> tuple[dict[str, bytes], Optional[Diagnostic]]:
    """One shard's bundle (paths relative to it), from the cache or from a Pagefind run."""
    cached = cache / shard.digest if cache else None
    if cached and (cached / "pagefind-entry.json").is_file():
        os.utime(cached)  # (recently used: kept by `_prune`)
        return _read(cached), None
    # scratch space inside the cache when there is one, so an interrupted run leaves nothing in /tmp
    # (mkdtemp, not TemporaryDirectory: a preview stopped mid-indexing must not clean up under
    # Pagefind at exit; a scratch folder left behind is removed by a later run)
    scratch = Path(tempfile.mkdtemp(prefix=".scratch-", dir=cache))
    try:
        write_files(scratch / "site", dict(shard.documents))
        bundle = scratch / "pagefind"  # (written by Pagefind beside the pages, then renamed into the cache)
        problem = _run(scratch / "site", bundle, background, _stops[0] if epoch is None else epoch)
        if problem or not bundle.is_dir():  # (no folder: nothing to index)
            return {}, problem
        found = _steadied(bundle)
        if cached:
            _store(bundle, cached)
        return found, None
    except ValueError as problem:  # (Pagefind's files not as `steady` expects)
        return {}, _failed(str(problem))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run(site: Path, bundle: Path, background: bool, epoch: int) -> Optional[Diagnostic]:
    """Pagefind over `site` into `bundle`; a problem if it fails. Raises `Stopped`."""
    command = [*_pagefind(), "--site", str(site), "--output-path", str(bundle)]
    if background and shutil.which("nice"):
        command = ["nice", "-n", "19", *command]
    with _lock:
        if epoch != _stops[0]:
            raise Stopped()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _running.add(process)
    with process:
        try:
            stdout, stderr = process.communicate()
        finally:
            _running.discard(process)
    if getattr(process, "stopped", False):
        raise Stopped()
    if process.returncode == 0:
        return None
    return _failed(((stderr or stdout).strip().splitlines()[-1:] or ["no output"])[0])


def _failed(reason: str) -> Diagnostic:
    return error(Location("pagefind", 0, 0), f"search indexing failed: {reason}",
                 "is the pinned 'pagefind[bin]' installed? (pip install -r requirements.txt)")


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
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _steadied(bundle: Path) -> dict[str, bytes]:
    """The bundle in `bundle` put in a fixed order (`steady`), the folder rewritten to match."""
    before = _read(bundle)
    after = steady(before)
    for rel in before.keys() - after.keys():
        (bundle / rel).unlink()
    write_files(bundle, {rel: data for rel, data in after.items() if before.get(rel) != data})
    return after


def _store(bundle: Path, cached: Path) -> None:
    """Keep this bundle in the cache: moved there whole in one rename (the scratch folder is in
    the cache folder, so never half a bundle, and nothing is copied)."""
    try:
        bundle.rename(cached)
    except OSError:  # another build stored the same bundle first
        pass


def _prune(cache: Path, used: set[str]) -> None:
    """Drop cached bundles this build did not use, but for as many recent ones as it used (an
    edit undone, or a preview's other state, finds its shards still there)."""
    entries = sorted((p for p in cache.iterdir() if not p.name.startswith(".") and p.name not in used),
                     key=lambda p: p.stat().st_mtime)
    for old in entries[:max(0, len(entries) - len(used))]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in cache.glob(".scratch-*"):  # left by a run that was killed
        if stale.stat().st_mtime < time.time() - 3600:
            shutil.rmtree(stale, ignore_errors=True)

