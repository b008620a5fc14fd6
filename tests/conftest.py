"""Fixtures over tests/helpers.py: the minimal project, built or not; a safe working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import make_project as _make_project
from tests.helpers import run


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with a temporary working directory, so a relative path given to the CLI
    (`--out site2`) can never reach the real project's folders."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def make_project(tmp_path: Path):
    """make_project(files) -> root of a tiny project written from `files` (default: the minimal one)."""
    def make(files=None, name: str = "project") -> Path:
        return _make_project(tmp_path, files) if files is not None else _make_project(tmp_path, name=name)
    return make


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The minimal valid project."""
    return _make_project(tmp_path)


@pytest.fixture
def built(project: Path) -> Path:
    """The minimal project built into its site/ folder; returns the site folder."""
    code, _, err = run(project, "build")
    assert code == 0, err
    return project / "site"
