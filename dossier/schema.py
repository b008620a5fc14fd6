"""Validate loaded YAML against the published JSON Schemas; every problem mapped to file:line:col."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .diagnostics import Diagnostic, did_you_mean, error
from .yamlload import YamlDocument

if TYPE_CHECKING:
    import jsonschema

SCHEMA_DIR = Path(__file__).parent / "schemas"

_TYPE_NAMES = {
    "string": "text", "number": "a number", "integer": "a whole number", "array": "a list",
    "object": "a mapping of keys to values", "boolean": "true or false", "null": "empty",
}


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """The schema `dossier/schemas/<name>.schema.json` (read once; the files never change at run time)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str):
    """jsonschema's validator (imported only when a document is invalid: it takes a while to load)."""
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema(name))


@lru_cache(maxsize=None)
def _passes(name: str):
    """The schema compiled to a Python function (fastjsonschema) that raises on the first problem:
    a valid document — nearly all of them — is checked in a fraction of jsonschema's time, and
    only an invalid one is handed to jsonschema, which finds every problem and where it is. Our
    schemas use only keywords that mean the same in draft 7, which fastjsonschema implements.
    Its exceptions are left plain (jsonschema describes the problems): the code is a third the
    size and compiles three times sooner, which a one-off build pays for every schema it uses."""
    schema = {**load_schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, detailed_exceptions=False)


def validate(doc: YamlDocument, name: str) -> list[Diagnostic]:
    """Coerce plain scalars back to text where the schema wants text, then check the schema."""
    schema = load_schema(name)
    doc.data = _coerce(doc, doc.data, schema, schema, ())
    found = [] if _valid(name, doc.data) else [
        d for e in sorted(_validator(name).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
        for d in _diagnose(doc, e)]
    return found


def _valid(name: str, data: Any) -> bool:
    try:
        _passes(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _coerce(doc: YamlDocument, value: Any, node: dict, root: dict, path: tuple) -> Any:
    node = _resolve(node, root)
    if node.get("type") == "string" and path in doc.raw and doc.raw[path] != "":
        return doc.raw[path]
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        return {k: _coerce(doc, v, props.get(k, extra if isinstance(extra, dict) else {}), root, path + (k,))
                for k, v in value.items()}
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        return [_coerce(doc, v, node["items"], root, path + (i,)) for i, v in enumerate(value)]
    return value


def field_name(path) -> str:
    """`facts[2].quote` for ('facts', 2, 'quote')."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"


def _diagnose(doc: YamlDocument, e: jsonschema.ValidationError) -> list[Diagnostic]:
    path = tuple(e.absolute_path)
    name = field_name(path)
    schema = e.schema if isinstance(e.schema, dict) else {}
    kind = e.validator
    if "propertyNames" in e.absolute_schema_path:
        return [error(doc.where_key(path + (e.instance,)), f"'{e.instance}' is not a valid slug",
                      "use lower-case ASCII letters, digits and hyphens, e.g. 'vote-share'")]
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = sorted(set(e.instance) - set(allowed))
        return [error(doc.where_key(path + (k,)), f"unknown key '{k}' in {name}{did_you_mean(k, allowed)}",
                      "" if did_you_mean(k, allowed) else "allowed keys: " + ", ".join(allowed))
                for k in extras]
    if kind == "required":
        missing = e.message.split("'")[1] if "'" in e.message else str(e.validator_value)
        return [error(doc.where(path), f"missing required key '{missing}' in {name}")]
    return [error(doc.where(path), f"{name}: {_message(e)}", _hint(e, schema))]


def _message(e: jsonschema.ValidationError) -> str:
    kind, value = e.validator, e.instance
    if kind == "type":
        wanted = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        if value is None:
            return "must not be empty"
        return f"must be {' or '.join(_TYPE_NAMES[w] for w in wanted)}, not {_describe(value)}"
    if kind == "enum":
        options = [str(o) for o in e.validator_value]
        return f"'{value}' is not one of: {', '.join(options)}{did_you_mean(str(value), options)}"
    if kind == "minLength":
        return "must not be empty" if value == "" else f"is too short (at least {e.validator_value} characters)"
    if kind == "maxLength":
        return f"is too long ({len(value)} characters; at most {e.validator_value})"
    if kind == "pattern":
        return f"'{value}' is not valid here"
    if kind == "minimum":
        return f"must be at least {e.validator_value}, not {value}"
    if kind == "uniqueItems":
        return "lists the same item twice"
    return e.message


def _hint(e: jsonschema.ValidationError, schema: dict) -> str:
    if e.validator == "pattern":
        return "expected: " + schema.get("description", f"text matching {e.validator_value}")
    if e.validator == "enum" and "description" in schema:
        return "expected: " + schema["description"]
    if e.validator == "type" and e.validator_value == "string" and isinstance(e.instance, (bool, int, float)):
        return "put the value in quotes to keep it as text"
    return ""


def _describe(value: Any) -> str:
    for kind, name in (((bool,), "true/false"), ((int, float), "a number"), ((str,), "text"),
                       ((list,), "a list"), ((dict,), "a mapping")):
        if isinstance(value, kind):
            return name
    return type(value).__name__
