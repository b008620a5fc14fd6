"""Tiny multi-source projects written from Python values, for the export, chart, embed, orphan and
coverage tests. Front matter is produced with yaml.safe_dump, so every string stays a string and
every number keeps the digits it was written with."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional

import yaml

from tests.helpers import make_project, run

# path:line:col: level: message (the first line of a diagnostic; hints are indented)
DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<message>.*)$")


def fact(id: str, quote: str, **fields) -> dict:
    data = {"id": id, "statement": fields.pop("statement", f"The statement of {id}.")}
    data.update(fields)
    data["quote"] = quote
    return data


def note(quote: str, text: str, kind: str = "context", id: Optional[str] = None) -> dict:
    data = {"id": id} if id else {}
    data.update(quote=quote, kind=kind, text=text)
    return data


def _front(data: dict, body: str) -> str:
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---\n{body}"


def source_md(seed: str, *, title: str = "A report", outlet: str = "Test Wire", published: str = "2020-08-10",
              facts: Iterable[dict] = (), notes: Iterable[dict] = (), unannotated: Iterable[dict] = (),
              topics: Iterable[str] = (), body: str = "", **extra) -> str:
    data: dict = {"seed": seed, "title": title, "outlet": outlet, "published": published, **extra}
    if topics:
        data["topics"] = list(topics)
    if facts:
        data["facts"] = list(facts)
    if notes:
        data["notes"] = list(notes)
    if unannotated:
        data["unannotated"] = list(unannotated)
    return _front(data, body)


def topic_md(title: str, body: str = "", **fields) -> str:
    return _front({"title": title, **fields}, body)


def files(seeds: dict[str, str], sources: dict[str, str], topics: Optional[dict[str, str]] = None,
          claims: Optional[dict] = None, index: str = "Introduction.\n",
          config: str = "title: Tiny dossier\nbase_url: /\n") -> dict[str, str]:
    """A project: seed name -> text, source slug -> file text, topic slug -> file text, claims."""
    found = {"config.yaml": config, "content/index.md": index}
    found.update({f"seeds/{name}": text for name, text in seeds.items()})
    found.update({f"content/sources/{slug}.md": text for slug, text in sources.items()})
    found.update({f"content/topics/{slug}.md": text for slug, text in (topics or {}).items()})
    if claims is not None:
        found["content/claims.yaml"] = yaml.safe_dump(claims, sort_keys=False, allow_unicode=True, width=1000)
    return found


def write(tmp_path: Path, project: dict[str, str], name: str = "project") -> Path:
    return make_project(tmp_path, project, name=name)


def build(root: Path, *args: str) -> tuple[int, str, str, Path]:
    """Build `root` into root/site: (exit status, stdout, stderr, site folder)."""
    code, out, err = run(root, "build", *args)
    return code, out, err, root / "site"


def diagnostics(stderr: str, level: Optional[str] = None) -> list[dict]:
    """Every diagnostic's first line, parsed; all other lines of stderr are left out."""
    found = []
    for line in stderr.splitlines():
        match = DIAGNOSTIC.match(line)
        if match and (level is None or match["level"] == level):
            found.append({**match.groupdict(), "line": int(match["line"]), "col": int(match["col"]), "text": line})
    return found


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column in characters) of `needle` in `text`."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1
