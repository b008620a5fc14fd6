"""Property tests (Hypothesis): whatever an editor (or an attacker) puts into the inputs, a build
ends with exit 0, or exit 1 and nothing but located diagnostics — never a traceback, another
exception, another exit status or a hang.

Inputs fuzzed: random front matter (mappings of random keys and values, and raw random YAML text),
random YAML scalars written into each field, random Markdown bodies full of `[[…]]`, `![[…]]` and
cross-reference syntax, and random seed bytes (Unicode with control characters, NBSP, RTL marks and
BOMs; invalid UTF-8 such as encoded lone surrogates).

Every example builds a fresh copy of the minimal project (tests/helpers.MINIMAL; templates linked,
not copied) in-process through dossier.cli.main. The search indexer (Pagefind, an external binary
that only ever sees the rendered HTML) is replaced by a stub so that an example takes milliseconds.

Short by default (a few dozen examples per property; the whole module runs in well under 30 s).
A long run:

    DOSSIER_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest -q tests/test_fuzz.py

(DOSSIER_FUZZ_DEADLINE_MS changes the per-example time limit, 5000 ms by default.)
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import string
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from tests.helpers import MINIMAL, ROOT, SEED, SEED_NAME, SOURCE, run, write_files

EXAMPLES = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "30"))
DEADLINE = datetime.timedelta(milliseconds=int(os.environ.get("DOSSIER_FUZZ_DEADLINE_MS", "15000")))

FUZZ = settings(max_examples=EXAMPLES, deadline=DEADLINE, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

DIAGNOSTIC = re.compile(r"^[^:]+:\d+:\d+: (error|warning): .+$")
HINT = re.compile(r"^ +\S")
FAILED = re.compile(r"^build failed: .+$")


# -- the project and the build -------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def _no_search_indexer():
    """Pagefind stubbed out: it runs an external binary over finished HTML (tested elsewhere)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dossier.pipeline.search_bundle", lambda files, cache: ({}, []))
        yield


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write_project(base: Path, changes: dict) -> Path:
    """A fresh minimal project under `base` with `changes` (path -> str | bytes | None) applied."""
    root = Path(tempfile.mkdtemp(dir=base))
    (root / "templates").symlink_to(ROOT / "templates", target_is_directory=True)
    write_files(root, {**MINIMAL, **changes}, errors="surrogatepass")
    return root


def build_and_check(base: Path, changes: dict, command: str = "build") -> tuple[int, str]:
    """Build; assert the outcome is a clean success or a clean, located failure."""
    root = write_project(base, changes)
    try:
        code, out, err = run(root, command)  # any exception escaping main() fails the example
        event(f"exit status {code}")
        assert code in (0, 1), (code, err)
        assert "Traceback" not in out + err, err
        lines = err.split("\n")  # only LF ends a line (a message may hold \x1e, \x85, \u2028…)
        if lines and lines[-1] == "":
            lines.pop()
        if code == 1:
            assert lines and FAILED.match(lines[-1]), err
            lines = lines[:-1]
            assert any(DIAGNOSTIC.match(line) and ": error: " in line for line in lines), err
        for line in lines:
            assert DIAGNOSTIC.match(line) or HINT.match(line), f"not a diagnostic: {line!r}\n---\n{err}"
        if code == 1 or command == "check":
            assert not (root / "site").exists(), "a failed build wrote a site"
            assert not [p for p in root.iterdir() if p.name.startswith(".site")], "a failed build left a folder"
        else:
            sites = [marker.parent for marker in root.rglob(".dossier")]  # `output:` may name another folder
            assert len(sites) == 1 and (sites[0] / "index.html").is_file(), sites
            site = sites[0].relative_to(root).parts[0]
            assert sorted(p.name for p in root.iterdir() if p.name not in (".dossier-cache", site)) == \
                ["config.yaml", "content", "seeds", "templates"]
            for page in sites[0].rglob("*.html"):
                assert page.read_bytes().rstrip().endswith(b"</html>"), page
        return code, err
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- strategies ----------------------------------------------------------------------------------

