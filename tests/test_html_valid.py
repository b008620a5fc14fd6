"""The Nu HTML Checker (vnu.jar, on Java) finds no error on any page of the real dossier, built as
it is and with its long lists split into pages of five items."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from dossier.cli import main

from . import evidence, tiny
from .helpers import copy_real_project

PROJECT = Path(__file__).resolve().parents[1]
VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(tmp_path):
    out = tmp_path / "site"
    assert main(["build", "-C", str(PROJECT), "--out", str(out), "-q"]) == 0
    paged = copy_real_project(tmp_path / "paged")
    with open(paged / "config.yaml", "a", encoding="utf-8") as config:
        config.write("per_page: 5\n")
    assert main(["build", "-C", str(paged), "-q"]) == 0
    assert list((paged / "site").glob("topics/*/page/2/index.html"))
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(out),
                           str(paged / "site")],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") == "error"]
    assert errors == []
    assert done.returncode == 0


def test_the_pages_of_verdicts_attributions_and_provenance_are_valid_html(tmp_path):
    """A tiny dossier with an inferred attribution, verdicts on claims and a fact, an original's
    address and its archived copy (tests/evidence.py): the markup none of the real dossier's
    pages has yet."""
    code, _, err, out = tiny.build(tiny.write(tmp_path, evidence.project()))
    assert code == 0, err
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(out)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('url', '').split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
            if m.get("type") == "error"] == []
