"""Find entity names (titles and aliases) in seed text: whole words, longest first, case as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    topic: str  # slug of the entity
    text: str


class MentionFinder:
    """One compiled pattern for all names; a position takes the longest name that matches there."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        self.owner: dict[str, str] = {}
        for name, slug in names:
            if name.strip():
                self.owner.setdefault(name, slug)
        alternatives = sorted(self.owner, key=lambda n: (-len(n), n))
        self.pattern: Optional[re.Pattern] = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")
            if alternatives else None
        )

    def find(self, text: str) -> list[Mention]:
        if self.pattern is None:
            return []
        return [Mention(m.start(), m.end(), self.owner[m.group()], m.group()) for m in self.pattern.finditer(text)]
