"""dossier.yamlload: YAML 1.2 core scalars, duplicate keys, syntax errors, positions."""

import pytest

from dossier.diagnostics import Location
from dossier.yamlload import load_yaml, resolve_plain


def loaded(text: str, first_line: int = 1):
    return load_yaml(text, "f.yaml", first_line)


def messages(doc) -> list[str]:
    return [f"{d.location}: {d.level}: {d.message}" for d in doc.diagnostics]


@pytest.mark.parametrize("text", ["no", "No", "NO", "on", "off", "yes", "Yes", "y", "n",
                                  "2020-08-09", "2020-08", "12:30", "1_000", "0b101"])
def test_yaml_1_1_words_and_dates_stay_text(text):
    doc = loaded(f"key: {text}\n")
    assert doc.diagnostics == []
    assert doc.data == {"key": text}
    assert type(doc.data["key"]) is str


@pytest.mark.parametrize("text, value", [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    ("0", 0), ("12", 12), ("-7", -7), ("+3", 3), ("6700", 6700),
    ("80.08", 80.08), ("-1.5", -1.5), (".5", 0.5), ("1e3", 1000.0), ("2.5E-1", 0.25),
    ("null", None), ("Null", None), ("~", None),
])
def test_core_schema_scalars(text, value):
    doc = loaded(f"key: {text}\n")
    assert doc.diagnostics == []
    assert doc.data["key"] == value
    assert type(doc.data["key"]) is type(value)


def test_empty_value_is_null():
    assert loaded("key:\n").data == {"key": None}


def test_quoted_scalars_are_always_text():
    doc = loaded("a: 'true'\nb: \"12\"\nc: '2020'\nd: |\n  80.08\n")
    assert doc.data == {"a": "true", "b": "12", "c": "2020", "d": "80.08\n"}


def test_explicit_str_tag_keeps_text():
    # `!!str 12` asks for text in every YAML version.
    doc = loaded("a: !!str 12\nb: !!str true\n")
    assert doc.data == {"a": "12", "b": "true"}


def test_raw_text_of_plain_non_text_scalars_is_kept():
    doc = loaded("title: 1984\nflag: true\nname: plain\nquoted: '5'\n")
    assert doc.raw == {("title",): "1984", ("flag",): "true"}


def test_resolve_plain_directly():
    assert resolve_plain("no") == "no"
    assert resolve_plain("") is None
    assert resolve_plain("3") == 3


def test_duplicate_key_is_an_error_naming_both_lines():
    doc = loaded("title: one\nother: x\ntitle: two\n")
    assert messages(doc) == ["f.yaml:3:1: error: duplicate key 'title' (first defined at line 1)"]
    assert doc.data["title"] == "one"


def test_duplicate_key_in_nested_mapping_with_offset():
    doc = loaded("facts:\n  - id: a\n    id: b\n", first_line=2)
    assert messages(doc) == ["f.yaml:4:5: error: duplicate key 'id' (first defined at line 3)"]


def test_syntax_error_has_line_and_column():
    doc = loaded("title: ok\nlist: [1, 2\nnext: 3\n")
    assert len(doc.diagnostics) == 1
    diagnostic = doc.diagnostics[0]
    assert diagnostic.level == "error"
    assert diagnostic.location == Location("f.yaml", 3, 5)
    assert diagnostic.message.startswith("YAML syntax error: ")
    assert doc.data is None


def test_unquoted_colon_syntax_error_hints_at_quoting():
    doc = loaded("statement: Police said: 3000\n", first_line=5)
    [diagnostic] = doc.diagnostics
    assert str(diagnostic.location) == "f.yaml:5:23"
    # libyaml says "…not allowed in this context", PyYAML "…not allowed here"
    assert diagnostic.message.startswith("YAML syntax error: mapping values are not allowed")
    assert "must be quoted" in diagnostic.hint


def test_recursive_alias_is_an_error_not_a_hang():
    doc = loaded("a: &x\n  b: *x\n")
    assert [d.message for d in doc.diagnostics] == ["recursive YAML alias"]
    assert doc.diagnostics[0].location.path == "f.yaml"


def test_alias_bomb_is_refused():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        lines.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    doc = loaded("\n".join(lines) + "\n")
    assert [d.message for d in doc.diagnostics] == ["YAML document too large (alias expansion?)"]


def test_unsupported_tag_is_an_error():
    doc = loaded("a: !!python/object:os.system x\n")
    assert messages(doc) == ["f.yaml:1:4: error: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'"]


def test_positions_of_nested_values_and_keys():
    text = ("top:\n"
            "  list:\n"
            "    - one\n"
            "    - key: value\n"
            "      other: 2\n")
    doc = loaded(text, first_line=2)
    assert doc.positions[()] == Location("f.yaml", 2, 1)
    assert doc.positions[("top",)] == Location("f.yaml", 3, 3)
    assert doc.positions[("top", "list", 0)] == Location("f.yaml", 4, 7)
    assert doc.positions[("top", "list", 1)] == Location("f.yaml", 5, 7)
    assert doc.positions[("top", "list", 1, "key")] == Location("f.yaml", 5, 12)
    assert doc.positions[("top", "list", 1, "other")] == Location("f.yaml", 6, 14)
    assert doc.key_positions[("top",)] == Location("f.yaml", 2, 1)
    assert doc.key_positions[("top", "list", 1, "other")] == Location("f.yaml", 6, 7)


def test_where_falls_back_to_the_closest_parent():
    doc = loaded("a:\n  b: 1\n")
    assert doc.where(("a", "b", "missing")) == Location("f.yaml", 2, 6)
    assert doc.where(("nothing",)) == Location("f.yaml", 1, 1)
    assert doc.where_key(("a", "b")) == Location("f.yaml", 2, 3)


def test_empty_document_is_none_without_errors():
    doc = loaded("")
    assert doc.data is None and doc.diagnostics == []
