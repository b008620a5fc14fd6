"""The load stage: every input file of the snapshot read once, and checked on its own.

Each content file is turned into its model by a pure function of its path and text (see
validate: schema, then frozen model objects), memoized by the file's content digest: a file that
did not change since the last build is neither read nor parsed again."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from . import project
from .diagnostics import Diagnostic, Location, error
from .memo import MISSING, Memo, key
from .model import Seed
from .project import Snapshot
from .validate import CheckedFile, ClaimsFile, claims_file, source_file, topic_file
from .frontmatter import MarkdownFile, parse_markdown_file
from .yamlload import YamlDocument, load_yaml



@dataclass
class Loaded:
    snapshot: Snapshot
    config: Optional[YamlDocument] = None
    intro: Optional[MarkdownFile] = None
    sources: list[CheckedFile] = field(default_factory=list)
    topics: list[CheckedFile] = field(default_factory=list)
    claims: Optional[ClaimsFile] = None
    seeds: dict[str, Seed] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # path -> content digest, of each file read
    unreadable_seeds: set[str] = field(default_factory=set)
    templates: tuple = ()  # (path, digest) of every file below templates/
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load(snap: Snapshot, memo: Memo, before: Optional[Snapshot] = None) -> Loaded:
    """Read config, content and seeds of the snapshot; problems are collected, never raised."""
    loaded = Loaded(snap)
    reader = _Reader(loaded, memo, before)
    text = reader.text(project.CONFIG)
    loaded.config = load_yaml(text, project.CONFIG) if text is not None else None
    text = reader.text(project.INTRO) if project.INTRO in snap.entries else None
    loaded.intro = parse_markdown_file(project.INTRO, text) if text is not None else None
    loaded.sources = reader.folder(project.SOURCES, "source", source_file)
    loaded.topics = reader.folder(project.TOPICS, "topic", topic_file)
    loaded.claims = reader.parsed(project.CLAIMS, "claims", claims_file) if project.CLAIMS in snap.entries else None
    loaded.seeds = reader.seeds()
    loaded.templates = tuple((rel, snap.digest(rel, before)) for rel, entry in snap.entries.items()
                             if rel.startswith(project.TEMPLATES + "/") and entry.kind == "file")
    for found in (loaded.config, loaded.intro and loaded.intro.front):
        loaded.diagnostics.extend(found.diagnostics if found is not None else ())
    for found in (*loaded.sources, *loaded.topics, *([loaded.claims] if loaded.claims else [])):
        loaded.diagnostics.extend(found.problems)
    return loaded


class _Reader:
    def __init__(self, loaded: Loaded, memo: Memo, before: Optional[Snapshot]):
        self.loaded, self.memo, self.before = loaded, memo, before
        self.snap = loaded.snapshot

    def parsed(self, rel: str, kind: str, parse: Callable[[str, str], object]):
        """`parse(rel, text)` of the file, from the memo when its content is known; None (with a
        located error) when the file cannot be read."""
        is_file = self.snap.entries.get(rel, project.Entry("")).kind == "file"
        digest = self.snap.taken_over(rel, self.before) if is_file else None
        found = self.memo.lookup(kind, key(rel, digest)) if digest else MISSING
        if found is MISSING:
            text = self.text(rel)
            if text is None:
                return None
            digest = self.loaded.digests[rel]
            found = self.memo.get(kind, key(rel, digest), lambda: parse(rel, text))
        self.loaded.digests[rel] = self.snap.digests[rel] = digest
        return found

    def folder(self, folder: str, kind: str, parse: Callable) -> list:
        if self.snap.entries.get(folder, project.Entry("")).kind != "folder":
            return []
        found = (self.parsed(rel, kind, parse) for rel in self.snap.files(folder, ".md"))
        return [item for item in found if item is not None]

    def seeds(self) -> dict[str, Seed]:
        if self.snap.entries.get(project.SEEDS, project.Entry("")).kind != "folder":
            self.loaded.diagnostics.append(error(Location(project.SEEDS), "seeds folder not found"))
            return {}
        seeds = {}
        for rel in self.snap.files(project.SEEDS, ".txt"):
            seed = self.parsed(rel, "seed", lambda path, text: Seed(path.rsplit("/", 1)[1], path, text))
            if seed is None:
                self.loaded.unreadable_seeds.add(rel.rsplit("/", 1)[1])
            else:
                seeds[seed.name] = seed
        return seeds

    def text(self, rel: str) -> Optional[str]:
        """The file's text (its digest noted), or None with a located error."""
        text, digest, problems = read_text(self.snap.root, rel)
        self.loaded.diagnostics.extend(problems)
        if text is not None:
            self.loaded.digests[rel] = self.snap.digests[rel] = digest
        return text


def read_text(root: Path, rel: str) -> tuple[Optional[str], str, list[Diagnostic]]:
    """UTF-8 text of `root/rel` with a BOM dropped and line ends made `\\n`, and the digest of its
    bytes; or a located error."""
    path = root / rel
    why = _unreadable(root, path)
    if why:
        return None, "", [error(Location(rel), why[0], why[1])]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, "", [error(Location(rel), f"cannot read file: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, "", [error(Location(rel, line, col), f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                                "save the file as UTF-8")]
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), hashlib.sha256(data).hexdigest(), []


def _unreadable(root: Path, path: Path) -> Optional[tuple[str, str]]:
    """Why `path` must not be read as an input ((message, hint)), or None: only regular files
    inside the project are inputs (no folder, pipe or device, no link leading elsewhere)."""
    if not os.path.lexists(path):
        return "file not found", ""
    try:
        real = path.resolve(strict=True)
        mode = real.stat().st_mode
    except (OSError, RuntimeError):
        return "broken symbolic link", "point the link at an existing file, or replace it by the file"
    if not real.is_relative_to(root.resolve()):
        return "is a symbolic link to a file outside the project", "copy the file into the project instead"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file", ""
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, socket or device)", "inputs must be plain files"
    return None
