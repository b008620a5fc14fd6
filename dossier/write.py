"""The write stage: the whole site into a fresh folder beside the output, then swapped into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Mapping, Optional


MARKER = ".dossier"  # written into every site: only a folder holding it may be replaced


def refuse(out: Path) -> str:
    """Why `out` must not be replaced (it holds files that no Dossier build wrote), or ''."""
    if out.exists() and not out.is_dir():
        return "the output is a file, not a folder"
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        return "the output folder is not empty and was not built by Dossier; refusing to replace it"
    return ""


def write_site(out: Path, files: Mapping[str, bytes], tick: Optional[Callable[[int], None]] = None,
               more: Optional[Callable[[], Optional[Mapping[str, bytes]]]] = None) -> bool:
    """Replace `out` by a folder holding exactly `files`; a failure leaves the previous `out` as it was.
    With `more`, called once `files` are written: the files it gives are written too, or, if it
    gives None, nothing is replaced (False is returned).

    The caller checks `refuse(out)` first; this refuses again rather than delete foreign files."""
    out = out.resolve()
    if refuse(out):
        raise ValueError(refuse(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    new = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        new.chmod(0o755)
        (new / MARKER).write_text("This folder was built by Dossier and is replaced by each build.\n")
        write_files(new, files, tick)
        extra = more() if more is not None else {}
        if extra is None:
            shutil.rmtree(new, ignore_errors=True)
            return False
        write_files(new, extra)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    _swap(new, out)
    return True


def write_files(folder: Path, files: Mapping[str, bytes], tick: Optional[Callable[[int], None]] = None) -> None:
    """Write `files` (relative path -> bytes) below `folder`, making each folder once."""
    made = set()
    for rel in sorted(files):
        target = folder / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(files[rel])
        if tick:
            tick(1)


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
