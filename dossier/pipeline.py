"""The build, stage by stage: load → validate → resolve → render → verify → write."""

from __future__ import annotations

import gc
import os
import pickle
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import jinja2

from . import buildcache, shortcut
from .coverage import uncovered
from .diagnostics import Location, Report, error
from .export import annotations, dossier_json, facts_csv
from .load import Loaded, load
from .options import Options, Result
from .orphans import orphans
from .pages import Page, plan
from .progress import Progress
from .render import make_environment, render_page, template_digests
from .recall import Recall
from .resolve import Reuse, resolve
from .schema import SCHEMA_DIR
from .search import search_bundle
from .shortcut import CACHE, Pending
from .theme import static_assets
from .urls import Urls, output_file
from .validate import validate
from .verify import Links, Scan, check_links, scan
from .views import Dossier
from .write import recover, refuse, write_site

PROTECTED = ("content", "seeds", "templates", "dossier", "tests", ".git", CACHE)


@dataclass
class Memo:
    """What a long-running process (`serve`) keeps from one build to the next."""

    env: Optional[jinja2.Environment] = None
    templates: Optional[Path] = None
    cache: Optional[Path] = None  # where compiled templates are kept between runs
    rendered: dict = field(default_factory=dict)  # page path -> (what it was rendered from, bytes)
    rerendered: list = field(default_factory=list)  # pages the last build rendered anew
    loaded: Optional[Loaded] = None  # the last load: its texts and parsed files are reused
    resolved: Reuse = field(default_factory=Reuse)  # what resolve can reuse
    coverage: dict = field(default_factory=dict)  # source slug -> (view, (seed text, covered spans…), warnings)
    links: Links = field(default_factory=Links)  # the last link check, for the next one
    exports: Recall = field(default_factory=Recall)  # encoded pieces of the exports, by view
    pages: Recall = field(default_factory=Recall)  # the pages of each list, by the views they show
    first: frozenset = frozenset()  # output files to render before the others (the pages being read)
    early: Optional[Callable[[dict], None]] = None  # told of those as soon as they are rendered, if all is well so far
    stale: Optional[Callable[[], bool]] = None  # whether the inputs changed since the build began (then it stops)

    def environment(self, templates: Path) -> jinja2.Environment:
        if self.env is None or self.templates != templates:
            self.env, self.templates, self.rendered = make_environment(templates, self.cache), templates, {}
        self.rerendered = []
        return self.env


def build(options: Options, memo: Optional[Memo] = None, last: Optional[Pending] = None) -> Result:
    """Run every stage; stop before writing if anything failed. Never raises for bad content.

    The cyclic garbage collector is paused meanwhile: a build allocates millions of objects, few
    of them in cycles, and every full collection would walk them all (half a second at a thousand
    sources); it runs again once the build is over."""
    paused = gc.isenabled()
    gc.disable()
    progress = Progress.on_terminal(options.progress)
    try:
        return _build(options, memo, progress, last)
    finally:
        progress.close()
        if paused:
            gc.enable()


def _build(options: Options, memo: Optional[Memo], progress: Progress, record: Optional[Pending]) -> Result:
    started = time.perf_counter()
    result = Result()
    cache = options.cache or options.root / CACHE
    if options.write and memo is None and record is None:  # (serve keeps its own memo and writes nothing)
        done, record = shortcut.check(options)
        if done is not None:
            return done
    kept = memo is not None  # a memo of the caller's is kept for its next build; a build's own is not
    memo = memo if memo is not None else Memo(cache=cache / "templates" if options.write else None)  # check writes nothing
    progress.stage("reading")
    loaded = load(options.root, memo.loaded)
    memo.loaded = loaded if kept else None
    result.report.extend(loaded.diagnostics)
    progress.stage("checking")
    content, problems = validate(loaded)
    result.report.extend(problems)
    del loaded  # (a build for no next one lets the parsed documents go: they are a fifth of its memory)
    config = content.config
    result.strict = config.strict if options.strict is None else options.strict
    urls = Urls(options.base_url or config.base_url)
    result.out = _output(options, config.output, result.report) if content.config_ok else None
    if options.write and result.out:
        recover(result.out)  # a build killed mid-swap left the previous site aside: put it back first
    progress.stage("resolving")
    dossier, problems = resolve(content, urls, memo.resolved)
    if not kept:
        memo.resolved = Reuse()  # what resolve would reuse next time: there is no next time
    result.report.extend(problems)
    result.dossier = dossier
    if result.report.errors or not content.config_ok:
        return _done(result, started)
    result.report.extend(_coverage(dossier, memo))
    if options.audit:
        result.report.extend(orphans(dossier))
    try:
        result.files = render_site(dossier, urls, options.root / "templates", result.report, memo,
                                   jobs=options.jobs or (os.cpu_count() or 1), progress=progress)
    except Interrupted:
        result.interrupted = True
        return _done(result, started)
    progress.stage("checking links")
    result.report.extend(check_links(result.files, urls, result.out.name if result.out else "site", memo.links))
    if not kept:  # the same, for the pages' keys, scans and the exports' pieces
        memo.rendered, memo.links, memo.exports = {}, Links(), Recall()
    result.counts = _counts(dossier, result.files)
    if options.write and result.out and result.ok:
        # Pagefind indexes the pages while they are written; the site is put in place only once
        # the bundle is there too (if indexing fails, the build fails and the old site stays)
        indexing = _in_background(search_bundle, result.files, cache / "search") if options.search else None

        def bundle() -> Optional[dict]:
            progress.stage("indexing for search")
            found, problems = indexing.result()
            result.report.extend(problems)
            result.files.update(found)
            return found if result.ok else None
        progress.stage("writing", len(result.files))
        if write_site(result.out, result.files, progress.advance, more=bundle if indexing else None) \
                and record is not None:
            _remember(cache, record, result)
    return _done(result, started)


