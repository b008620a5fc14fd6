"""Content files: YAML front matter between '---' lines, then the Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostic, Location, error
from .yamlload import YamlDocument, load_yaml

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass
class MarkdownFile:
    """A content file: its front matter (parsed) and Markdown body, with the body's first line."""

    path: str
    text: str  # the whole file
    slug: str
    front: YamlDocument
    body: str
    body_line: int


def parse_markdown_file(rel: str, text: str) -> MarkdownFile:
    """Front matter (YAML, parsed with positions) and body; a file without readable front matter
    is still known to exist, with its error among its front's diagnostics."""
    lines = text.split("\n")
    slug = rel.rsplit("/", 1)[1].removesuffix(".md")
    if not lines or not _FENCE.match(lines[0]):
        if rel.endswith("index.md"):
            return MarkdownFile(rel, text, slug, YamlDocument({}, rel), text, 1)
        return _unusable(rel, text, slug, error(Location(rel, 1, 1), "missing front matter",
                                          "start the file with a '---' line, the YAML fields, and another '---' line"))
    close = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if close is None:
        return _unusable(rel, text, slug, error(Location(rel, 1, 1), "front matter has no closing '---' line",
                                          "end the YAML fields with a line that holds only '---'"))
    front = load_yaml("\n".join(lines[1:close]), rel, first_line=2)
    if front.data is None:
        front.data = {}
    return MarkdownFile(rel, text, slug, front, "\n".join(lines[close + 1:]), close + 2)


def _unusable(rel: str, text: str, slug: str, problem: Diagnostic) -> MarkdownFile:
    return MarkdownFile(rel, text, slug, YamlDocument(None, rel, diagnostics=[problem]), "", 1)
