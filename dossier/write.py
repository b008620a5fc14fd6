"""The write stage: the whole site into a fresh folder beside the output, then swapped into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Mapping


def write_site(out: Path, files: Mapping[str, bytes]) -> None:
    """Replace `out` by a folder holding exactly `files`; a failure leaves the previous `out` as it was."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    new = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        new.chmod(0o755)
        for rel in sorted(files):
            target = new / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    _swap(new, out)


def _old(out: Path) -> Path:
    return out.parent / f".{out.name}.old"


def _swap(new: Path, out: Path) -> None:
    old = _old(out)
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo what an interrupted build left: restore the previous site, drop half-written ones."""
    old = _old(out)
    if not out.exists() and old.exists():
        os.rename(old, out)
    for stale in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def static_files(folder: Path, prefix: str = "assets/") -> dict[str, bytes]:
    """Every file below `folder` (the site's CSS, scripts, icons), keyed by output path."""
    if not folder.is_dir():
        return {}
    return {prefix + p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}
