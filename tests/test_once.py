"""A fact's line, a fact's box and a note's box are rendered once, by the digest of what they
show, and reused by every page that shows them (the topic pages, the timeline, the source)."""

from __future__ import annotations

import re
from collections import Counter

from dossier import render
from dossier.pipeline import Memo, Options, build
from tests.helpers import copy_real_project, error_lines, make_project, override, run


def test_each_fragment_is_rendered_once_however_many_pages_show_it(tmp_path, monkeypatch):
    root = copy_real_project(tmp_path / "p")
    drawn: Counter = Counter()
    macro = render.Once._macro

    def counting(self, name):
        draw = macro(self, name)

        def counted(view, **options):
            drawn[(name, view.digest, repr(sorted(options)))] += 1
            return draw(view, **options)
        return counted
    monkeypatch.setattr(render.Once, "_macro", counting)
    memo = Memo()
    result = build(Options(root, write=False, search=False, jobs=1), memo)
    assert result.ok
    lines = {k: n for k, n in drawn.items() if k[0] == "fact_line"}
    assert lines and set(lines.values()) == {1}
    assert {k for k, n in drawn.items() if k[0] == "note_box"} and set(drawn.values()) == {1}
    # a fact shown on several pages: its line is in each of them, drawn once
    shown = Counter(m for name, data in result.files.items() if name.startswith(("topics/", "timeline/"))
                    for m in set(re.findall(rb'<li><a href="([^"]+#fact-[^"]+)"', data)))
    assert max(shown.values()) >= 3

    first = set(drawn)
    drawn.clear()
    source = root / "content/sources/rt-election-night.md"
    source.write_text(source.read_text(encoding="utf-8").replace("statement: According", "statement: As edited, according", 1), encoding="utf-8")
    again = build(Options(root, write=False, search=False, jobs=1), memo)
    assert again.ok and again.rendered
    # drawn again: only what shows the edited fact (its line, its box, a note that names it)
    assert drawn and not set(drawn) & first and sum(drawn.values()) <= 8


def test_a_project_macros_file_without_a_macro_the_theme_uses_is_a_located_error(tmp_path):
    root = make_project(tmp_path)
    path = override(root, "macros.html")
    text = path.read_text(encoding="utf-8")
    start = text.index("{% macro fact_line")
    path.write_text(text[:start] + text[text.index("{%- endmacro %}", start) + len("{%- endmacro %}"):], encoding="utf-8")
    code, _, err = run(root, "build", "-q")
    assert code == 1 and "Traceback" not in err
    found = [line for line in error_lines(err) if "fact_line" in line]
    assert found and re.match(r"\S+/(topic|timeline)\.html:\d+:\d+: error: template error: macros.html has no macro 'fact_line'", found[0])