YAML_PUNCTUATION = ":-[]{}#&*!|>'\"%@`,?~=<\\/\t\n "
TRICKY_SCALARS = [
    "", "~", "null", "NULL", "true", "False", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", ".nan",
    "0", "-0", "007", "0x1F", "0o17", "0b101", "1e400", "-1e-400", "1_000", "+12", "80.08", "3,000",
    "2020-08-09", "2020-02-30", "2020-13", "20-08-2020", "2020-08-09T10:00:00Z", "12:30:00", "1:20",
    "'", '"', "''", '""', "'unclosed", '"unclosed', "[", "]", "{", "}", "[a, b", "{a: 1", "a: b", ": x",
    "- a", "|", ">", "|-\n  a\n  b", ">+\n\n  folded", "&anchor value", "*alias", "!!str 1", "!!int x",
    "!!binary aGVsbG8=", "!!python/object:os.system x", "!custom x", "? key", "%YAML 1.2", "---", "...",
    "#comment", "a #comment", "\\u0000", '"\\u0000"', '"\\x07"', '"\\ud800"', '"\\U0001F600"', "\u00a0",
    "\u200f\u202e", "\ufeff", "<script>alert(1)</script>", "[[minsk]]", "[[nope]]", "../../etc/passwd",
    "x" * 301, "Tsikhanouskaya", "Минск", "🇧🇾", "a\u0301", "\u0000", "\x07", "\x1b[31m", "\r", "\u2028",
]

KEYS = ["seed", "title", "outlet", "url", "published", "published_note", "language", "translation",
        "translation_note", "nature", "topics", "facts", "notes", "unannotated", "id", "claim", "statement",
        "value", "unit", "qualifier", "date", "by", "quote", "occurrence", "note", "kind", "text", "reason",
        "aliases", "summary", "related"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(TRICKY_SCALARS),
    st.dates().map(str), st.sampled_from(["minsk", "election", "detentions", "vote-share", "test-report"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), inner, max_size=4)),
    max_leaves=12)

yamlish_text = st.text(alphabet=st.one_of(st.sampled_from(YAML_PUNCTUATION), st.sampled_from("abcdefgxyz0129"),
                                          st.characters()), max_size=200)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


def front(data_text: str, body: str = "Body.\n") -> str:
    return f"---\n{data_text}{'' if data_text.endswith(chr(10)) else chr(10)}---\n{body}"


BASE_SOURCE = yaml.safe_load(MINIMAL[SOURCE].split("---\n")[1])
BASE_SOURCE["published"] = "2020-08-10"  # keep the date a string in the dump
for fact in BASE_SOURCE["facts"]:
    fact["date"] = "2020-08-09"


# Markdown bodies: text mixed with every piece of cross-reference syntax
TARGETS = ["minsk", "election", "test-report", "vote-share", "detentions", "topics/minsk", "sources/test-report",
           "claims/vote-share", "test-report#vote-80", "#vote-80", "#rigged", "#nope", "nope", "topics/nope",
           "sources/../config", "../../etc/passwd", "/etc/passwd", "a|b", "x#", "#", "", " ", "minsk|", "|label",
           "<script>", "javascript:alert(1)", "test-report#", "test-report#vote-80#x", "Минск", "\u202e"]
wiki_target = st.one_of(st.sampled_from(TARGETS), st.text(alphabet=string.printable + "Минск#|/\u00a0", max_size=20))
fragments = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["[[", "]]", "![[", "!", "|", "#", "\n", "\n\n", "    ", "```\n", "`", "*", "_", "> ",
                     "- ", "1. ", "# ", "<", ">", "&", "&amp;", "&#0;", "\\", "[x](", ")", "![x](y)", "<http://x>",
                     "<javascript:alert(1)>", "\u0000", "\r\n", "\t", "---\n"]),
    wiki_target.map(lambda t: f"[[{t}]]"),
    st.tuples(wiki_target, st.text(max_size=10)).map(lambda p: f"[[{p[0]}|{p[1]}]]"),
    wiki_target.map(lambda t: f"\n![[{t}]]\n"),
)
markdown_bodies = st.lists(fragments, max_size=25).map("".join)


# -- properties ----------------------------------------------------------------------------------

@FUZZ
@example(changes={"\n": None}, drop=set())  # a key with a line break, echoed in "unknown key"
@example(changes={"facts": {"x": 1}, "topics": "a\nb"}, drop={"outlet"})
@given(changes=st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)), values, max_size=6),
       drop=st.sets(st.sampled_from(list(BASE_SOURCE)), max_size=3))
def test_random_front_matter_mappings(scratch, changes, drop):
    data = {k: v for k, v in BASE_SOURCE.items() if k not in drop}
    data.update(changes)
    build_and_check(scratch, {SOURCE: front(dump(data), "Commentary on [[minsk]].\n")})


