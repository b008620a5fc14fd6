"""The project's inputs, in one place: where each kind of file lives, and one snapshot of them all.

A snapshot lists every input file below the project (config.yaml, content/, seeds/, templates/)
with its status signature (inode, size, modification and change times). Load, the build record
and serve's watch all read the same snapshot. A file's content digest is taken when asked for,
and taken over from an earlier snapshot when the file's signature is the same — unless the file
was changed less than two seconds before that snapshot was taken, when the same signature could
hide a second change (it is read again)."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

INPUTS = ("config.yaml", "content", "seeds", "templates")
CONFIG = "config.yaml"
INTRO = "content/index.md"
CLAIMS = "content/claims.yaml"
SOURCES = "content/sources"
TOPICS = "content/topics"
SEEDS = "seeds"
TEMPLATES = "templates"
RACY_NS = 2_000_000_000
_EDITOR_LEFTOVERS = (".swp", ".swx", ".tmp", "~", ".part")


@dataclass(frozen=True)
class Entry:
    """One path below the inputs: its kind (file, folder, other, broken) and status signature."""

    kind: str
    signature: tuple = ()


@dataclass
class Snapshot:
    root: Path
    entries: dict[str, Entry]
    taken_ns: int
    digests: dict[str, str] = field(default_factory=dict)  # path -> content digest, filled when asked

    def files(self, folder: str, suffix: str) -> list[str]:
        """Paths of the entries directly in `folder` whose name ends with `suffix`, sorted (a folder
        so named is listed too: it is where a file should be, and load says so)."""
        prefix = folder + "/"
        return sorted(p for p in self.entries if p.startswith(prefix) and "/" not in p[len(prefix):]
                      and p.endswith(suffix))

    def digest(self, rel: str, before: Optional["Snapshot"] = None) -> str:
        """The content digest of the file at `rel` ("" if it cannot be read)."""
        if rel not in self.digests:
            self.digests[rel] = self.taken_over(rel, before) or _file_digest(self.root / rel)
        return self.digests[rel]

    def taken_over(self, rel: str, before: Optional["Snapshot"]) -> Optional[str]:
        """The digest `before` knew for the file, if its signature is the same (and was not racy)."""
        if before is None or rel not in before.digests or self.entries.get(rel) != before.entries.get(rel):
            return None
        return before.digests[rel] if self.entries[rel].signature[3] < before.taken_ns - RACY_NS else None

    def signature(self) -> dict[str, tuple]:
        """Every file's signature, and every folder's presence (a folder where a source file
        should be is an error to report), for comparing two snapshots."""
        return {rel: entry.signature if entry.kind != "folder" else ("folder",) for rel, entry in self.entries.items()}


def snapshot(root: Path) -> Snapshot:
    """Every path below the inputs (hidden files and editors' leftovers aside), sorted."""
    taken = time.time_ns()
    entries: dict[str, Entry] = {}
    for name in INPUTS:
        _walk(root, name, entries, set())
    return Snapshot(root, dict(sorted(entries.items())), taken)


def _walk(root: Path, rel: str, entries: dict, seen: set) -> None:
    entry = _entry(os.path.join(root, rel))
    if entry is None:
        return
    entries[rel] = entry
    if entry.kind != "folder" or entry.signature[:2] in seen:  # (a loop of links is walked once)
        return
    seen.add(entry.signature[:2])
    try:
        names = os.listdir(os.path.join(root, rel))
    except OSError:
        return
    for name in names:
        if not name.startswith((".", "#")) and not name.endswith(_EDITOR_LEFTOVERS):
            _walk(root, f"{rel}/{name}", entries, seen)


def _entry(path: str) -> Optional[Entry]:
    try:
        status = os.stat(path)
    except OSError:
        return Entry("broken") if os.path.lexists(path) else None
    kind = "folder" if stat.S_ISDIR(status.st_mode) else "file" if stat.S_ISREG(status.st_mode) else "other"
    return Entry(kind, (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns))


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def changes(before: dict, after: dict) -> list[str]:
    """Files added, removed or modified between two signatures (see Snapshot.signature)."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
