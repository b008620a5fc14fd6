"""A build that would write exactly the site that is already there is not done again.

After each successful build, `.dossier-cache/build.json` records what the site was built from —
the engine (a digest of its own code and of the libraries' versions), the options, and a content
digest of every input file — and what it wrote (every output file's size and modification time),
with the warnings the build gave. The next build computes the same fingerprint; if it matches and
the output folder still holds exactly those files, untouched, the build is over: its warnings are
given again and nothing is written.

Digests are of file contents. To avoid reading every file each time, a file whose status (inode,
size, modification and change times) is the one recorded keeps its recorded digest — unless it was
modified less than two seconds before the record was made, when the same status could hide a
second change (it is read again). The cache is safe to delete; a cache that cannot be read, was
written by another version or does not fit the expected shape is ignored, never trusted."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .diagnostics import Diagnostic, Location
from .project import Entry, Snapshot

FORMAT = "dossier-build-cache-2"


# The libraries whose version can change what a build writes (tqdm and livereload cannot).
LIBRARIES = ("jinja2", "markdown-it-py", "PyYAML", "jsonschema", "fastjsonschema", "rapidfuzz", "pagefind", "MarkupSafe")


@lru_cache(maxsize=1)
def engine() -> str:
    """A digest of the engine's own files and of what it runs on: any change to them is a new engine."""
    return engine_digest(Path(__file__).resolve().parent)


def engine_digest(package: Path) -> str:
    """The digest of the engine in `package` (its code, schemas and theme), Python and the libraries."""
    h = hashlib.sha256(FORMAT.encode() + sys.version.encode())
    versions = installed()
    for name in LIBRARIES:
        h.update(f"{name}={versions.get(_normal(name), '')};".encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and (p.suffix in (".py", ".json") or p.relative_to(package).parts[0] == "theme")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def installed() -> dict[str, str]:
    """Version of every distribution installed on sys.path, by normalised name, read from the
    names of the `*.dist-info` folders (importlib.metadata finds the same, at ten times the cost:
    this runs on every build, even one with nothing to do). The first one on the path wins, as
    for imports."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if entry.endswith(".dist-info") and "-" in entry:
                name, version = entry[:-len(".dist-info")].rsplit("-", 1)
                found.setdefault(_normal(name), version)
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@dataclass
class Record:
    """What build.json holds."""

    fingerprint: str = ""
    inputs: dict = field(default_factory=dict)  # path -> [device, inode, size, mtime_ns, ctime_ns, digest]
    written_ns: int = 0  # when the input statuses were taken
    out: str = ""
    outputs: dict = field(default_factory=dict)  # output path -> [size, mtime_ns]
    diagnostics: list = field(default_factory=list)  # the build's warnings, to give again
    counts: dict = field(default_factory=dict)  # what the summary line reports


def read(cache: Path) -> Record:
    """The last record, or an empty one if there is none or it cannot be trusted."""
    try:
        data = json.loads((cache / "build.json").read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("engine") != engine():
            return Record()
        record = Record(data["fingerprint"], data["inputs"], data["written_ns"], data["out"], data["outputs"],
                        data["diagnostics"], data["counts"])
        if not (isinstance(record.fingerprint, str) and isinstance(record.inputs, dict) and isinstance(record.written_ns, int)
                and isinstance(record.out, str) and isinstance(record.outputs, dict) and isinstance(record.counts, dict)
                and all(isinstance(v, list) and len(v) == 6 for v in record.inputs.values())
                and all(isinstance(v, list) and len(v) == 2 for v in record.outputs.values())):
            return Record()
        _diagnostics(record.diagnostics)  # refuse a record whose warnings cannot be rebuilt
        return record
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Record()


def fingerprint(snap: Snapshot, setting: tuple, last: Record) -> tuple[str, dict]:
    """A digest of the engine, `setting` (the options that shape the output) and every input file
    of the snapshot, with the signature and digest of each file (for the next record)."""
    h = hashlib.sha256(engine().encode() + b"\0" + repr(setting).encode() + b"\0")
    before = recorded(snap.root, last)
    inputs = {}
    for rel, entry in snap.entries.items():  # (a folder counts by its presence: see Snapshot.signature)
        digest = (snap.digest(rel, before) or "unreadable") if entry.kind == "file" else f"not a file: {entry.kind}"
        inputs[rel] = [*(entry.signature if entry.kind == "file" else (0, 0, 0, 0, 0)), digest]
        h.update(rel.encode() + b"\0" + digest.encode() + b"\0")
    return h.hexdigest(), inputs


def recorded(root: Path, last: Record) -> Snapshot:
    """The snapshot the last record was made from (its signatures and digests)."""
    entries = {rel: Entry("file", tuple(value[:5])) for rel, value in last.inputs.items()}
    return Snapshot(root, entries, last.written_ns, {rel: value[5] for rel, value in last.inputs.items()})


def outputs(out: Path) -> Optional[dict]:
    """Size and modification time of every file in the output folder, or None if it cannot be read
    (or holds anything but folders and regular files)."""
    found: dict = {}

    def walk(folder: str, prefix: str) -> bool:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not walk(entry.path, prefix + entry.name + "/"):
                        return False
                    continue
                status = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(status.st_mode):
                    return False
                found[prefix + entry.name] = [status.st_size, status.st_mtime_ns]
        return True
    try:
        complete = walk(str(out), "")
    except OSError:
        return None
    return found if complete and found else None


def up_to_date(last: Record, digest: str) -> bool:
    """Whether the output folder is exactly what the last recorded build wrote, from the same inputs."""
    return bool(last.fingerprint) and last.fingerprint == digest and bool(last.out) \
        and outputs(Path(last.out)) == last.outputs


def write(cache: Path, record: Record) -> None:
    """Store the record (written aside, then renamed: a reader never sees half of it)."""
    data = {"format": FORMAT, "engine": engine(), "fingerprint": record.fingerprint, "inputs": record.inputs,
            "written_ns": record.written_ns, "out": record.out, "outputs": record.outputs,
            "diagnostics": record.diagnostics, "counts": record.counts}
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".build.json.{os.getpid()}"
    partial.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(partial, cache / "build.json")


def encode(diagnostics: list[Diagnostic]) -> list:
    return [[d.location.path, d.location.line, d.location.col, d.level, d.message, d.hint] for d in diagnostics]


def _diagnostics(items: list) -> list[Diagnostic]:
    found = []
    for path, line, col, level, message, hint in items:
        if not (isinstance(path, str) and isinstance(line, int) and isinstance(col, int) and level in ("warning",)
                and isinstance(message, str) and isinstance(hint, str)):
            raise ValueError("not a diagnostic")
        found.append(Diagnostic(Location(path, line, col), level, message, hint))
    return found


def diagnostics(record: Record) -> list[Diagnostic]:
    return _diagnostics(record.diagnostics)
