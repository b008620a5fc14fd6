"""No build holds the parsed YAML documents once the files are checked: what a next build reuses
is kept in the memo as the checked models (see load), so the documents are gone by the time pages
are rendered, whether or not a memo is kept for a next build."""

from __future__ import annotations

import gc

from dossier import pipeline
from dossier.pipeline import Memo, Options, build
from dossier.yamlload import YamlDocument

from .helpers import copy_real_project


def documents_alive() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, YamlDocument))


def alive_while_rendering(monkeypatch, options: Options, memo=None) -> int:
    """YAML documents alive when rendering starts, beyond those alive before the build (earlier
    tests in the same process may still hold some)."""
    before = documents_alive()
    seen = []
    render = pipeline._render

    def counting(*args, **kwargs):
        seen.append(documents_alive() - before)
        return render(*args, **kwargs)
    monkeypatch.setattr(pipeline, "_render", counting)
    assert build(options, memo).ok
    return seen[0]


def test_a_one_off_build_renders_with_no_parsed_document_left(tmp_path, monkeypatch):
    root = copy_real_project(tmp_path / "p")
    assert alive_while_rendering(monkeypatch, Options(root, out=tmp_path / "site", search=False)) <= 0


def test_a_kept_memo_holds_the_checked_files_not_their_documents(tmp_path, monkeypatch):
    root = copy_real_project(tmp_path / "p")
    memo = Memo()
    assert alive_while_rendering(monkeypatch, Options(root, write=False), memo) <= 0
    again = build(Options(root, write=False), memo)
    assert again.ok and again.rendered == []
