"""The shortcut of a build with nothing to do: the last build's record (see buildcache) matches
this build's fingerprint and the site is untouched, so the site is left as it is.

This module, and what it imports, is all that such a build loads: the stages, Jinja, Markdown and
YAML are imported only by a build that has work to do (see cli)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import buildcache
from .options import Options, Result
from .project import Snapshot, snapshot
from .write import recover

CACHE = ".dossier-cache"


@dataclass
class Pending:
    """The last build's record and this build's fingerprint, for the record of this build."""

    last: buildcache.Record
    fingerprint: str
    inputs: dict
    taken_ns: int
    snapshot: Snapshot  # the inputs as the fingerprint saw them (the build takes their digests over)


def check(options: Options) -> tuple[Optional[Result], Pending]:
    """The result of a build that has nothing to do (None if it has), and the record to go on from.
    A leftover of a killed build is cleaned up first, in any case."""
    started = time.perf_counter()
    last = buildcache.read(options.cache or options.root / CACHE)
    setting = (str(options.out.resolve()) if options.out else None, options.base_url, options.strict,
               options.search, options.audit)
    snap = snapshot(options.root)
    fingerprint, inputs = buildcache.fingerprint(snap, setting, last)
    pending = Pending(last, fingerprint, inputs, snap.taken_ns, snap)
    if last.out:
        recover(Path(last.out))
    if not buildcache.up_to_date(last, fingerprint):
        return None, pending
    result = Result(out=Path(last.out), counts=dict(last.counts), unchanged=True)
    result.report.extend(buildcache.diagnostics(last))
    result.seconds = time.perf_counter() - started
    return result, pending