def _in_background(work: Callable, *args) -> Future:
    """`work(*args)` run in a thread of its own; the future's result() waits for it."""
    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(work, *args)
    finally:
        pool.shutdown(wait=False)  # (the work goes on; the thread ends with it)


def _remember(cache: Path, record: Pending, result: Result) -> None:
    """Record this build for the next one; a cache that cannot be written only costs speed."""
    written = buildcache.outputs(result.out)
    if written is None:
        return
    try:
        buildcache.write(cache, buildcache.Record(record.fingerprint, record.inputs, record.taken_ns, str(result.out),
                                                  written, buildcache.encode(result.report.warnings), result.counts))
    except OSError:
        pass


def _counts(dossier: Dossier, files: dict) -> dict:
    return {"pages": sum(1 for name in files if name.endswith(".html")), "sources": len(dossier.sources),
            "topics": len(dossier.topics), "claims": len(dossier.claims),
            "facts": sum(len(s.facts) for s in dossier.sources), "notes": sum(len(s.notes) for s in dossier.sources)}


def render_site(dossier: Dossier, urls: Urls, templates: Path, report: Report,
                memo: Optional[Memo] = None, jobs: int = 1, progress: Optional[Progress] = None) -> dict[str, bytes]:
    """Every page rendered, plus the static assets: output path -> bytes.

    With a memo from the previous build, a page whose data and templates are unchanged is not
    rendered again: its previous bytes are reused. With `jobs` 2 or more, a large batch of pages is
    shared with a forked worker process (the output is the same byte for byte)."""
    memo = memo if memo is not None else Memo()
    env = memo.environment(templates)
    digests = template_digests(env)
    keyed = [((digests.get(page.template), dossier.config, urls, page), page) for page in plan(dossier, memo.pages)]
    todo = [page for key, page in keyed
            if memo.rendered.get(page.path) is None or memo.rendered[page.path][0] != key]

    def render_one(page: Page) -> tuple[str, Optional[bytes], list, Optional[Scan]]:
        """The page's bytes, the problems met, and (for HTML) its ids and links, scanned here: a
        page rendered by the worker process is scanned there too."""
        text, problems = render_page(env, page.template, {"site": dossier.config, "urls": urls,
                                                          "page": page, **page.context})
        if text is None:
            return page.path, None, problems, None
        return page.path, text.encode("utf-8"), problems, scan(text) if output_file(page.path).endswith(".html") else None

    def keep(path: str, html: Optional[bytes], problems: list, found: Optional[Scan]) -> None:
        report.extend(problems)
        fresh[path] = html
        if found is not None:  # check_links finds the scan of these very bytes
            memo.links.pages[output_file(path)] = (html, found)

    fresh = {}
    first = [page for page in todo if output_file(page.path) in memo.first] if memo.early else []
    for done in map(render_one, first):
        keep(*done)
    if first and not report.errors:
        memo.early({output_file(page.path): fresh[page.path] for page in first})
    files = static_assets(templates)  # the theme's, overridden by the project's
    files[".nojekyll"] = b""
    if dossier.config.cname:
        files["CNAME"] = dossier.config.cname.encode("ascii") + b"\n"
    memo.exports.turn()
    files.update(export_files(dossier, urls, memo.exports))
    rest = [page for page in todo if page.path not in fresh]
    if progress is not None:
        progress.stage("rendering", len(rest))
    interrupted = False
    if memo.stale is not None and len(rest) < 200:  # (a preview: stop as soon as an edit makes this build moot)
        checked = 0.0
        for page in rest:
            if time.perf_counter() - checked > 0.1:
                checked = time.perf_counter()
                if memo.stale():
                    interrupted = True
                    break
            keep(*render_one(page))
    else:
        for done in in_parallel(rest, render_one, jobs, progress.advance if progress else None):
            keep(*done)
    memo.rerendered = [page.path for page in todo if page.path in fresh]
    rendered: dict[str, tuple] = {}
    for key, page in keyed:
        if page.path in fresh:
            if fresh[page.path] is not None:
                rendered[page.path] = (key, fresh[page.path])
        elif page.path in memo.rendered:  # unchanged, or (interrupted) still to do: with its old key
            rendered[page.path] = memo.rendered[page.path]
        if page.path in rendered:
            files[output_file(page.path)] = rendered[page.path][1]
    memo.rendered = rendered
    if interrupted:
        raise Interrupted()
    return files


