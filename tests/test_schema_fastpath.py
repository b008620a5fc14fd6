"""Valid documents are checked by fastjsonschema, invalid ones explained by jsonschema: the two
must agree on which documents are valid, or an error would go unreported. Real documents of every
kind, mutated at random, are put to both."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.frontmatter import parse_markdown_file
from dossier.yamlload import load_yaml
from dossier.schema import _valid, _validator, load_schema

from .helpers import ROOT

SCHEMAS = ("config", "source", "topic", "claims", "index")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["", "2020-08-09", "2020-13-01", "fact", "a-slug", "Not A Slug", "\n"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


def real_documents() -> dict[str, list]:
    def yaml(rel: str):
        return load_yaml((ROOT / rel).read_text(encoding="utf-8"), rel).data

    def front(rel: str):
        return parse_markdown_file(rel, (ROOT / rel).read_text(encoding="utf-8")).front.data

    def fronts(folder: str) -> list:
        return [front(p.relative_to(ROOT).as_posix()) for p in sorted((ROOT / folder).glob("*.md"))]
    return {"config": [yaml("config.yaml")], "source": fronts("content/sources"), "topic": fronts("content/topics"),
            "claims": [yaml("content/claims.yaml")], "index": [front("content/index.md") or {}]}


DOCUMENTS = real_documents()


def paths(node, here=()):
    """Every place in a document: (path to the container, key or index)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield here, key
            yield from paths(value, here + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield here, index
            yield from paths(value, here + (index,))


def at(node, path):
    for part in path:
        node = node[part]
    return node


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from(SCHEMAS), pick=st.integers(0, 10**6), where=st.integers(0, 10**6),
       action=st.sampled_from(["replace", "delete", "add"]), value=JSON, key=st.text(max_size=8))
def test_fastjsonschema_and_jsonschema_agree(name, pick, where, action, value, key):
    documents = DOCUMENTS[name]
    data = copy.deepcopy(documents[pick % len(documents)])
    places = list(paths(data))
    if places:
        container_path, slot = places[where % len(places)]
        container = at(data, container_path)
        if action == "replace":
            container[slot] = value
        elif action == "delete":
            del container[slot]
        elif isinstance(container, dict):
            container[key] = value
        else:
            container.append(value)
    assert _valid(name, data) == (not list(_validator(name).iter_errors(data))), data


def test_every_real_document_is_valid_for_both():
    for name, documents in DOCUMENTS.items():
        for data in documents:
            assert _valid(name, data) and not list(_validator(name).iter_errors(data)), name


def test_the_schemas_use_only_keywords_both_read_alike():
    """Keywords whose meaning changed after draft 7 (prefixItems, dependentRequired, unevaluated…)
    are not checked by fastjsonschema: a schema that used them would need another fast path."""
    same = {"type", "$ref", "pattern", "minLength", "maxLength", "items", "additionalProperties", "required",
            "properties", "minimum", "maximum", "enum", "uniqueItems", "$defs", "anyOf", "oneOf", "allOf",
            "propertyNames", "const", "$id", "$schema", "description", "title", "minItems", "maxItems", "not",
            "exclusiveMinimum", "exclusiveMaximum", "default", "examples"}

    def keywords(node, inside_properties=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if not inside_properties:
                    yield key
                yield from keywords(value, key in ("properties", "$defs") and not inside_properties)
        elif isinstance(node, list):
            for value in node:
                yield from keywords(value)
    for name in SCHEMAS:
        assert set(keywords(load_schema(name))) <= same, name