@FUZZ
@given(facts=st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=8), max_size=4),
       notes=st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=5), max_size=3))
def test_random_facts_and_notes(scratch, facts, notes):
    data = dict(BASE_SOURCE, facts=BASE_SOURCE["facts"][:1] + facts, notes=notes)
    build_and_check(scratch, {SOURCE: front(dump(data), "Commentary.\n")})


@FUZZ
@given(text=yamlish_text, where=st.sampled_from(["topic", "config", "claims", "index", "source"]))
def test_random_yaml_text(scratch, text, where):
    file = {"topic": "content/topics/minsk.md", "config": "config.yaml", "claims": "content/claims.yaml",
            "index": "content/index.md", "source": SOURCE}[where]
    content = front(text) if file.endswith(".md") else text
    build_and_check(scratch, {file: content})


# (file, line to replace, prefix): a field's line in the minimal project, rewritten with a random scalar
FIELDS = [
    (SOURCE, "seed: 001_test.txt", "seed: "),
    (SOURCE, "title: Protests after the vote", "title: "),
    (SOURCE, "outlet: Test Wire", "outlet: "),
    (SOURCE, "published: 2020-08-10", "published: "),
    (SOURCE, "topics: [election]", "topics: "),
    (SOURCE, "  - id: detained-3000", "  - id: "),
    (SOURCE, "    claim: detentions", "    claim: "),
    (SOURCE, "    statement: Police detained 3,000 people on election night.", "    statement: "),
    (SOURCE, "    value: 3000", "    value: "),
    (SOURCE, "    unit: people", "    unit: "),
    (SOURCE, "    date: 2020-08-09\n    by: Interior Ministry", "    by: Interior Ministry\n    date: "),
    (SOURCE, "    by: Interior Ministry", "    by: "),
    (SOURCE, "    quote: Police detained 3000 people in Minsk on Sunday night", "    quote: "),
    (SOURCE, "    kind: dispute", "    kind: "),
    (SOURCE, "    text: The opposition disputes", "    text: "),
    (SOURCE, "outlet: Test Wire", "outlet: Test Wire\nurl: "),
    (SOURCE, "outlet: Test Wire", "outlet: Test Wire\nlanguage: "),
    (SOURCE, "outlet: Test Wire", "outlet: Test Wire\ntranslation: "),
    (SOURCE, "outlet: Test Wire", "outlet: Test Wire\nnature: "),
    (SOURCE, "    unit: people", "    unit: people\n    qualifier: "),
    (SOURCE, "    unit: people", "    unit: people\n    occurrence: "),
    ("content/topics/minsk.md", "title: Minsk", "title: "),
    ("content/topics/minsk.md", "kind: place", "kind: "),
    ("content/topics/minsk.md", "  - \u041c\u0438\u043d\u0441\u043a", "  - "),
    ("content/topics/minsk.md", "summary: Capital of Belarus.", "summary: "),
    ("content/topics/minsk.md", "summary: Capital of Belarus.", "related: "),
    ("content/claims.yaml", "  title: Number of people detained", "  title: "),
    ("content/claims.yaml", "  unit: people", "  unit: "),
    ("content/claims.yaml", "  topics: [election]", "  topics: "),
    ("content/claims.yaml", "  topics: [election]", "  note: "),
    ("config.yaml", "title: Test dossier", "title: "),
    ("config.yaml", "base_url: /", "base_url: "),
    ("config.yaml", "base_url: /", "base_url: /\ndescription: "),
    ("config.yaml", "base_url: /", "base_url: /\nlanguage: "),
    ("config.yaml", "base_url: /", "base_url: /\neditor: "),
    ("config.yaml", "base_url: /", "base_url: /\nstrict: "),
    ("config.yaml", "base_url: /", "base_url: /\ncname: "),
    ("config.yaml", "base_url: /", "base_url: /\noutput: "),
    ("content/index.md", "title: Test dossier", "title: "),
]


