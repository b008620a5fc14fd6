"""The one memo: results keyed by digests of their inputs, kept on disk between runs; a cache from
another engine, or a damaged one, is ignored, and a build from the cache equals a fresh build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dossier import buildcache
from dossier.memo import MISSING, Memo, digest_of, key
from dossier.pipeline import Options, build

from .helpers import ROOT, copy_real_project

SOURCES = 5


def site(result) -> dict:
    return dict(result.files)


def one_off(root: Path, out: Path, **options):
    """A command line's build: its memo on disk in the project's cache."""
    return build(Options(root, out=out, search=False, **options))


def test_a_result_is_found_by_its_key_in_the_next_build_and_on_disk(tmp_path):
    memo = Memo(tmp_path / "memo", engine="e1")
    assert memo.get("kind", key("a", 1), lambda: ("value", 1)) == ("value", 1)
    memo.finish()
    assert memo.lookup("kind", key("a", 1)) == ("value", 1)
    again = Memo(tmp_path / "memo", engine="e1")
    assert again.lookup("kind", key("a", 1)) == ("value", 1)
    assert again.lookup("kind", key("a", 2)) is MISSING


def test_a_build_keeps_only_what_it_used(tmp_path):
    memo = Memo(tmp_path / "memo", engine="e1")
    memo.put("kind", "old", 1)
    memo.finish()
    memo.put("kind", "new", 2)
    memo.finish()
    assert Memo(tmp_path / "memo", engine="e1").lookup("kind", "old") is MISSING


def test_a_memo_written_by_another_engine_is_ignored(tmp_path):
    memo = Memo(tmp_path / "memo", engine="e1")
    memo.put("kind", "k", 1)
    memo.finish()
    assert Memo(tmp_path / "memo", engine="e2").lookup("kind", "k") is MISSING


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05\x95garbage"])
def test_a_damaged_memo_file_is_ignored(tmp_path, damage):
    memo = Memo(tmp_path / "memo", engine="e1")
    memo.put("kind", "k", 1)
    memo.finish()
    (tmp_path / "memo" / "kind.pickle").write_bytes(damage)
    assert Memo(tmp_path / "memo", engine="e1").lookup("kind", "k") is MISSING


def test_keys_and_digests_are_the_same_in_every_process():
    """(String hashing changes from process to process: nothing that reaches a key may depend on it.)"""
    code = ("from dossier.memo import key, digest_of\nfrom dossier.markdown import Link\n"
            "print(key('a', ('b', 1), None), digest_of((Link('/u', 't', 'topic', 'topics/t'), 'x')))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                              env={"PYTHONHASHSEED": str(seed)}, check=True).stdout for seed in (1, 2)}
    assert len(outputs) == 1
    from dossier.markdown import Link
    assert outputs.pop().split() == [key("a", ("b", 1), None), digest_of((Link("/u", "t", "topic", "topics/t"), "x"))]


def test_a_build_from_the_cache_derives_nothing_and_equals_a_fresh_build(tmp_path):
    root = copy_real_project(tmp_path / "p")
    first = one_off(root, tmp_path / "site")
    assert first.ok and len(first.derived) == SOURCES
    cached = one_off(root, tmp_path / "site2")  # another output: the build record does not apply
    assert cached.ok and cached.derived == [] and cached.rendered == []
    fresh = build(Options(root, out=tmp_path / "site3", search=False, cache=tmp_path / "empty-cache"))
    assert fresh.ok and len(fresh.derived) == SOURCES
    assert site(cached) == site(fresh)


def test_a_cache_from_another_engine_is_not_used(tmp_path, monkeypatch):
    root = copy_real_project(tmp_path / "p")
    assert one_off(root, tmp_path / "site").ok
    monkeypatch.setattr(buildcache, "engine", lambda: "another engine")
    again = one_off(root, tmp_path / "site2")
    assert again.ok and len(again.derived) == SOURCES


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path):
    root = copy_real_project(tmp_path / "p")
    first = one_off(root, tmp_path / "site")
    for path in (root / ".dossier-cache" / "memo").glob("*.pickle"):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    damaged = one_off(root, tmp_path / "site2")
    assert damaged.ok and len(damaged.derived) == SOURCES
    assert site(damaged) == site(first)
    assert one_off(root, tmp_path / "site3").derived == []  # written whole again


def test_check_writes_no_cache(tmp_path):
    root = copy_real_project(tmp_path / "p")
    assert build(Options(root, write=False)).ok
    assert not (root / ".dossier-cache").exists()


def test_a_failed_build_leaves_the_cache_as_it_was(tmp_path):
    root = copy_real_project(tmp_path / "p")
    assert one_off(root, tmp_path / "site").ok
    memo = root / ".dossier-cache" / "memo"
    files = lambda: {p.relative_to(memo): p.read_bytes() for p in memo.rglob("*") if p.is_file()}  # noqa: E731
    before = files()
    source = next((root / "content" / "sources").glob("*.md"))
    source.write_text(source.read_text(encoding="utf-8").replace("quote: ", "quote: not in the seed ", 1), encoding="utf-8")
    assert not one_off(root, tmp_path / "site2").ok
    assert files() == before


def test_equal_values_have_equal_digests_however_they_share_their_parts():
    from dossier.markdown import Link
    shared = "sources/x"
    one = (Link("/x/", "X", "source", shared), shared)
    other = (Link("/x/", "X", "source", "sources/" + "x"[:]), "".join(["sources/", "x"]))
    assert one == other and digest_of(one) == digest_of(other)


def test_what_a_killed_build_left_aside_is_swept(tmp_path):
    import os
    folder = tmp_path / "memo"
    folder.mkdir()
    old, fresh = folder / ".derived.123", folder / ".derived.456"
    old.write_bytes(b"half"), fresh.write_bytes(b"being written")
    os.utime(old, (0, 0))
    memo = Memo(folder, engine="e1")
    memo.put("kind", "k", 1)
    memo.finish()
    assert not old.exists() and fresh.exists()  # (another build may be writing the fresh one now)
    assert (folder / "kind.pickle").is_file()


def test_pages_are_stored_as_files_and_a_damaged_or_missing_one_is_rendered_again(tmp_path):
    """A written build stores each page as a file of its own beside the memo (not inside its
    pickles); a build with no output folder places them again. A stored page cut short or
    removed is rendered anew, and the site is the same."""
    root = copy_real_project(tmp_path / "p")
    first = one_off(root, tmp_path / "site")
    stored = sorted((root / ".dossier-cache" / "memo" / "files").iterdir())
    assert len(stored) == len(first.rendered) > 60 and all(len(p.name) == 64 for p in stored)
    assert max(p.stat().st_size for p in (root / ".dossier-cache" / "memo").glob("page.pickle")) \
        < sum(p.stat().st_size for p in stored) / 4  # (the pickle holds scans, not pages)
    cut, gone = stored[0], stored[1]
    cut.write_bytes(cut.read_bytes()[:100])
    gone.unlink()
    again = one_off(root, tmp_path / "site2")
    assert again.ok and len(again.rendered) == 2
    assert site(again) == site(first)
    assert one_off(root, tmp_path / "site3").rendered == []  # (stored whole again)


def test_a_written_site_equals_the_one_a_build_keeps_in_memory(tmp_path):
    root = copy_real_project(tmp_path / "p")
    written = one_off(root, tmp_path / "site")
    held = build(Options(root, write=False, search=False))
    assert written.ok and held.ok
    assert site(held) == {name: data for name, data in site(written).items()}
    assert sorted((tmp_path / "site").rglob("*.html")) and not list(tmp_path.glob(".site.new-*"))
