"""Placeholders are never published: a value that still says `TODO` stops the build.

`dossier new` writes `TODO` for what it could not find out (`outlet: TODO`, `published: TODO`),
with a comment saying what belongs there. Any value in any content or config file whose text
starts with the word TODO is such a placeholder, wherever it stands (a fact's `by`, a topic's
`summary`…): the build fails with an error at the value, `outlet is not filled in`, until the
editor replaces it. The check is made before the schema's, so a placeholder where a date belongs
is reported as unfilled rather than as a bad date."""

from __future__ import annotations

import re
from typing import Any, Iterator

from .diagnostics import Diagnostic, error
from .schema import field_name
from .yamlload import YamlDocument

MARKER = "TODO"
_PLACEHOLDER = re.compile(rf"^\s*{MARKER}\b")

_WHAT = {
    "outlet": "who published the report: the site's or paper's name, e.g. 'CNN'",
    "published": "the publication date, YYYY-MM-DD (or YYYY-MM, YYYY), and say how you know in published_note",
    "title": "the report's headline",
}


def unfilled(doc: YamlDocument) -> list[Diagnostic]:
    """An error, at the value, for each placeholder in the document."""
    return [error(doc.where(path), f"{field_name(path)} is not filled in",
                  f"replace {MARKER} with {_WHAT.get(path[-1], 'the value')}")
            for path in _placeholders(doc.data, ())]


def with_unfilled(doc: YamlDocument, problems: list[Diagnostic]) -> list[Diagnostic]:
    """The document's placeholders, then the schema's `problems` about any other value."""
    found = unfilled(doc)
    taken = {d.location for d in found}
    return found + [d for d in problems if d.location not in taken]


def _placeholders(value: Any, path: tuple) -> Iterator[tuple]:
    if isinstance(value, str) and _PLACEHOLDER.match(value):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, path + (index,))