class Interrupted(Exception):
    """A preview build given up because the inputs changed meanwhile (its memo stays consistent)."""


def in_parallel(items: list, work, jobs: int, tick=None) -> list:
    """`[work(item) for item in items]`, the second half done by a forked copy of this process
    when that is worth it (two cores, hundreds of pages). Results come back pickled through a pipe;
    if the worker fails, the parent does its half itself. `tick(n)` is told of the progress (the
    parent counts the worker's items as it counts its own: they go at about the same pace)."""
    tick = tick or (lambda n: None)

    def counted(item, steps: int = 1):
        done = work(item)
        tick(steps)
        return done
    if jobs < 2 or len(items) < 200 or not hasattr(os, "fork"):
        return [counted(item) for item in items]
    half = len(items) // 2
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: render, send, and leave without running the parent's cleanup
        os.close(read)
        try:
            with os.fdopen(write, "wb") as pipe:
                pickle.dump([work(item) for item in items[half:]], pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write)
    mine = [counted(item, 2) for item in items[:half]]
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        theirs = pickle.loads(data)
    except Exception:  # the worker died (killed, out of memory): do its half here
        theirs = [work(item) for item in items[half:]]
    tick(len(items) - 2 * half)
    return mine + theirs


def _coverage(dossier: Dossier, memo: Memo) -> list:
    """Figures no fact or note covers, per source (reusing the last build's answer for a source
    whose seed and quote positions did not change)."""
    found, known = [], memo.coverage
    memo.coverage = {}
    for view in dossier.sources:
        kept = known.get(view.source.slug)
        if kept is not None and kept[0] is view:  # the very view of the last build
            memo.coverage[view.source.slug] = kept
        else:
            key = (view.seed.text, view.source.slug, view.source.path,
                   tuple(f.span for f in view.facts), tuple(n.span for n in view.notes), view.covered)
            answer = kept[2] if kept is not None and kept[1] == key else uncovered(view)
            memo.coverage[view.source.slug] = (view, key, answer)
        found += memo.coverage[view.source.slug][2]
    return found


def export_files(dossier: Dossier, urls: Urls, recall: Optional[Recall] = None) -> dict[str, bytes]:
    """The data behind the pages: JSON, CSV, Web Annotations, and the seeds they point into."""
    recall = recall if recall is not None else Recall()
    files = {"dossier.json": dossier_json(dossier, urls, recall), "facts.csv": facts_csv(dossier, urls, recall),
             "annotations.jsonld": annotations(dossier, urls, recall),
             "dossier.schema.json": (SCHEMA_DIR / "dossier.schema.json").read_bytes()}
    files.update({f"seeds/{s.seed.name}": s.seed.text.encode("utf-8") for s in dossier.sources})
    return files


def _output(options: Options, configured: str, report: Report) -> Optional[Path]:
    """The output folder, refused when it would overwrite the project or its inputs."""
    root = options.root.resolve()
    out = (options.out if options.out is not None else root / configured).resolve()
    inputs = [root / name for name in PROTECTED]
    where = Location(str(out), 0, 0)
    if out == root or any(out == p or p.is_relative_to(out) or out.is_relative_to(p) for p in inputs) \
            or root.is_relative_to(out):
        report.extend([error(where, "the output folder would overwrite the project's own files",
                             "choose a folder of its own, such as 'site'")])
        return None
    if refuse(out):
        report.extend([error(where, refuse(out), "choose a new or empty folder, or delete this one first")])
        return None
    return out


def _done(result: Result, started: float) -> Result:
    result.seconds = time.perf_counter() - started
    return result
