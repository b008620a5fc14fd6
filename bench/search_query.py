"""Search benchmark: indexing time and what a reader's query costs, sharded against one bundle.

    python bench/search_query.py                       # 10,000 sources, 3 runs
    python bench/search_query.py --sources 4000 --runs 3 --json

For a synthetic dossier (`synthetic.py`) built in memory once:

- index: `search_s`, the engine's indexing stage (`search_bundle`, every shard, no cache) in a
  fresh process, and the peak RSS of the largest Pagefind run (`/usr/bin/time -f %M` around each
  run); and the same for one Pagefind run over every page (`one_s`, `one_peak_mb`), as before shards;
- query: both sites served over HTTP on 127.0.0.1, the search page opened in Debian's Chromium
  (fresh browser context, nothing cached) with `?q=WORD`; measured are the bytes of every response
  the page fetched until the first results are on screen (`bytes`, and `bytes_all` once the
  filters are loaded too) and the time from navigation start to the first result shown
  (`first_ms`, from the page's own clock: `performance.now()` when the list has an item).

Every figure is the median of `--runs` runs per query word.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dossier.pipeline import Options, build  # noqa: E402
from dossier.search import assemble, indexed, search_bundle, shard_bundle  # noqa: E402
from dossier.shards import Shard, lean  # noqa: E402
from dossier.write import write_files  # noqa: E402

QUERIES = ("strike", "detained", "Hrodino")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def one_bundle(files: dict) -> dict:
    """Every indexed page in one Pagefind run, laid out as the site expects (`pagefind/all/`)."""
    pages = indexed(files)
    shard = Shard("all", tuple(sorted((path, lean(files[path])) for path in pages)))
    bundle, problem = shard_bundle(shard, None)
    assert problem is None, problem
    return assemble([shard], [bundle])


def index_child(pickled: str, mode: str) -> None:
    """(in a fresh process) time one indexing of the pickled pages; print JSON."""
    from dossier import search
    files = pickle.loads(Path(pickled).read_bytes())
    peaks = Path(tempfile.mkdtemp()) / "peaks"
    binary = search._pagefind()
    search._pagefind = lambda: ["/usr/bin/time", "-a", "-o", str(peaks), "-f", "%M", *binary]
    started = time.perf_counter()
    bundle = one_bundle(files) if mode == "one" else search_bundle(files, None)[0]
    took = time.perf_counter() - started
    peak = max(int(line) for line in peaks.read_text().split() if line.isdigit()) // 1024
    print(json.dumps({"s": round(took, 2), "peak_mb": peak, "files": len(bundle)}))


def timed_index(pickled: Path, mode: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(pickled), mode],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def query(browser, origin: str, word: str) -> dict:
    """Bytes fetched and milliseconds to the first result for one query, from a cold context."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto(f"{origin}/search/?q={word}")
    page.wait_for_selector("#search-results li", timeout=60000)
    first_ms = page.evaluate("performance.now()")
    before = sum(sizes)
    page.wait_for_selector("#search-filters:not([hidden])", timeout=60000)
    page.wait_for_timeout(200)
    found = {"first_ms": round(first_ms), "bytes": before, "bytes_all": sum(sizes)}
    context.close()
    return found


def measure_queries(sites: dict[str, Path], runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.helpers import static_server
    found: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for name, folder in sites.items():
            with static_server(folder, "/") as origin:
                for word in QUERIES:
                    samples = [query(browser, origin, word) for _ in range(runs)]
                    found[f"{name}:{word}"] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return index_child(*args.child)
    from synthetic import make_dossier
    work = Path(tempfile.mkdtemp(prefix="dossier-search-"))
    make_dossier(work / "d", args.sources)
    result = build(Options(work / "d", write=False, search=False))
    assert result.ok
    files = result.files
    pickled = work / "files.pickle"
    pickled.write_bytes(pickle.dumps(files))
    report: dict = {"sources": args.sources}
    for mode in ("sharded", "one"):
        samples = [timed_index(pickled, mode) for _ in range(args.runs)]
        report[f"{mode}_index_s"] = statistics.median(s["s"] for s in samples)
        report[f"{mode}_pagefind_peak_mb"] = statistics.median(s["peak_mb"] for s in samples)
    sites = {"sharded": work / "sharded", "one": work / "one"}
    write_files(sites["sharded"], {**files, **search_bundle(files, None)[0]})
    write_files(sites["one"], {**files, **one_bundle(files)})
    report["queries"] = measure_queries(sites, args.runs)
    print(json.dumps(report, indent=1) if args.json else _table(report))


def _table(report: dict) -> str:
    lines = [f"{report['sources']} sources",
             f"index (s): sharded {report['sharded_index_s']}, one bundle {report['one_index_s']}",
             f"largest Pagefind run (MB): sharded {report['sharded_pagefind_peak_mb']}, one bundle {report['one_pagefind_peak_mb']}",
             f"{'query':<22}{'bytes':>12}{'bytes+filters':>15}{'first result ms':>17}"]
    for name, q in sorted(report["queries"].items()):
        lines.append(f"{name:<22}{q['bytes']:>12,.0f}{q['bytes_all']:>15,.0f}{q['first_ms']:>17,.0f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
