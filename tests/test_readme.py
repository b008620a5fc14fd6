"""The README's field reference and quick start stay in step with the schemas and the CI script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMAS = ROOT / "dossier" / "schemas"


def table_keys(heading: str) -> set[str]:
    """The `key` column of the first table after `heading` in the README."""
    lines = README.split(heading, 1)[1].split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| key"))
    table = [line for line in lines[start + 2:] if line.startswith("|")]
    table = table[:next((i for i, line in enumerate(lines[start + 2:]) if not line.startswith("|")), len(table))]
    return {re.match(r"\| `([a-z0-9_]+)`", line).group(1) for line in table}


def schema_keys(name: str, *path: str) -> set[str]:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    node = schema
    for part in path:
        node = schema["$defs"][part] if part in schema.get("$defs", {}) else node[part]
    return set(node["properties"])


@pytest.mark.parametrize("heading, schema, path", [
    ("### `config.yaml`", "config", ()),
    ("### `content/sources/<slug>.md`", "source", ()),
    ("#### A fact", "source", ("fact",)),
    ("#### A note", "source", ("note",)),
    ("#### An unannotated figure", "source", ("unannotated",)),
    ("#### The original", "source", ("original",)),
    ("### `content/topics/<slug>.md`", "topic", ()),
    ("### `content/claims.yaml`", "claims", ("claim",)),
    ("#### A verdict", "claims", ("verdict",)),
])
def test_field_reference_lists_exactly_the_schema_fields(heading, schema, path):
    assert table_keys(heading) == schema_keys(schema, *path)


def test_quick_start_has_the_two_commands_and_ci_runs_the_test_one():
    blocks = re.findall(r"```sh\n(.+?)\n```", README.split("## Quick start", 1)[1].split("\n## ", 1)[0], re.S)
    assert len(blocks) == 2
    assert "build.py" in blocks[0] and "requirements.txt" in blocks[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert blocks[1].strip() in ci


def test_the_schemas_share_one_version_which_the_readme_names():
    ids = {path.name: json.loads(path.read_text())["$id"] for path in SCHEMAS.glob("*.schema.json")}
    assert all(ident.endswith(f"/{name}") for name, ident in ids.items())
    versions = {re.fullmatch(r"https://dossier\.invalid/schemas/(\d+)/[a-z]+\.schema\.json", i).group(1)
                for i in ids.values()}
    assert len(versions) == 1
    assert f"`https://dossier.invalid/schemas/{versions.pop()}/source.schema.json`" in README
