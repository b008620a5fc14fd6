"""What the libraries the engine must use cost on their own, against Hugo, in one run.

    python bench/floor.py --sources 4000 --runs 3

The engine issue asks for a cold build (search off) within 3 × Hugo on the same seeds. This
script measures, on a synthetic dossier, the least any build of this design pays — each step done
the cheapest way its library allows, with none of the engine's own work (no quotes located, no
fact boxes, topics, claims, exports or link check):

- read: every content file and seed read and decoded;
- yaml: every front matter parsed by PyYAML's C loader (no positions kept);
- markdown: every Markdown field (commentary, fact notes, notes) rendered by the engine's own
  markdown-it-py parser, which the issue keeps, with no cross-reference resolved;
- jinja: one bare page per source rendered with Jinja (title and the seed's paragraphs, escaped:
  what Hugo's plain page holds);
- write: those pages written, one folder per page.

Every figure is the median of `--runs`, each step timed in this process, serially; Hugo is timed
in the same loop (`run.py`'s plain site). `floor_2_cores_s` halves the serial sum: the bound of a
build spread perfectly over this machine's two cores, with no cost for spreading it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

import jinja2
import yaml

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from run import clean_hugo, hugo_command, make_hugo_site, measure, positive  # noqa: E402
from synthetic import make_dossier  # noqa: E402

from dossier.markdown import render  # noqa: E402

PAGE = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html><head><title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>"
    "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}</main></body></html>")


def steps(root: Path, scratch: Path) -> dict[str, Callable[[], object]]:
    """The steps, each a function of what the one before made (run in order)."""
    made: dict = {}

    def read():
        files = sorted((root / "content" / "sources").glob("*.md"))
        made["texts"] = [f.read_text(encoding="utf-8") for f in files]
        made["names"] = [f.stem for f in files]
        made["seeds"] = {p.name: p.read_text(encoding="utf-8") for p in (root / "seeds").iterdir()}

    def front():
        made["fronts"] = [yaml.load(t.split("\n---\n", 1)[0].removeprefix("---\n"), Loader=yaml.CSafeLoader)
                          for t in made["texts"]]
        made["bodies"] = [t.split("\n---\n", 1)[1] for t in made["texts"]]

    def markdown():
        for front_matter, body in zip(made["fronts"], made["bodies"]):
            fields = [body] + [f.get("note") or "" for f in front_matter.get("facts", [])] \
                + [n.get("text") or "" for n in front_matter.get("notes", [])]
            for text in fields:
                render(text, lambda target: None)

    def pages():
        made["pages"] = [PAGE.render(title=f["title"], paragraphs=made["seeds"][f["seed"]].split("\n\n"))
                         for f in made["fronts"]]

    def write():
        for name, page in zip(made["names"], made["pages"]):
            folder = scratch / "sources" / name
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(page, encoding="utf-8")

    return {"read": read, "yaml": front, "markdown": markdown, "jinja": pages, "write": write}


def bench(sources: int, runs: int, log) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"dossier-floor-{sources}-") as tmp:
        tmp = Path(tmp)
        root, hugo_site, hugo_out = tmp / "project", tmp / "hugo", tmp / "hugo-out"
        make_dossier(root, sources)
        make_hugo_site(hugo_site, root)
        times: dict[str, list[float]] = {}
        for run in range(1, runs + 1):
            for name, step in steps(root, tmp / f"pages-{run}").items():  # (a new folder: no deleting timed)
                started = time.perf_counter()
                step()
                times.setdefault(name, []).append(time.perf_counter() - started)
            clean_hugo(hugo_site, hugo_out)
            times.setdefault("hugo", []).append(measure(hugo_command(hugo_site, hugo_out))[0].wall_s)
            print(f"[{sources} sources] run {run}/{runs}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
                  file=log)
    medians = {f"{name}_s": round(statistics.median(values), 3) for name, values in times.items()}
    serial = sum(value for name, value in medians.items() if name != "hugo_s")
    return {"sources": sources, "runs": runs, **medians, "floor_serial_s": round(serial, 3),
            "floor_2_cores_s": round(serial / 2, 3), "target_3x_hugo_s": round(3 * medians["hugo_s"], 3),
            "floor_2_cores_of_target": round(serial / 2 / (3 * medians["hugo_s"]), 2)}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="The cost of the engine's libraries alone, against Hugo.")
    parser.add_argument("--sources", type=positive, default=4000, help="sources in the synthetic dossier (default: 4000)")
    parser.add_argument("--runs", type=positive, default=3, help="runs; medians are reported (default: 3)")
    args = parser.parse_args(argv)
    print(json.dumps(bench(args.sources, args.runs, sys.stderr)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
