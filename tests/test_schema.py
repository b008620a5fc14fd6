"""dossier.schema: JSON Schema problems as located, readable diagnostics; text coerced back."""

import pytest

from dossier.schema import field_name, load_schema, validate
from dossier.yamlload import load_yaml

SOURCE_HEAD = "seed: a.txt\ntitle: T\noutlet: O\npublished: 2020-08-09\n"


def check(text: str, schema: str, first_line: int = 1):
    doc = load_yaml(text, "f.yaml", first_line)
    assert doc.diagnostics == []
    problems = validate(doc, schema)
    return doc, [f"{d.location}: {d.level}: {d.message}" for d in sorted(problems)], problems


@pytest.mark.parametrize("name", ["config", "source", "topic", "claims", "index"])
def test_every_schema_is_published_json_schema(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"


def test_valid_config_has_no_problems():
    doc, lines, _ = check("title: T\nbase_url: /repo/\nstrict: true\n", "config")
    assert lines == []
    assert doc.data == {"title": "T", "base_url": "/repo/", "strict": True}


def test_number_where_text_is_wanted_becomes_the_written_text():
    doc, lines, _ = check("title: 1984\n", "config")
    assert lines == []
    assert doc.data == {"title": "1984"}


def test_float_keeps_its_written_digits():
    doc, lines, _ = check("title: 80.10\n", "config")
    assert lines == [] and doc.data["title"] == "80.10"


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "true", "false", "null"])
def test_yaml_words_become_text_where_text_is_wanted(word):
    doc, lines, _ = check(f"title: {word}\n", "config")
    assert lines == []
    assert doc.data == {"title": word}


def test_nested_coercion_in_facts_and_published_date():
    doc, lines, _ = check(SOURCE_HEAD.replace("2020-08-09", "2020") +
                          "facts:\n  - id: a\n    statement: 12\n    quote: abc\n    value: 12\n    by: no\n", "source")
    assert lines == []
    assert doc.data["published"] == "2020"
    fact = doc.data["facts"][0]
    assert fact["statement"] == "12" and fact["by"] == "no"
    assert fact["value"] == 12  # value may be a number: it stays one


def test_boolean_where_boolean_is_wanted_stays_boolean():
    doc, lines, _ = check("title: T\nstrict: yes\n", "config")
    assert lines == ["f.yaml:2:9: error: strict: must be true or false, not text"]


def test_type_errors():
    _, lines, problems = check("title: [a, b]\nstrict: 1\n", "config")
    assert lines == ["f.yaml:1:8: error: title: must be text, not a list",
                     "f.yaml:2:9: error: strict: must be true or false, not a number"]
    assert problems[0].hint == "" or "quotes" not in problems[0].hint


def test_list_where_a_mapping_is_wanted():
    _, lines, _ = check(SOURCE_HEAD + "facts:\n  - just text\n", "source")
    assert lines == ["f.yaml:6:5: error: facts[1]: must be a mapping of keys to values, not text"]


def test_unknown_key_with_did_you_mean():
    _, lines, problems = check("titel: x\n", "config")
    assert lines == ["f.yaml:1:1: error: missing required key 'title' in document",
                     "f.yaml:1:1: error: unknown key 'titel' in document (did you mean 'title'?)"]


def test_unknown_key_without_close_match_lists_allowed_keys():
    _, _, problems = check("title: T\nzzzzzz: 1\n", "config")
    [problem] = problems
    assert problem.message == "unknown key 'zzzzzz' in document"
    assert problem.hint.startswith("allowed keys: ")
    assert "base_url" in problem.hint.split(": ", 1)[1].split(", ")


def test_unknown_key_inside_a_fact_points_at_the_key():
    _, lines, _ = check(SOURCE_HEAD + "facts:\n  - id: a\n    statement: s\n    quote: abc\n    occurence: 2\n",
                        "source", first_line=2)
    assert lines == ["f.yaml:10:5: error: unknown key 'occurence' in facts[1] (did you mean 'occurrence'?)"]


def test_missing_required_key_names_the_mapping():
    _, lines, _ = check(SOURCE_HEAD + "facts:\n  - id: a\n    quote: abc\n", "source")
    assert lines == ["f.yaml:6:5: error: missing required key 'statement' in facts[1]"]


def test_enum_with_did_you_mean():
    _, lines, _ = check("title: T\nkind: persn\n", "topic")
    assert lines == ["f.yaml:2:7: error: kind: 'persn' is not one of: theme, person, organisation, place "
                     "(did you mean 'person'?)"]


def test_pattern_with_expected_form_in_hint():
    _, lines, problems = check(SOURCE_HEAD + "facts:\n  - id: Vote_80\n    statement: s\n    quote: abc\n", "source")
    assert lines == ["f.yaml:6:9: error: facts[1].id: 'Vote_80' is not valid here"]
    assert problems[0].hint == "expected: lower-case ASCII letters, digits and single hyphens"


def test_bad_date_pattern():
    _, lines, problems = check(SOURCE_HEAD.replace("2020-08-09", "9 August 2020"), "source")
    assert lines == ["f.yaml:4:12: error: published: '9 August 2020' is not valid here"]
    assert problems[0].hint == "expected: YYYY-MM-DD, YYYY-MM or YYYY"


def test_occurrence_must_be_at_least_one():
    _, lines, _ = check(SOURCE_HEAD + "facts:\n  - id: a\n    statement: s\n    quote: abc\n    occurrence: 0\n",
                        "source")
    assert lines == ["f.yaml:9:17: error: facts[1].occurrence: must be at least 1, not 0"]


def test_empty_required_value():
    _, lines, _ = check("title:\n", "config")
    assert lines == ["f.yaml:1:7: error: title: must not be empty"]


def test_claim_key_that_is_not_a_slug_is_reported_at_the_key():
    text = ("vote-share:\n  title: Share of the vote\n"
            "Bad_Claim:\n  title: Something\n")
    _, lines, _ = check(text, "claims")
    assert lines == ["f.yaml:3:1: error: 'Bad_Claim' is not a valid slug"]


def test_field_name():
    assert field_name(()) == "document"
    assert field_name(("facts", 2, "quote")) == "facts[3].quote"
    assert field_name(("title",)) == "title"
