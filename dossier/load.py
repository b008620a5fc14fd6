"""The load stage: read every input file once, split front matter, parse YAML with positions."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .diagnostics import Diagnostic, Location, error
from .model import Seed
from .yamlload import YamlDocument, load_yaml

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass
class MarkdownFile:
    """A content file: its front matter (parsed) and Markdown body, with the body's first line."""

    path: str
    slug: str
    front: YamlDocument
    body: str
    body_line: int
    checked: Optional[tuple] = field(default=None, compare=False, repr=False)  # validate's answer, kept
    crossed: Optional[tuple] = field(default=None, compare=False, repr=False)  # (names, problems) of the cross-checks


@dataclass
class Loaded:
    root: Path
    config: Optional[YamlDocument]
    intro: Optional[MarkdownFile]
    sources: list[MarkdownFile]
    topics: list[MarkdownFile]
    claims: Optional[YamlDocument]
    seeds: dict[str, Seed]
    files: dict[str, str] = field(default_factory=dict)
    unreadable_seeds: set[str] = field(default_factory=set)
    parsed: dict = field(default_factory=dict)  # (path, text) -> parsed document or seed, for the next load
    texts: dict = field(default_factory=dict)  # path -> (file status, text), for the next load
    previous: Optional["Loaded"] = None  # the load before, if any
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load(root: Path, previous: Optional[Loaded] = None) -> Loaded:
    """Read config, content and seeds below `root`; problems are collected, never raised.

    `previous` is an earlier load of the same root (serve keeps it): a plain file whose status
    (inode, size, change times) is unchanged is not read again, and a file whose text is unchanged
    is not parsed (nor, later, validated) again: the same objects are handed on."""
    loaded = Loaded(root, None, None, [], [], None, {}, previous=previous if previous and previous.root == root else None)
    loaded.config = _yaml_file(loaded, "config.yaml", required=True)
    loaded.intro = _markdown_file(loaded, "content/index.md") if os.path.lexists(root / "content/index.md") else None
    loaded.sources = _markdown_folder(loaded, "content/sources")
    loaded.topics = _markdown_folder(loaded, "content/topics")
    loaded.claims = _yaml_file(loaded, "content/claims.yaml", required=False)
    loaded.seeds = _seeds(loaded, "seeds")
    loaded.previous = None  # only one load back is kept
    return loaded


def read_text(root: Path, rel: str) -> tuple[Optional[str], list[Diagnostic]]:
    """UTF-8 text of `root/rel` with a BOM dropped and line ends made `\\n`, or a located error."""
    path = root / rel
    why = _unreadable(root, path)
    if why:
        return None, [error(Location(rel), why[0], why[1])]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(Location(rel), f"cannot read file: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(Location(rel, line, col), f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                            "save the file as UTF-8")]
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), []


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


def _remember(loaded: Loaded, rel: str) -> Optional[str]:
    text, problems = _read(loaded, rel)
    loaded.diagnostics.extend(problems)
    if text is not None:
        loaded.files[rel] = text
    return text


def _read(loaded: Loaded, rel: str) -> tuple[Optional[str], list[Diagnostic]]:
    """`read_text`, or the text the previous load read from this very file, unchanged since."""
    try:
        status = os.lstat(os.path.join(loaded.root, rel))
    except OSError:
        status = None
    signature = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns) \
        if status is not None and stat.S_ISREG(status.st_mode) else None
    kept = loaded.previous.texts.get(rel) if loaded.previous and signature else None
    if kept is not None and kept[0] == signature:
        text, problems = kept[1], []
    else:
        text, problems = read_text(loaded.root, rel)
    if text is not None and signature:
        loaded.texts[rel] = (signature, text)
    return text, problems


def _parsed(loaded: Loaded, rel: str, text: str):
    return loaded.previous.parsed.get((rel, text)) if loaded.previous else None


def _yaml_file(loaded: Loaded, rel: str, required: bool) -> Optional[YamlDocument]:
    if not required and not os.path.lexists(loaded.root / rel):
        return None
    text = _remember(loaded, rel)
    if text is None:
        return None
    doc = _parsed(loaded, rel, text) or load_yaml(text, rel)
    loaded.parsed[(rel, text)] = doc
    loaded.diagnostics.extend(doc.diagnostics)
    return doc


def _markdown_folder(loaded: Loaded, folder: str) -> list[MarkdownFile]:
    base = loaded.root / folder
    if not base.is_dir():
        return []
    names = sorted(p.name for p in base.iterdir() if p.suffix == ".md" and not p.name.startswith("."))
    files = [_markdown_file(loaded, f"{folder}/{name}") for name in names]
    return [f for f in files if f is not None]


def _markdown_file(loaded: Loaded, rel: str) -> Optional[MarkdownFile]:
    text = _remember(loaded, rel)
    if text is None:
        return None
    reused = _parsed(loaded, rel, text)
    if reused is not None:
        loaded.parsed[(rel, text)] = reused
        loaded.diagnostics.extend(reused.front.diagnostics)
        return reused
    parsed = _parse_markdown_file(loaded, rel, text)
    loaded.parsed[(rel, text)] = parsed
    return parsed


def _parse_markdown_file(loaded: Loaded, rel: str, text: str) -> MarkdownFile:
    lines = text.split("\n")
    slug = rel.rsplit("/", 1)[1].removesuffix(".md")
    if not lines or not _FENCE.match(lines[0]):
        if rel.endswith("index.md"):
            return MarkdownFile(rel, slug, YamlDocument({}, rel), text, 1)
        return _unusable(loaded, rel, slug, error(Location(rel, 1, 1), "missing front matter",
                                                  "start the file with a '---' line, the YAML fields, and another '---' line"))
    close = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if close is None:
        return _unusable(loaded, rel, slug, error(Location(rel, 1, 1), "front matter has no closing '---' line",
                                                  "end the YAML fields with a line that holds only '---'"))
    front = load_yaml("\n".join(lines[1:close]), rel, first_line=2)
    loaded.diagnostics.extend(front.diagnostics)
    if front.data is None:
        front.data = {}
    return MarkdownFile(rel, slug, front, "\n".join(lines[close + 1:]), close + 2)


def _unusable(loaded: Loaded, rel: str, slug: str, problem: Diagnostic) -> MarkdownFile:
    """A file whose front matter cannot be read: reported once, still known to exist."""
    loaded.diagnostics.append(problem)
    return MarkdownFile(rel, slug, YamlDocument(None, rel, diagnostics=[problem]), "", 1)


def _seeds(loaded: Loaded, folder: str) -> dict[str, Seed]:
    base = loaded.root / folder
    if not base.is_dir():
        loaded.diagnostics.append(error(Location(folder), "seeds folder not found"))
        return {}
    seeds = {}
    for name in sorted(p.name for p in base.iterdir() if p.suffix == ".txt" and not p.name.startswith(".")):
        rel = f"{folder}/{name}"
        text, problems = _read(loaded, rel)
        loaded.diagnostics.extend(problems)
        if text is None:
            loaded.unreadable_seeds.add(name)
        else:
            seeds[name] = loaded.parsed[(rel, text)] = _parsed(loaded, rel, text) or Seed(name, rel, text)
    return seeds
