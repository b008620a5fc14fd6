"""A build whose inputs, engine and options are those of the last build, and whose output folder is
untouched, writes nothing and says so; anything else is a full build. The record is never trusted
when it is damaged or comes from another engine."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dossier import buildcache
from dossier.serve import Preview

from .helpers import MINIMAL, ROOT, make_project, override, run, tree_digest

WARNED = {**MINIMAL, "seeds/002_spare.txt": "A seed nobody annotated yet.\n"}  # "seed has no source file"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, WARNED)


def statuses(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def build(root: Path, *args: str) -> tuple[int, str, str]:
    code, out, err = run(root, *args)
    assert code == 0, err
    return code, out, err


def test_a_second_build_writes_nothing_and_gives_the_same_warnings(project):
    _, out, first_err = build(project)
    assert out.startswith("built ")
    before = statuses(project / "site")
    _, out, err = build(project)
    assert out.startswith("site/ is up to date: ") and "nothing changed" in out and "1 warning" in out
    assert err == first_err and "seed '002_spare.txt' has no source file" in err
    assert statuses(project / "site") == before


def test_the_site_of_a_cached_build_is_that_of_a_fresh_build(project, tmp_path):
    build(project)
    build(project)
    other = make_project(tmp_path, WARNED, name="fresh")
    build(other)
    assert tree_digest(project / "site") == tree_digest(other / "site")


@pytest.mark.parametrize("edit", [
    lambda root: replace(root / "content/sources/test-report.md", "Protests after the vote", "Protests after the poll"),
    lambda root: override(root, "static/dossier.css").write_text("body { color: red }\n"),
    lambda root: (root / "seeds/003_new.txt").write_text("Another seed.\n"),
    lambda root: (root / "seeds/002_spare.txt").unlink(),
    lambda root: (root / "config.yaml").write_text(MINIMAL["config.yaml"] + "description: Changed.\n"),
], ids=["content", "stylesheet", "seed added", "seed removed", "config"])
def test_any_changed_input_builds_again(project, edit):
    build(project)
    edit(project)
    _, out, _ = build(project)
    assert out.startswith("built ")


def test_a_change_that_keeps_size_and_modification_time_is_still_seen(project):
    """Same size, modification time put back: the change time (and the two-second rule) give it away."""
    build(project)
    seed = project / "seeds/001_test.txt"
    status = seed.stat()
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("Minsk", "Mensk", 1), encoding="utf-8")
    os.utime(seed, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert seed.stat().st_size == status.st_size
    _, out, _ = build(project)
    assert out.startswith("built ")
    assert "Mensk" in (project / "site/seeds/001_test.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", [
    lambda site: (site / "index.html").unlink(),
    lambda site: (site / "index.html").write_text("defaced"),
    lambda site: (site / "extra.html").write_text("added"),
], ids=["deleted", "changed", "added"])
def test_a_touched_output_folder_is_built_again(project, damage):
    build(project)
    good = tree_digest(project / "site")
    damage(project / "site")
    _, out, _ = build(project)
    assert out.startswith("built ")
    assert tree_digest(project / "site") == good


@pytest.mark.parametrize("args", [("--base-url", "/elsewhere/"), ("--strict",), ("-o", "public")])
def test_other_options_build_again(project, args):
    build(project)
    code, out, err = run(project, *args)
    assert not out.startswith("site/ is up to date"), out
    assert code == (1 if "--strict" in args else 0), err  # strict: the warning fails the build


@pytest.mark.parametrize("record", [
    b"",
    b"\x00\xff garbage",
    b'{"format": "dossier-build-cache-1"',
    b"[]",
    b'{"format": "dossier-build-cache-1", "engine": 7}',
], ids=["empty", "binary", "truncated", "a list", "wrong types"])
def test_a_damaged_record_is_ignored(project, record):
    build(project)
    good = tree_digest(project / "site")
    (project / ".dossier-cache/build.json").write_bytes(record)
    _, out, _ = build(project)
    assert out.startswith("built ")
    assert tree_digest(project / "site") == good
    _, out, _ = build(project)  # and a sound record was written again
    assert out.startswith("site/ is up to date")


@pytest.mark.parametrize("field,value", [
    ("engine", "0" * 64),  # another version of the engine (or its libraries)
    ("format", "dossier-build-cache-0"),
    ("fingerprint", "f" * 64),
    ("outputs", {"index.html": "not a list"}),
    ("diagnostics", [["x", 1, 1, "error", "an error cannot come from a good build", ""]]),
])
def test_a_record_from_another_engine_or_of_the_wrong_shape_is_not_trusted(project, field, value):
    build(project)
    path = project / ".dossier-cache/build.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data[field] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    _, out, _ = build(project)
    assert out.startswith("built ")


def test_a_failed_build_records_nothing_and_the_fix_finds_the_site_up_to_date(project):
    build(project)
    source = project / "content/sources/test-report.md"
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("title:", "title: [", 1), encoding="utf-8")
    code, _, _ = run(project)
    assert code == 1
    source.write_text(good, encoding="utf-8")
    _, out, _ = build(project)
    assert out.startswith("site/ is up to date")


def test_check_and_serve_neither_read_nor_write_the_record(project):
    code, _, _ = run(project, "check")
    assert code == 0
    Preview(project).rebuild(io.StringIO())
    assert not (project / ".dossier-cache/build.json").exists()


def test_any_change_to_the_engine_code_or_schemas_is_a_new_engine(tmp_path):
    package = tmp_path / "dossier"
    shutil.copytree(Path(buildcache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    digest = buildcache.engine_digest(package)
    assert digest == buildcache.engine()
    for changed in ("pipeline.py", "schemas/source.schema.json"):
        original = (package / changed).read_bytes()
        (package / changed).write_bytes(original + b"\n")
        assert buildcache.engine_digest(package) != digest, changed
        (package / changed).write_bytes(original)
    assert buildcache.engine_digest(package) == digest


def test_a_loop_of_links_in_the_inputs_ends(project):
    (project / "content/loop").symlink_to(project / "content")
    build(project)
    _, out, _ = build(project)
    assert out.startswith("site/ is up to date")


def test_a_build_with_nothing_to_do_loads_none_of_the_stages(project):
    """Starting fast is most of a build with nothing to do: it imports neither the stages nor
    Jinja, Markdown or YAML. A build with work to do imports them, and its record still works."""
    build(project)
    probe = ("import sys\nfrom pathlib import Path\nfrom dossier.cli import main\n"
             "code = main(['build', '-q', '-C', sys.argv[1]])\n"
             "heavy = sorted(m for m in ('dossier.pipeline', 'dossier.derive', 'jinja2', 'markdown_it', 'yaml')"
             " if m in sys.modules)\n"
             "print(code, ','.join(heavy) or '-')\n")
    def imported() -> str:
        done = subprocess.run([sys.executable, "-c", probe, str(project)], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()
    assert imported() == "0 -"
    replace(project / "content" / "sources" / "test-report.md", "Protests after the vote", "Protests after the count")
    assert imported() == "0 dossier.derive,dossier.pipeline,jinja2,markdown_it,yaml"
    assert imported() == "0 -"


def test_library_versions_are_those_importlib_metadata_finds():
    import importlib.metadata as metadata

    found = buildcache.installed()
    for name in buildcache.LIBRARIES:
        assert found[buildcache._normal(name)] == metadata.version(name), name
