"""Big inputs: a 5 MB seed quoted near its start, middle and end; 10,000 facts in one source file;
2,000 cross-references on one page. Each project is built by `python build.py` in a subprocess:
the build must succeed within a generous bound and with bounded memory (peak RSS of the build and
everything it runs, from os.wait4, under 1.5 GB). The figures are printed (run with -s to see them),
one line per build: `big inputs: <what>: <seconds> s, peak <MB> MB`.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import MINIMAL, ROOT, make_project, parse

PEAK_LIMIT_MB = 1536
SECONDS_LIMIT = 120
# no digits and no number words: every figure in a seed should be covered by a fact (a warning
# each otherwise), and these seeds are about size, not coverage
WORDS = ("protest square street police crowd march minister officer report witness city night morning "
         "column banner flag statement journalist camera channel video arrest court bus van road bridge "
         "river park station avenue district opposition election commission ballot count vote official "
         "spokesman ministry border embassy letter appeal strike factory worker student teacher doctor").split()


def letters(number: int, width: int = 4) -> str:
    """A code made of letters only (digits would be figures in a seed)."""
    out = ""
    for _ in range(width):
        number, rest = divmod(number, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[rest] + out
    return out


def sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 6) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def build(root: Path, label: str) -> tuple[float, float, str]:
    """Build `root` in a subprocess; (seconds, peak RSS in MB, stderr). Asserts success."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "-q", "-C", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # the pipe holds warnings only (-q): read it while waiting so that the child never blocks on it
    err = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    print(f"\nbig inputs: {label}: {seconds:.1f} s, peak {peak:.0f} MB")
    assert "Traceback" not in err, err[-3000:]
    assert process.returncode == 0, err[-3000:]
    assert seconds < SECONDS_LIMIT
    assert peak < PEAK_LIMIT_MB
    return seconds, peak, err


def source_file(seed: str, facts: list[str], slug_title: str = "A very long report", body: str = "") -> str:
    return ("---\n" f"seed: {seed}\n" f"title: {slug_title}\n" "outlet: Test Wire\n" "published: 2020-08-10\n"
            "facts:\n" + "".join(facts) + "---\n" + body)


def fact(fact_id: str, quote: str) -> str:
    return (f"  - id: {fact_id}\n"
            f"    statement: The report says so.\n"
            f"    quote: '{quote}'\n")


def test_a_five_megabyte_seed_quoted_at_its_start_middle_and_end(tmp_path):
    rng = random.Random(5)
    paragraphs = []
    size = 0
    while size < 5 * 1024 * 1024:
        text = paragraph(rng)
        paragraphs.append(text)
        size += len(text) + 2
    marks = {0: "The first unique passage opens the report", len(paragraphs) // 2:
             "A unique passage sits in the middle of it", len(paragraphs) - 1: "The last unique passage closes it"}
    for at, text in marks.items():
        paragraphs[at] = text + ". " + paragraphs[at]
    seed = "\n\n".join(paragraphs) + "\n"
    assert len(seed.encode()) >= 5 * 1024 * 1024
    files = dict(MINIMAL)
    files["seeds/002_big.txt"] = seed
    files["content/sources/big.md"] = source_file("002_big.txt", [fact(f"at-{letters(i)}", q) for i, q in
                                                                   enumerate(marks.values())])
    root = make_project(tmp_path, files)
    build(root, "5 MB seed")
    page = parse(root / "site/sources/big/index.html")
    marked = {m.get_text() for m in page.select("mark.quote-fact")}
    assert set(marks.values()) <= marked
    # the middle one is where it is in the seed: after about half of its paragraphs
    paras = page.select(".seed-text p")
    assert len(paras) == len(paragraphs)
    middle = next(i for i, p in enumerate(paras) if marks[len(paragraphs) // 2] in p.get_text())
    assert middle == len(paragraphs) // 2


def test_ten_thousand_facts_in_one_source_file(tmp_path):
    rng = random.Random(10)
    count = 10_000
    paragraphs = [f"Passage {letters(i)} reports that {sentence(rng, 10)}" for i in range(count)]
    files = dict(MINIMAL)
    files["seeds/002_many.txt"] = "\n\n".join(paragraphs) + "\n"
    files["content/sources/many.md"] = source_file(
        "002_many.txt", [fact(f"f-{letters(i)}", f"Passage {letters(i)} reports") for i in range(count)])
    root = make_project(tmp_path, files)
    build(root, "10,000 facts in one source")
    html = (root / "site/sources/many/index.html").read_text(encoding="utf-8")
    assert html.count('<article class="fact"') >= count
    for i in (0, count // 2, count - 1):
        assert f'id="fact-f-{letters(i)}"' in html


def test_two_thousand_cross_references_on_one_page(tmp_path):
    count = 2_000
    rng = random.Random(20)
    paragraphs = [f"Passage {letters(i)} reports that {sentence(rng, 8)}" for i in range(200)]
    files = dict(MINIMAL)
    files["seeds/002_refs.txt"] = "\n\n".join(paragraphs) + "\n"
    files["content/sources/refs.md"] = source_file(
        "002_refs.txt", [fact(f"f-{letters(i)}", f"Passage {letters(i)} reports") for i in range(200)])
    targets = ["minsk", "election", "test-report", "vote-share", "detentions", "topics/minsk", "test-report#vote-80"]
    targets += [f"refs#f-{letters(i)}" for i in range(200)]
    refs = [f"[[{targets[i % len(targets)]}|reference {letters(i)}]]" for i in range(count)]
    body = "\n\n".join(" ".join(refs[i:i + 20]) for i in range(0, count, 20)) + "\n"
    files["content/index.md"] = "---\ntitle: Test dossier\n---\n" + body
    root = make_project(tmp_path, files)
    build(root, "2,000 cross-references on one page")
    page = parse(root / "site/index.html")
    links = page.select("a.xref")
    assert len(links) >= count
    assert not page.select(".xref-missing")
