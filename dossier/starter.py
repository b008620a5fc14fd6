"""`dossier init DIR`: a new dossier on any subject, which builds as it is with no warning.

The files are those of `dossier/starter/` (a leading `_` in a name stands for the `.` of
`.gitignore`, `.github/`, `seeds/.gitkeep`), with the title and the engine's requirement filled
in. They are written into a folder beside DIR, which then takes DIR's place: an interrupted init
leaves nothing behind."""

from __future__ import annotations

import json
import os
import shutil
from importlib import metadata
from pathlib import Path
from typing import Optional, TextIO

from . import __version__
from .scaffold import quoted

STARTER = Path(__file__).resolve().parent / "starter"
DISTRIBUTION = "annotated-dossier"  # the name `pip` knows the engine by ("dossier" is another project's)


def init(target: Path, title: Optional[str], stdout: TextIO, stderr: TextIO) -> int:
    problem = _refusal(target)
    if problem:
        print(problem, file=stderr)
        return 1
    title = title or default_title(target)
    engine, note = engine_requirement()
    values = {"@TITLE@": title, "@TITLE_YAML@": quoted(title), "@ENGINE@": engine}
    _write_all(target, {rel: _filled(data, values) for rel, data in starter_files().items()})
    print(f"started the dossier '{title}' in {target}/", file=stdout)
    if note:
        print(f"{target / 'requirements.txt'}:2:1: warning: {note}", file=stderr)
    print(f"next: cd {target} && dossier new <a saved web page, PDF or text file>, then dossier serve", file=stdout)
    return 0


def _refusal(target: Path) -> str:
    """Why a dossier cannot be started in `target` ("" if it can): it must be new or empty."""
    if target.exists() and not target.is_dir():
        return f"{target}: error: is a file, not a folder\n    choose a new folder: dossier init my-dossier"
    if target.is_dir() and any(target.iterdir()):
        return (f"{target}: error: the folder is not empty\n"
                "    dossier init starts a dossier in a new or empty folder: dossier init my-dossier")
    return ""


def default_title(target: Path) -> str:
    """`belarus-protests` -> `Belarus protests` (the folder's name; change it in config.yaml)."""
    words = target.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(words)[:1].upper() + " ".join(words)[1:] if words else "My dossier"


def starter_files() -> dict[str, bytes]:
    """The starter's files by their path in the new dossier."""
    return {"/".join("." + part[1:] if part.startswith("_") else part for part in p.relative_to(STARTER).parts):
            p.read_bytes() for p in sorted(STARTER.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _filled(data: bytes, values: dict[str, str]) -> bytes:
    text = data.decode("utf-8")
    for key, value in values.items():
        text = text.replace(key, value)
    return text.encode("utf-8")


def _write_all(target: Path, files: dict[str, bytes]) -> None:
    """Write `files` into a folder beside `target`, then rename it to `target` (an empty folder
    there is replaced)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.init-{os.getpid()}"
    try:
        for rel, data in files.items():
            (partial / rel).parent.mkdir(parents=True, exist_ok=True)
            (partial / rel).write_bytes(data)
        os.replace(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def engine_requirement() -> tuple[str, str]:
    """The requirements line that installs this engine, and a note when none can be known: the
    address it was installed from (a Git repository at its commit, a web address), else its
    version from a package index."""
    try:
        found = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        found = None
    direct = json.loads(found.read_text("direct_url.json") or "null") if found else None
    if direct and "vcs_info" in direct:
        return f"{DISTRIBUTION} @ git+{direct['url']}@{direct['vcs_info']['commit_id']}", ""
    if direct and direct.get("url", "").startswith(("https://", "http://")):
        return f"{DISTRIBUTION} @ {direct['url']}", ""
    pinned = f"{DISTRIBUTION}=={found.version if found else __version__}"
    if found and not direct:
        return pinned, ""
    return pinned, ("this engine was not installed from an address your CI can reach; replace the line by "
                    f"one that installs it, e.g. '{DISTRIBUTION} @ git+https://github.com/OWNER/REPO@TAG'")
