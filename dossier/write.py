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


class Held:
    """A site kept in memory (a preview's, a check's): `files`, output path -> bytes."""

    def __init__(self, memo) -> None:
        self.files: dict[str, bytes] = {}
        self.memo = memo

    def add(self, path: str, data: bytes, digest: str = "") -> Optional[bytes]:
        """Keep the file; what the memo keeps of it (its bytes: there is nowhere else)."""
        self.files[path] = data
        return data

    def reuse(self, path: str, digest: str, data: Optional[bytes], size: int) -> bool:
        """The file the memo kept (its bytes, or the file it stored): False if it has none."""
        data = data if data is not None else self.memo.read_stored(digest)
        if data is None or len(data) != size:
            return False
        self.files[path] = data
        return True

    def written(self, pages: Mapping) -> None:
        """The pages rendered (output path -> `render.Rendered`), some by a forked worker: their
        bytes came back with them."""
        for path, page in pages.items():
            if path not in self.files:
                self.files[path] = page.data

    def view(self) -> Mapping[str, bytes]:
        return self.files

    def discard(self) -> None:
        self.files = {}


class Staged:
    """A site written as it is made, into a new folder beside `out`, swapped in once whole. A
    page written is stored by the memo (if any) under its digest (a copy), so that a later build,
    even with no output folder left, places it again instead of rendering it."""

    def __init__(self, out: Path, memo=None) -> None:
        self.out, self.memo = out.resolve(), memo
        if refuse(self.out):
            raise ValueError(refuse(self.out))
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.folder.chmod(0o755)
        (self.folder / MARKER).write_text("This folder was built by Dossier and is replaced by each build.\n")
        self.paths: set[str] = set()  # (the marker is not one of the site's files)
        self.folders: dict[str, Path] = {}  # (made so far, by site path)
        self.swapped = False

    def add(self, path: str, data: bytes, digest: str = "") -> None:
        """Write the file (in this process or a forked worker); the memo keeps no bytes of it."""
        self._target(path).write_bytes(data)
        if digest and self.memo is not None:
            self.memo.store(digest, data)
        self.paths.add(path)  # (a worker's own copy: the caller names its files with `written`)

    def reuse(self, path: str, digest: str, data: Optional[bytes], size: int) -> bool:
        if data is not None:
            self.add(path, data, digest)
        elif not self.memo.place(digest, self._target(path), size):
            return False
        self.paths.add(path)
        return True

    def _target(self, path: str) -> Path:
        """Where file `path` goes; its folder made the first time one of its files is asked for."""
        name, _, file = path.rpartition("/")
        folder = self.folders.get(name)
        if folder is None:
            folder = self.folders[name] = self.folder / name
            folder.mkdir(parents=True, exist_ok=True)
        return folder / file

    def written(self, pages: Mapping) -> None:
        """The pages rendered (output path -> `render.Rendered`), some written by a forked worker."""
        self.paths.update(pages)

    def view(self) -> Mapping[str, bytes]:
        return Folder(self.folder, self.paths)

    def swap(self) -> None:
        _swap(self.folder, self.out)
        self.swapped = True

    def discard(self) -> None:
        """Remove the new folder, unless it was swapped in."""
        if not self.swapped:
            shutil.rmtree(self.folder, ignore_errors=True)


class Folder(Mapping[str, bytes]):
    """The files of a site on disk, by output path; each read when asked for."""

    def __init__(self, folder: Path, paths) -> None:
        self.folder, self.paths = folder, set(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self.paths:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __contains__(self, path) -> bool:
        return path in self.paths

    def __iter__(self):
        return iter(sorted(self.paths))

    def __len__(self) -> int:
        return len(self.paths)


def write_site(out: Path, files: Mapping[str, bytes]) -> None:
    """Replace `out` by a folder holding exactly `files` (see `Staged`); a failure leaves the
    previous `out` as it was. Refuses, as `Staged` does, a folder no Dossier build wrote."""
    site = Staged(out)
    try:
        for path in sorted(files):
            site.add(path, files[path])
        site.swap()
    finally:
        site.discard()


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
