"""Live-reload latency of `build.py serve`: from saving a source file to the browser showing the change.

    python bench/serve_latency.py                       # 10 edits, real dossier and 1,000 sources
    python bench/serve_latency.py --edits 5 --json
    python bench/serve_latency.py --dossiers synthetic --sources 4000

For each dossier (a copy of the real project, and a synthetic one): start `build.py serve` on a free
port, open a source page in headless Chromium, wait until livereload's socket is connected, then,
K times: rewrite the statement of that source's first fact with a unique marker, take
time.perf_counter() right after the write, and wait until the marker is in the page's text (after
the reload livereload triggers). The latency includes serve's polling interval (50 ms), the
rebuild up to the page being read (serve renders and publishes it before the rest of the site),
the reload and the page load. Median and worst of the K edits are reported, with the server's own
timings from its log.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

from synthetic import make_dossier, with_statement

ENGINE = Path(__file__).resolve().parents[1]
BUILD = ENGINE / "build.py"
PROJECT_INPUTS = ("config.yaml", "content", "seeds", "templates")
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CONNECTED = ("window.LiveReload !== undefined && !!window.LiveReload.connector"
             " && window.LiveReload.connector.protocol > 0")
SHOWS = "marker => document.body !== null && document.body.innerText.includes(marker)"


@dataclass(frozen=True)
class Dossier:
    name: str
    root: Path
    source: str  # slug of the source page that is edited and watched

    @property
    def source_file(self) -> Path:
        return self.root / "content" / "sources" / f"{self.source}.md"


# -- the dossiers ------------------------------------------------------------------------------

def copy_real(target: Path) -> Dossier:
    target.mkdir(parents=True)
    for name in PROJECT_INPUTS:
        source = ENGINE / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
    return Dossier("real", target, first_source(target))


def synthetic(target: Path, sources: int) -> Dossier:
    make_dossier(target, sources)
    return Dossier(f"synthetic-{sources}", target, first_source(target))


def first_source(root: Path) -> str:
    return min((root / "content" / "sources").glob("*.md")).stem


# -- the server ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(root: Path, log: Path, timeout: float) -> Iterator[tuple[str, float]]:
    """(base URL, seconds until it answered) of `build.py serve -C root` on a free port.

    The server's temporary files go beside the project: stopped mid-indexing, serve leaves its
    search scratch folder behind, and this way it goes with the rest of the benchmark's files."""
    port = free_port()
    scratch = root.parent / f"{root.name}-tmp"
    scratch.mkdir(exist_ok=True)
    with log.open("w") as output:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(BUILD), "serve", "-C", str(root), "--port", str(port)],
                                   stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "TMPDIR": str(scratch)})
        try:
            wait_for_port(port, process, log, timeout)
            yield f"http://127.0.0.1:{port}", time.perf_counter() - started
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited with {process.returncode}:\n{log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"serve did not listen on port {port} within {timeout:.0f} s")


# -- the browser ---------------------------------------------------------------------------------

def wait_until_shown(page: Page, marker: str, timeout_s: float) -> None:
    """Wait for `marker` in the page's text, across the reload (retrying if a navigation interrupts)."""
    deadline = time.monotonic() + timeout_s
    while True:
        left_ms = max((deadline - time.monotonic()) * 1000, 1)
        try:
            page.wait_for_function(SHOWS, arg=marker, timeout=left_ms)
            return
        except PlaywrightError as problem:
            if time.monotonic() >= deadline or "Timeout" in str(problem):
                raise


def edit_latencies(page: Page, dossier: Dossier, edits: int, pause: float, timeout_s: float) -> list[float]:
    """Seconds from each saved edit to the marker shown in the browser."""
    original = dossier.source_file.read_bytes()
    samples = []
    try:
        for number in range(1, edits + 1):
            marker = f"Benchmark marker {number:03d} was saved"
            dossier.source_file.write_bytes(with_statement(original.decode("utf-8"), marker).encode("utf-8"))
            saved = time.perf_counter()
            wait_until_shown(page, marker, timeout_s)
            samples.append(time.perf_counter() - saved)
            page.wait_for_function(CONNECTED, timeout=timeout_s * 1000)
            time.sleep(pause)
    finally:
        dossier.source_file.write_bytes(original)
    return samples


