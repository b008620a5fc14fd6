"""What a build is asked to do, and what it gives back (kept apart from the pipeline, so that a
build with nothing to do never loads the stages: see shortcut)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from .diagnostics import Report

if TYPE_CHECKING:
    from .model import Config
    from .urls import Urls
    from .views import Dossier


@dataclass(frozen=True)
class Options:
    root: Path
    out: Optional[Path] = None  # default: config's `output`
    base_url: Optional[str] = None  # default: config's `base_url`
    strict: Optional[bool] = None  # default: config's `strict`
    write: bool = True  # False: check only
    audit: bool = False  # also warn about orphans (uncited sources, topics without facts…): `check` does
    search: bool = True  # index the pages for search (Pagefind); `check` and `serve` do not here
    cache: Optional[Path] = None  # default: <root>/.dossier-cache; safe to delete
    jobs: int = 0  # processes to render with; 0: one per core
    progress: bool = False  # show a progress bar on the terminal if the build takes a while


@dataclass(frozen=True)
class Settings:
    """The options and the config, merged once: what every stage after validation reads."""

    root: Path
    out: Optional[Path]  # None: refused (its error is reported)
    urls: "Urls"
    strict: bool
    write: bool
    search: bool
    cache: Path
    jobs: int
    config: "Config"
    origin: str = ""  # the site's host (`https://user.github.io`), from base_url or site_url; '': not known


@dataclass
class Result:
    report: Report = field(default_factory=Report)
    dossier: Optional[Dossier] = None
    files: dict = field(default_factory=dict)
    derived: list = field(default_factory=list)  # slugs of the sources derived anew (the others came from the memo)
    rendered: list = field(default_factory=list)  # site paths of the pages rendered anew (the others were reused)
    timings: dict = field(default_factory=dict)  # stage -> wall seconds ("search": Pagefind's run, beside writing)
    out: Optional[Path] = None
    seconds: float = 0.0
    strict: bool = False
    counts: dict = field(default_factory=dict)  # pages, sources, topics, claims, facts, notes
    unchanged: bool = False  # the site was already what this build would write: nothing was done
    interrupted: bool = False  # (preview) given up for a newer edit: nothing to publish

    @property
    def ok(self) -> bool:
        return not self.report.failed(self.strict)
