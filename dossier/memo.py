"""The one memo: every result a build reuses, keyed by a digest of exactly what it was computed from.

A key is a digest of the inputs a pure function read (file contents, the declared context it was
given) and of the engine itself, so a hit is a lookup, never a guess from timestamps or object
identity. `serve` keeps one memo in memory from build to build; a build also keeps it on disk in
`.dossier-cache/memo/`, one file per kind of result. A file written by another engine, or one
that cannot be read whole, is ignored (and replaced by the next build): the cache is safe to
delete. Each build keeps only the entries it used, so the memo never outgrows the dossier."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

T = TypeVar("T")
FORMAT = "dossier-memo-2"
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError,
               TypeError, ValueError, KeyError, MemoryError)


def key(*parts: Any) -> str:
    """The digest of `parts`: strings, numbers, None and (nested) tuples of them, whose repr is the
    same in every process (no sets: their order changes with each process's string hashing)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def digest_of(value: Any) -> str:
    """The digest of a value made of frozen dataclasses, tuples, strings and numbers: its pickle,
    written without the pickler's memo (which would write a string met twice as a reference to
    its first place, so that two equal values sharing their parts differently would differ)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


class Memo:
    """Results by kind and key. `engine` (a digest of the engine's code) keys every file on disk;
    `write`: whether a build writes the kinds it changed back to `folder`. The kinds in `LIVE`
    hold what only a running process can use (compiled templates), never written."""

    # kept in memory only: what holds views (a claim's comparisons, a topic's pages), a union of
    # links (a source's relations) or a part of a page (its fragments): cheap to redo, costly to write
    LIVE = frozenset({"environment", "comparisons", "relation", "topic-pages", "fragment"})

    def __init__(self, folder: Optional[Path] = None, engine: str = "", write: bool = True) -> None:
        self.folder, self.engine, self.write = folder, engine, write
        self.inputs = None  # the last build's snapshot of the inputs (its digests are taken over)
        self._kept: dict[str, dict[str, Any]] = {}  # kind -> key -> value: the last builds' results
        self._used: dict[str, dict[str, Any]] = {}  # what this build used or made
        self._loaded: set[str] = set()
        self._changed: set[str] = set()
        self._placed: set[str] = set()  # the stored files this build used or made (by digest)
        self._made = False  # (the folder of stored files exists)

    def get(self, kind: str, digest: str, compute: Callable[[], T]) -> T:
        """The result kept under `digest`, or `compute()` (then kept)."""
        found = self.lookup(kind, digest)
        return found if found is not _MISSING else self.put(kind, digest, compute())

    def lookup(self, kind: str, digest: str) -> Any:
        """The result kept under `digest`, or `MISSING`."""
        used = self._used.setdefault(kind, {})
        if digest in used:
            return used[digest]
        kept = self._entries(kind)
        if digest not in kept:
            return _MISSING
        used[digest] = kept[digest]
        return used[digest]

    def put(self, kind: str, digest: str, value: T) -> T:
        self._used.setdefault(kind, {})[digest] = value
        self._changed.add(kind)
        return value

    # -- whole files (a page's bytes) kept on disk under a digest, beside the entries naming them --

    def store(self, digest: str, data: bytes) -> None:
        """Keep `data` (a file just written elsewhere) under `digest`, as a file of its own. Safe
        in a forked worker (files only)."""
        kept = self._stored(digest)
        if kept is None or not self.write:
            return
        partial = kept.parent / f".{digest}.{os.getpid()}"
        try:
            if not self._made:
                kept.parent.mkdir(parents=True, exist_ok=True)
                self._made = True
            partial.write_bytes(data)
            os.replace(partial, kept)  # (never half a file under its name)
        except OSError:
            partial.unlink(missing_ok=True)

    def place(self, digest: str, target: Path, size: int) -> bool:
        """Copy the file kept under `digest` to `target`, if there is one of `size` bytes."""
        kept = self._stored(digest)
        try:
            if kept is None or kept.stat().st_size != size:
                return False
            shutil.copyfile(kept, target)
        except OSError:
            return False
        self._placed.add(digest)
        return True

    def read_stored(self, digest: str) -> Optional[bytes]:
        kept = self._stored(digest)
        try:
            return kept.read_bytes() if kept is not None else None
        except OSError:
            return None

    def used_stored(self, digests) -> None:
        """Those files are this build's (made by a worker, which cannot say so itself)."""
        self._placed.update(digests)

    def _stored(self, digest: str) -> Optional[Path]:
        return self.folder / "files" / digest if self.folder is not None else None

    def _prune_stored(self) -> None:
        """Drop the stored files this build did not use."""
        try:
            for found in (self.folder / "files").iterdir():
                if found.name not in self._placed:
                    found.unlink()
        except OSError:
            pass
        self._placed = set()

    def finish(self, save: bool = True) -> None:
        """End a build: keep what it used, drop the rest, and write the kinds that changed to
        disk. A build that failed (not `save`) drops nothing and writes nothing: the cache stays as
        it was, and what the failed build made is kept beside it for the next one. A second call
        for the same build does nothing."""
        if not self._used:
            return
        if not save:
            for kind, used in self._used.items():
                self._kept[kind] = {**self._entries(kind), **used}
            self._used = {}
            return
        for kind, used in self._used.items():
            if used.keys() != self._kept.get(kind, {}).keys():
                self._changed.add(kind)
        self._kept, self._used = self._used, {}
        self._loaded = set(self._kept)
        if self.folder is not None and self.write:
            self._sweep()
            self._prune_stored()
            for kind in sorted(self._changed - self.LIVE):
                self._save(kind)
        self._changed = set()

    def _sweep(self, minutes: int = 10) -> None:
        """Remove what a build killed while writing the memo left (files written aside, never renamed)."""
        try:
            for partial in self.folder.glob(".*.*"):
                if partial.stat().st_mtime < time.time() - 60 * minutes:
                    partial.unlink()
        except OSError:
            pass

    def _entries(self, kind: str) -> dict[str, Any]:
        if kind not in self._loaded and kind not in self.LIVE:
            self._loaded.add(kind)
            self._kept[kind] = self._read(kind)
        return self._kept.get(kind, {})

    def _file(self, kind: str) -> Path:
        return self.folder / f"{kind}.pickle"

    def _read(self, kind: str) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            with open(self._file(kind), "rb") as file:
                data = pickle.load(file)
            if isinstance(data, dict) and data.get("format") == FORMAT and data.get("engine") == self.engine \
                    and isinstance(data.get("entries"), dict):
                return data["entries"]
        except _UNREADABLE:
            pass
        return {}

    def _save(self, kind: str) -> None:
        """Write the kind's entries aside, then rename (a reader never sees half a file); a cache
        that cannot be written costs only speed."""
        data = {"format": FORMAT, "engine": self.engine, "entries": self._kept.get(kind, {})}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{kind}.{os.getpid()}"
            with open(partial, "wb") as file:
                pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self._file(kind))
        except OSError:
            pass


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING = MISSING = _Missing()
