"""Hostile or broken input files that a case folder (tests/cases/) cannot hold: FIFOs, dangling and
looping symlinks, unreadable files, deep nesting, control characters, multi-line values, and a seed
with a byte-order mark and CRLF line ends (which must build).

Where the exact wording of a message is not fixed by the product, these tests assert what is: exit
status 1, no traceback, every line of stderr a located diagnostic (`path:line:col: error: …`), a hint
line (indented) or the closing `build failed:` line, and the right file (and line) named.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import MINIMAL, ROOT, SEED, SOURCE, error_lines, make_project, parse, patched, run, tree_digest

DIAGNOSTIC = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning): .+$")
HINT = re.compile(r"^    \S")


def assert_located_failure(code: int, out: str, err: str, where: str) -> None:
    """Exit 1, nothing but diagnostics on stderr, and an error located at `where` (a `path:line:col`
    prefix, or just a path)."""
    assert "Traceback" not in out + err, err
    assert code == 1, (code, err)
    lines = err.splitlines()
    assert lines and lines[-1].startswith("build failed: "), err
    for line in lines[:-1]:
        assert DIAGNOSTIC.match(line) or HINT.match(line), f"not a diagnostic line: {line!r}\n{err}"
    assert any(line.startswith(where + ":") and ": error: " in line for line in error_lines(err)), err


def previous_site(root: Path) -> dict:
    site = root / "site"
    site.mkdir()
    (site / ".dossier").write_text("built by Dossier\n")
    (site / "index.html").write_text("<!doctype html><title>previous build</title>")
    return tree_digest(site)


def run_subprocess(root: Path, *args: str, timeout: float = 6.0) -> tuple[int, str, str]:
    """The CLI in a child process (a read that blocks must not hang the test run)."""
    try:
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "-C", str(root)],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`build.py {' '.join(args)}` still running after {timeout:.0f} s (blocked reading a file?)")
    return done.returncode, done.stdout, done.stderr


# -- special files ----------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["content/topics/pipe.md", "seeds/002_pipe.txt"])
def test_a_fifo_named_like_an_input_is_an_error_not_a_hang(tmp_path, rel):
    """A FIFO blocks any reader until a writer comes, and fails for root too (unlike chmod 000)."""
    root = make_project(tmp_path)
    before = previous_site(root)
    os.mkfifo(root / rel)
    code, out, err = run_subprocess(root, "build")
    assert_located_failure(code, out, err, rel)
    assert tree_digest(root / "site") == before


@pytest.mark.parametrize("rel", ["content/topics/ghost.md", "content/sources/ghost.md", "content/index.md",
                                 "content/claims.yaml", "config.yaml", "seeds/001_test.txt"])
def test_a_dangling_symlink_as_an_input_is_a_located_error(tmp_path, rel):
    root = make_project(tmp_path)
    before = previous_site(root)
    path = root / rel
    if path.exists():
        path.unlink()
    os.symlink(tmp_path / "does-not-exist.md", path)
    code, out, err = run(root, "build")
    assert_located_failure(code, out, err, rel)
    assert tree_digest(root / "site") == before


def test_a_symlink_loop_as_a_content_file_is_a_located_error(tmp_path):
    root = make_project(tmp_path)
    os.symlink("loop.md", root / "content/topics/loop.md")
    code, out, err = run(root, "check")
    assert_located_failure(code, out, err, "content/topics/loop.md:1:1")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="running as root: chmod 000 does not stop root from reading (the FIFO and dangling "
                           "symlink tests cover unreadable inputs for root)")
def test_an_unreadable_content_file_is_a_located_error(tmp_path):
    root = make_project(tmp_path)
    path = root / "content/topics/minsk.md"
    path.chmod(0)
    try:
        code, out, err = run(root, "check")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert_located_failure(code, out, err, "content/topics/minsk.md:1:1")
    assert "cannot read" in err


# -- YAML that breaks the reader or the builder -------------------------------------------------

@pytest.mark.parametrize("depth", [300, 600, 5000])
def test_deeply_nested_yaml_is_an_error_not_a_recursion_crash(tmp_path, depth):
    topic = "---\ntitle: Election\nrelated: " + "[" * depth + "]" * depth + "\n---\nThe vote.\n"
    root = make_project(tmp_path, patched({"content/topics/election.md": topic}))
    before = previous_site(root)
    code, out, err = run(root, "build")
    assert_located_failure(code, out, err, "content/topics/election.md")
    assert tree_digest(root / "site") == before


def test_deeply_nested_yaml_mappings_are_an_error(tmp_path):
    claims = "deep: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n"
    root = make_project(tmp_path, patched({"content/claims.yaml": MINIMAL["content/claims.yaml"] + claims}))
    code, out, err = run(root, "check")
    assert_located_failure(code, out, err, "content/claims.yaml")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_in_yaml_is_reported_where_it_stands(tmp_path, char):
    """Front matter starts on line 2 of the file: the character is on line 3, column 13."""
    topic = f"---\ntitle: Election\nsummary: The{char}vote.\n---\nThe vote.\n"
    root = make_project(tmp_path, patched({"content/topics/election.md": topic}))
    code, out, err = run(root, "check")
    assert_located_failure(code, out, err, "content/topics/election.md:3:13")


def test_a_control_character_in_config_is_reported_where_it_stands(tmp_path):
    root = make_project(tmp_path, patched({"config.yaml": "title: Test dossier\nbase_url: /\ndescription: bell \x07 here\n"}))
    code, out, err = run(root, "check")
    assert_located_failure(code, out, err, "config.yaml:3:19")


@pytest.mark.parametrize("file, text, where", [
    ("content/topics/election.md", "---\ntitle: Election\nsummary: |\n  two\n  lines\n---\nThe vote.\n",
     "content/topics/election.md:3:10"),
    (SOURCE, MINIMAL[SOURCE].replace("title: Protests after the vote", 'title: "Protests\\nafter\\n\\nthe vote"'),
     "content/sources/test-report.md:3:8"),
    ("config.yaml", "title: |\n  Test\n  dossier\nbase_url: /\n", "config.yaml:1:8"),
])
def test_a_multi_line_value_where_one_line_is_wanted_gives_a_one_line_diagnostic(tmp_path, file, text, where):
    """The offending value is quoted in the message: its line breaks must not break the format."""
    root = make_project(tmp_path, patched({file: text}))
    code, out, err = run(root, "check")
    assert_located_failure(code, out, err, where)


def test_a_yaml_key_longer_than_the_reader_allows_is_a_located_error(tmp_path):
    topic = "---\ntitle: Election\n" + "k" * 200_000 + ": 1\n---\nThe vote.\n"
    root = make_project(tmp_path, patched({"content/topics/election.md": topic}))
    code, out, err = run(root, "check")
    assert_located_failure(code, out, err, "content/topics/election.md:3")


def test_a_complex_mapping_key_is_a_located_error(tmp_path):
    topic = "---\ntitle: Election\n? [a, b]\n: c\n---\nThe vote.\n"
    root = make_project(tmp_path, patched({"content/topics/election.md": topic}))
    code, out, err = run(root, "check")
    assert_located_failure(code, out, err, "content/topics/election.md:3:3")


# -- line ends and byte-order marks: these must build ----------------------------------------------

def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def marked(page, anchor: str) -> str:
    """The seed text highlighted for one fact or note (a mark may be split by entity links)."""
    return "".join(m.get_text() for m in page.select("mark") if anchor in m.get("data-for", "").split())


def test_a_seed_with_a_bom_and_crlf_line_ends_builds(tmp_path):
    root = make_project(tmp_path, patched({"seeds/001_test.txt": b"\xef\xbb\xbf" + crlf(SEED)}))
    code, out, err = run(root, "build")
    assert code == 0, err
    assert "Traceback" not in err
    page = parse(root / "site/sources/test-report/index.html")
    assert marked(page, "fact-detained-3000") == "Police detained 3000 people in Minsk on Sunday night"
    assert marked(page, "fact-vote-80") == "Lukashenko received 80.08 percent of the vote"
    text = page.get_text()
    assert "\ufeff" not in text and "\r" not in text
    # the first paragraph (the bare URL) is still recognised as a URL, without the BOM in front
    url = page.select_one("p.seed-url a")
    assert url is not None and url["href"] == "https://example.org/news/belarus-election"
    # quote locations count lines as the editor sees them: the detentions are on line 3
    assert (root / "seeds/001_test.txt").read_bytes().startswith(b"\xef\xbb\xbf")  # seeds are never modified


def test_a_seed_with_old_mac_cr_line_ends_builds(tmp_path):
    root = make_project(tmp_path, patched({"seeds/001_test.txt": SEED.replace("\n", "\r").encode("utf-8")}))
    code, out, err = run(root, "build")
    assert code == 0, err
    page = parse(root / "site/sources/test-report/index.html")
    assert marked(page, "fact-detained-3000") == "Police detained 3000 people in Minsk on Sunday night"


def test_content_files_with_a_bom_and_crlf_line_ends_build(tmp_path):
    changes = {rel: b"\xef\xbb\xbf" + crlf(text) for rel, text in MINIMAL.items()
               if rel.endswith((".md", ".yaml")) and isinstance(text, str)}
    root = make_project(tmp_path, patched(changes))
    code, out, err = run(root, "build")
    assert code == 0, err
    page = parse(root / "site/sources/test-report/index.html")
    assert page.find("h1").get_text(strip=True) == "Protests after the vote"


def test_errors_in_a_crlf_file_are_located_as_in_an_editor(tmp_path):
    source = MINIMAL[SOURCE].replace("topics: [election]", "topics: [electon]")
    root = make_project(tmp_path, patched({SOURCE: b"\xef\xbb\xbf" + crlf(source)}))
    code, out, err = run(root, "check")
    assert code == 1
    assert error_lines(err) == ["content/sources/test-report.md:6:9: error: unknown topic 'electon' "
                                "(did you mean 'election'?)"]


# -- what the diagnostics echo back ---------------------------------------------------------------

@pytest.mark.parametrize("file, old, new", [
    (SOURCE, "outlet: Test Wire\n", 'outlet: Test Wire\n"\\e]0;pwned\\a\\e[2J": x\n'),  # an unknown key
    (SOURCE, "    quote: Police detained 3000 people in Minsk on Sunday night",
     '    quote: "\\e[2J\\e[31mPolice detained 3000 people in Minsk on Sunday night"'),
    (SOURCE, "topics: [election]", 'topics: ["\\e[8m"]'),
    (SOURCE, "seed: 001_test.txt", 'seed: "\\e[1A\\e[2Kbuilt 99 pages"'),
])
def test_diagnostics_never_print_raw_terminal_control_characters(tmp_path, file, old, new):
    """Messages quote the editor's (or a contributor's) text: escape sequences in it must not reach
    the terminal raw, or a hostile file could clear the screen, retitle the window or forge output."""
    root = make_project(tmp_path, patched({file: MINIMAL[file].replace(old, new)}))
    code, out, err = run(root, "check")
    assert code == 1 and "Traceback" not in err
    assert [c for c in err if (ord(c) < 32 and c not in "\n") or 0x7f <= ord(c) < 0xa0] == [], err
