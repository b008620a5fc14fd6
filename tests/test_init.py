"""`init`: a new dossier on any subject, complete and building with no warning; a folder in use is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dossier import starter
from dossier.yamlload import load_yaml
from tests.helpers import parse, run

FILES = [".github/workflows/pages.yml", ".gitignore", "README.md", "config.yaml", "content/claims.yaml",
         "content/index.md", "content/topics/example-topic.md", "requirements.txt", "seeds/.gitkeep"]


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def started(tmp_path) -> Path:
    code, out, _ = run(tmp_path, "init", "belarus-protests")
    assert code == 0
    return tmp_path / "belarus-protests"


def test_init_writes_a_complete_dossier(started):
    assert files(started) == FILES
    assert (started / "seeds/.gitkeep").read_bytes() == b""
    assert {"site/", ".dossier-cache/"} <= set((started / ".gitignore").read_text().split())


def test_a_new_dossier_builds_with_no_warning(started):
    code, out, err = run(started, "build")
    assert (code, err) == (0, "")
    assert out.startswith("built 8 pages (0 sources, 1 topics, 0 claims")
    intro = parse(started / "site/index.html")
    assert intro.find("h1").get_text(strip=True) == "Belarus protests"
    assert intro.find("a", href="/topics/example-topic/") is not None


def test_the_title_is_taken_as_given(tmp_path):
    title = "Floods of 2024: what the 'official' figures say #1"
    assert run(tmp_path, "init", "floods", "--title", title)[0] == 0
    assert load_yaml((tmp_path / "floods/config.yaml").read_text(), "config.yaml").data["title"] == title
    assert (tmp_path / "floods/README.md").read_text().startswith(f"# {title}\n")
    assert run(tmp_path / "floods", "build", "-q") == (0, "", "")


def test_an_empty_folder_is_used_and_minus_c_names_it(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run(tmp_path, "init", "-C", str(tmp_path / "empty"))[0] == 0
    assert files(tmp_path / "empty") == FILES


@pytest.mark.parametrize("make, message", [
    (lambda path: (path.mkdir(), (path / "notes.txt").write_text("mine")), "error: the folder is not empty"),
    (lambda path: path.write_text("a file"), "error: is a file, not a folder"),
])
def test_a_folder_in_use_is_refused(tmp_path, make, message):
    target = tmp_path / "taken"
    make(target)
    before = files(tmp_path)
    code, out, err = run(tmp_path, "init", str(target))
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == f"{target}: {message}"
    assert "Traceback" not in err
    assert files(tmp_path) == before


def test_the_pages_workflow_is_valid_and_installs_the_engine(started):
    workflow = started / ".github/workflows/pages.yml"
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    text = workflow.read_text()
    assert "pip install -r requirements.txt" in text
    assert text.index("run: dossier check") < text.index("run: dossier build --base-url")
    lines = [line for line in (started / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith("annotated-dossier")


class _Installed:
    def __init__(self, direct: dict | None, version: str = "0.1.0"):
        self.version, self._direct = version, direct

    def read_text(self, name: str):
        return json.dumps(self._direct) if name == "direct_url.json" and self._direct is not None else None


@pytest.mark.parametrize("installed, line, noted", [
    (_Installed({"url": "https://github.com/me/dossier", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}),
     "annotated-dossier @ git+https://github.com/me/dossier@abc123", False),
    (_Installed(None, "1.2.0"), "annotated-dossier==1.2.0", False),
    (_Installed({"url": "file:///home/me/dossier", "dir_info": {}}), "annotated-dossier==0.1.0", True),
])
def test_the_engine_requirement_says_where_the_engine_came_from(monkeypatch, installed, line, noted):
    monkeypatch.setattr(starter.metadata, "distribution", lambda name: installed)
    requirement, note = starter.engine_requirement()
    assert requirement == line
    assert bool(note) == noted
