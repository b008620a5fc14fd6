"""The progress bar: on a terminal, for a build that runs a while; never anywhere else."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys

import pytest

from dossier.pipeline import Options, build
from dossier.progress import Progress

from .helpers import ROOT, copy_real_project, make_project, run


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_build_that_runs_a_while_shows_its_stages_on_a_terminal(tmp_path, monkeypatch):
    root = copy_real_project(tmp_path / "p")
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(Progress, "AFTER", 0.0)  # as if the build had already run two seconds
    result = build(Options(root, progress=True, search=False))
    assert result.ok
    shown = screen.getvalue()
    for stage in ("reading", "checking", "deriving", "gathering", "rendering", "checking links", "writing"):
        assert stage in shown, stage
    assert re.search(r"rendering: +\d+%\|.*\| \d+/\d+ \[", shown)  # counted stages show a bar and a count
    assert re.search(r"\r +\r$", shown)  # and the line is wiped at the end


@pytest.mark.parametrize("after,wanted", [(3600.0, True), (0.0, False)], ids=["a quick build", "quiet"])
def test_no_bar_on_a_terminal_for_a_quick_or_quiet_build(tmp_path, monkeypatch, after, wanted):
    root = make_project(tmp_path)
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(Progress, "AFTER", after)
    assert build(Options(root, progress=wanted, search=False)).ok
    assert screen.getvalue() == ""


def test_no_bar_when_the_output_is_not_a_terminal(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    monkeypatch.setattr(Progress, "AFTER", 0.0)
    code, out, err = run(root)  # run() hands the CLI plain text streams, and sys.stderr is captured
    assert code == 0 and err == "" and out.startswith("built ")


def in_a_terminal(argv: list[str]) -> tuple[int, str]:
    """Run `argv` with a pseudo-terminal as stdin, stdout and stderr (of no size, as a fresh one
    has): its exit status and everything it wrote."""
    main, child = pty.openpty()
    done = subprocess.run(argv, stdin=child, stdout=child, stderr=child, timeout=120)
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    return done.returncode, output.decode()


def test_build_py_in_a_real_terminal_prints_its_summary_and_nothing_else(tmp_path):
    """A real pseudo-terminal: a quick build prints the summary line alone."""
    code, output = in_a_terminal([sys.executable, str(ROOT / "build.py"), "-C", str(make_project(tmp_path))])
    assert code == 0
    assert output.strip().startswith("built ") and "%|" not in output


def test_the_bar_is_drawn_on_a_real_terminal_even_one_of_no_size(tmp_path):
    """(A fresh pseudo-terminal reports 0 columns and 0 rows; tqdm alone would draw nothing there.)"""
    script = (f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\n"
              "from dossier.progress import Progress\n"
              "Progress.AFTER = 0.0\n"
              "p = Progress.on_terminal(True)\n"
              "p.stage('rendering', 4)\n"
              "for _ in range(4):\n    time.sleep(0.3); p.advance()\n"
              "p.close()\n")
    code, output = in_a_terminal([sys.executable, "-c", script])
    assert code == 0
    assert re.search(r"rendering: +\d+%\|.*\| \d/4 \[", output), output