def measure(browser, dossier: Dossier, edits: int, pause: float, timeout_s: float) -> dict:
    log = dossier.root.parent / f"{dossier.name}-serve.log"
    with serving(dossier.root, log, timeout_s) as (url, startup):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{url}/sources/{dossier.source}/", timeout=timeout_s * 1000)
            page.wait_for_function(CONNECTED, timeout=timeout_s * 1000)
            samples = edit_latencies(page, dossier, edits, pause, timeout_s)
        finally:
            context.close()
    sources = sum(1 for _ in (dossier.root / "content" / "sources").glob("*.md"))
    text = log.read_text()
    rebuilds = rebuild_seconds(text)
    updates = [float(m) for m in re.findall(r"^updated \S+ in ([0-9.]+) s", text, re.M)]
    return {"dossier": dossier.name, "sources": sources, "page": f"/sources/{dossier.source}/", "edits": edits,
            "median_s": round(statistics.median(samples), 3), "worst_s": round(max(samples), 3),
            "samples_s": [round(s, 3) for s in samples], "startup_s": round(startup, 2),
            "rebuild_median_s": round(statistics.median(rebuilds), 3) if rebuilds else None,
            "rebuilds": len(rebuilds), "interrupted": text.count("\ngave up after "),
            "page_median_s": round(statistics.median(updates), 3) if updates else None}


def rebuild_seconds(log: str) -> list[float]:
    """The server's own timing of each whole rebuild after the first ("rebuilt in 0.42 s: …"
    lines). A rebuild overtaken by the next edit says "gave up" instead, and the page being read
    is published before the rest of the site ("updated <page> in 0.31 s")."""
    return [float(m) for m in re.findall(r"^rebuilt in ([0-9.]+) s", log, re.M)][1:]


# -- main ------------------------------------------------------------------------------------------

def prepare(which: list[str], tmp: Path, sources: int) -> list[Dossier]:
    makers = {"real": lambda: copy_real(tmp / "real"), "synthetic": lambda: synthetic(tmp / "synthetic", sources)}
    return [makers[name]() for name in which]


def dossier_names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names or any(n not in ("real", "synthetic") for n in names):
        raise argparse.ArgumentTypeError("choose from real, synthetic (comma-separated)")
    return names


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Time from saving a source file to the reloaded page in the browser.")
    parser.add_argument("--edits", type=int, default=10, help="edits per dossier (default: 10)")
    parser.add_argument("--sources", type=int, default=1000, help="size of the synthetic dossier (default: 1000)")
    parser.add_argument("--dossiers", type=dossier_names, default=["real", "synthetic"],
                        help="which dossiers: real, synthetic or both (default: real,synthetic)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between edits (default: 0.3)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for a server or an edit (default: 300)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per dossier")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="dossier-serve-latency-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for dossier in prepare(args.dossiers, Path(tmp), args.sources):
                results.append(measure(browser, dossier, args.edits, args.pause, args.timeout))
                result = results[-1]
                print(json.dumps(result) if args.json else
                      f"{result['dossier']:>16}: {result['sources']:>5} sources, {result['edits']} edits, "
                      f"median {result['median_s']:.3f} s, worst {result['worst_s']:.3f} s "
                      f"(server: page updated after median {result['page_median_s'] or float('nan'):.3f} s, "
                      f"{result['rebuilds']} whole rebuilds of median {result['rebuild_median_s'] or float('nan'):.3f} s, "
                      f"{result['interrupted']} given up for a newer edit; up after {result['startup_s']:.1f} s)",
                      flush=True)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