@FUZZ
@example(field=FIELDS[0], scalar="|-\n  a\n  b")  # a multi-line seed name, echoed in "unknown seed"
@example(field=FIELDS[5], scalar='"a\\nb"')
@example(field=FIELDS[12], scalar='"\\e[2J\\e[31mred"')
@given(field=st.sampled_from(FIELDS), scalar=st.one_of(st.sampled_from(TRICKY_SCALARS), st.text(max_size=30)))
def test_random_scalar_in_each_field(scratch, field, scalar):
    file, line, prefix = field
    if prefix.endswith("output: "):  # a folder of the project's own: never one elsewhere on this machine
        assume("/" not in scalar and "\\" not in scalar and not scalar.strip().startswith("."))
    text = MINIMAL[file]
    assert line in text
    build_and_check(scratch, {file: text.replace(line, prefix + scalar, 1)})


MARKDOWN_PLACES = [
    (SOURCE, "The wire's commentary on [[vote-share|the vote]].\n", None),
    ("content/topics/minsk.md", "The capital.\n", None),
    ("content/index.md", "An introduction linking [[test-report]].\n", None),
    (SOURCE, "    text: The opposition disputes the figure; see [[minsk]] and [[#vote-80]].", "    text: "),
    (SOURCE, "    by: Interior Ministry\n", "    by: Interior Ministry\n    note: "),
    (SOURCE, "outlet: Test Wire\n", "outlet: Test Wire\npublished_note: "),
    ("content/claims.yaml", "  unit: people\n", "  unit: people\n  note: "),
]


@FUZZ
@given(place=st.sampled_from(MARKDOWN_PLACES), body=markdown_bodies)
def test_random_markdown_with_cross_references(scratch, place, body):
    file, old, prefix = place
    text = MINIMAL[file]
    if prefix is None:
        new = body
    else:  # a YAML field: a quoted scalar, so the Markdown reaches the renderer as written
        new = prefix + yaml.safe_dump(body, allow_unicode=True, default_style='"', width=10_000).strip().removesuffix("...").strip() + "\n"
    build_and_check(scratch, {file: text.replace(old, new, 1)})


seed_pieces = st.one_of(
    st.characters(),  # any code point except surrogates
    st.sampled_from(["\u00a0", "\u200b", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff",
                     "\u0000", "\u0007", "\u000b", "\u000c", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029",
                     "\r", "\r\n", "\n", "\n\n", "\t", "& # 39;", "&amp;", "<", ">", "\"", "'", "“", "”", "—",
                     "https://example.org/x", "</p>", "<script>", "\u0301", "🇧🇾"]),
)


def seed_text(max_size: int):
    return st.lists(seed_pieces, max_size=max_size).map("".join)


@FUZZ
@example(insertions=[(0, "\ud800")], prefix=b"", invalid=None)  # a lone surrogate written as bytes
@given(insertions=st.lists(st.tuples(st.integers(0, len(SEED)), seed_text(6)),
                           max_size=8),
       prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"]),
       invalid=st.one_of(st.none(), st.sampled_from([b"\xed\xa0\x80", b"\xc3", b"\xff", b"\xe9", b"\xf8\x88\x80\x80\x80",
                                                     b"\xc0\xaf", "\ud800".encode("utf-8", "surrogatepass")])))
def test_random_seed_bytes(scratch, insertions, prefix, invalid):
    """Random characters inserted into the seed (quotes may stop matching: located errors then)."""
    text = SEED
    for at, piece in sorted(insertions, reverse=True):
        text = text[:at] + piece + text[at:]
    data = prefix + text.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8, as on disk
    if invalid is not None:
        data = data[:len(data) // 2] + invalid + data[len(data) // 2:]
    build_and_check(scratch, {f"seeds/{SEED_NAME}": data})


@FUZZ
@given(seed=st.one_of(st.binary(max_size=400), seed_text(200).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_arbitrary_seed_content(scratch, seed):
    build_and_check(scratch, {f"seeds/{SEED_NAME}": seed})


@FUZZ
@given(name=st.text(alphabet=string.ascii_letters + string.digits + "-_.~ %+\u00e9\u0416", min_size=1, max_size=20),
       where=st.sampled_from(["content/topics", "content/sources"]))
def test_random_content_file_names(scratch, name, where):
    assert "/" not in name and "\0" not in name
    text = MINIMAL["content/topics/election.md"] if where == "content/topics" else \
        MINIMAL[SOURCE].replace("  - id: rigged", "  - id: rigged-2").replace("[[#vote-80]]", "")
    changes = {f"{where}/{name}.md": text}
    if where == "content/sources":
        changes[SOURCE] = None
    build_and_check(scratch, changes)
