"""dossier.write: the new site is written beside the old one, then swapped in; failures change nothing."""

import pytest

from tests.helpers import tree_digest
from dossier.write import MARKER, recover, refuse, static_files, write_site


def previous_site(out):
    """A site as a previous build left it."""
    (out / "old").mkdir(parents=True)
    (out / MARKER).write_text("built\n")
    (out / "index.html").write_text("old index")
    (out / "old" / "page.html").write_text("old page")
    return tree_digest(out)


def siblings(out):
    return sorted(p.name for p in out.parent.iterdir() if p != out)


def test_writes_exactly_the_files(tmp_path):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"<p>new</p>", "sources/x/index.html": b"x"})
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [MARKER, "index.html", "sources/x/index.html"]
    assert (out / "index.html").read_bytes() == b"<p>new</p>"


def test_swap_replaces_the_folder(tmp_path):
    out = tmp_path / "site"
    previous_site(out)
    write_site(out, {"index.html": b"new index"})
    assert (out / "index.html").read_bytes() == b"new index"
    assert not (out / "old").exists()
    assert siblings(out) == []  # no .site.old, no .site.new-*


def test_failure_while_writing_leaves_the_previous_site_untouched(tmp_path):
    out = tmp_path / "site"
    before = previous_site(out)
    # "a" is a file, so "a/b" cannot be written below it
    with pytest.raises(OSError):
        write_site(out, {"a": b"file", "a/b": b"under a file", "index.html": b"new"})
    assert tree_digest(out) == before
    assert siblings(out) == []


def test_a_folder_not_built_by_dossier_is_never_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    assert refuse(out) != ""
    with pytest.raises(ValueError):
        write_site(out, {"index.html": b"x"})
    assert (out / "notes.txt").read_text() == "precious"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_refuse_accepts_new_empty_and_previous_sites(tmp_path):
    assert refuse(tmp_path / "new") == ""
    (tmp_path / "empty").mkdir()
    assert refuse(tmp_path / "empty") == ""
    previous_site(tmp_path / "built")
    assert refuse(tmp_path / "built") == ""
    (tmp_path / "file").write_text("x")
    assert refuse(tmp_path / "file") == "the output is a file, not a folder"


def test_recover_restores_the_previous_site_after_an_interrupted_swap(tmp_path):
    out = tmp_path / "site"
    old = tmp_path / ".site.old"
    before = previous_site(old)
    half = tmp_path / ".site.new-abc123"
    half.mkdir()
    (half / "index.html").write_text("half written")
    recover(out)
    assert tree_digest(out) == before
    assert siblings(out) == []


def test_recover_keeps_the_current_site_and_drops_half_written_ones(tmp_path):
    out = tmp_path / "site"
    before = previous_site(out)
    (tmp_path / ".site.new-xyz").mkdir()
    recover(out)
    assert tree_digest(out) == before
    assert siblings(out) == []


def test_write_after_an_interrupted_build(tmp_path):
    out = tmp_path / "site"
    previous_site(tmp_path / ".site.old")  # the swap stopped after moving the old site aside
    write_site(out, {"index.html": b"new"})
    assert (out / "index.html").read_bytes() == b"new"
    assert siblings(out) == []


def test_static_files(tmp_path):
    (tmp_path / "static" / "img").mkdir(parents=True)
    (tmp_path / "static" / "site.css").write_bytes(b"body{}")
    (tmp_path / "static" / "img" / "a.svg").write_bytes(b"<svg/>")
    (tmp_path / "static" / ".hidden").write_bytes(b"no")
    assert static_files(tmp_path / "static") == {"assets/img/a.svg": b"<svg/>", "assets/site.css": b"body{}"}
    assert static_files(tmp_path / "nothing") == {}
