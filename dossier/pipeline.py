"""The build, stage by stage: load → validate → derive → gather → plan → render → verify → write → index."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Callable, Optional

from . import buildcache, shortcut
from .derive import Derived, derive
from .diagnostics import Diagnostic, Location, Report, error, warning
from .gather import gather
from .links import LinkIndex, build_index
from .load import Loaded, load
from .memo import MISSING, Memo, key
from .model import Content
from .options import Options, Result, Settings
from .orphans import orphans
from .pages import plan
from .parallel import in_parallel
from .progress import Progress
from .project import TEMPLATES, snapshot
from .reads import asks, context, derive_key, lookups
from .render import Focus, Interrupted, environment, render_pages, site_files
from .search import search_bundle
from .shortcut import CACHE, Pending
from .urls import Urls
from .validate import validate
from .verify import check_links
from .write import Folder, Held, Staged, recover, refuse
from .yamlload import YamlDocument

PROTECTED = ("content", "seeds", "templates", "dossier", "tests", ".git", CACHE)
__all__ = ["Focus", "Memo", "Options", "build"]


def build(options: Options, memo: Optional[Memo] = None, focus: Optional[Focus] = None,
          last: Optional[Pending] = None) -> Result:
    """Run every stage; stop before writing if anything failed. Never raises for bad content.
    `memo` (serve keeps one) holds what the next build may reuse; without it, the build keeps
    its memo in `.dossier-cache/memo/`. `focus` is serve's say in the order of rendering.

    The cyclic garbage collector is paused meanwhile: a build allocates millions of objects, few
    of them in cycles, and every full collection would walk them all."""
    paused = gc.isenabled()
    gc.disable()
    progress = Progress.on_terminal(options.progress)
    try:
        result = _build(options, memo, focus, progress, last)
    finally:
        progress.close()
        if paused:
            gc.enable()
    result.timings.update(progress.seconds)
    return result


def _build(options: Options, memo: Optional[Memo], focus: Optional[Focus], progress: Progress,
           record: Optional[Pending]) -> Result:
    started, result = time.perf_counter(), Result()
    if options.write and memo is None and record is None:
        done, record = shortcut.check(options)
        if done is not None:
            return done
    memo = memo if memo is not None else _disk_memo(options)
    progress.stage("reading")
    snap = snapshot(options.root)
    loaded = load(snap, memo, memo.inputs or (record.snapshot if record else None), _jobs(options))
    memo.inputs = snap
    progress.stage("checking")
    content, problems = validate(loaded)
    result.report.extend([*loaded.diagnostics, *problems])
    settings = _settings(options, content, result)
    unmapped = _no_sitemap(settings, loaded.config)  # (said only if the site is built)
    index = build_index(content, settings.urls)
    progress.stage("deriving")
    derived, result.derived = _derive(content, loaded, index, settings, memo)
    templates, loaded = loaded.templates, None  # (the checked files are in the memo: let the rest go)
    result.report.extend(p for d in derived.values() for p in d.problems)
    progress.stage("gathering")
    result.dossier, problems = gather(content, index, derived, settings.urls, memo)
    result.report.extend(problems)
    if result.report.errors or not content.config_ok:
        return _done(result, memo, started, progress)
    result.report.extend([*unmapped, *(p for d in derived.values() for p in d.uncovered)])
    if options.audit:
        result.report.extend(orphans(result.dossier))
    _site(result, settings, templates, memo, focus, progress, record)
    return _done(result, memo, started, progress)


def _site(result: Result, settings: Settings, templates: tuple, memo: Memo, focus: Optional[Focus],
          progress: Progress, record: Optional[Pending]) -> None:
    """Render, verify, index and write the site. A build that writes renders into a new folder
    beside the output, swapped in only if all is well (else removed); one that does not keeps
    its files in memory (`result.files`)."""
    output = Staged(settings.out, memo) if settings.write else Held(memo)
    try:
        scans, keys = _render(result, settings, templates, memo, focus, progress, output)
        progress.stage("checking links")
        result.files = output.view()
        result.report.extend(check_links(result.files, settings.urls, settings.out.name if settings.out else "site",
                                         scans, keys, memo))
        result.counts = _counts(result)
        if settings.write and result.ok:
            keeping = _in_background(_timed, result.timings, "memo", memo.finish)  # (beside Pagefind)
            _write(result, settings, progress, record, output)
            keeping.result()
    except Interrupted:
        result.interrupted = True
    finally:
        output.discard()  # (nothing, once swapped in)


def _jobs(options: Options) -> int:
    """Processes to work with: as asked, or one per core."""
    return options.jobs or (os.cpu_count() or 1)


def _disk_memo(options: Options) -> Memo:
    """A one-off build's memo: on disk (what the last build made), written back unless checking."""
    cache = options.cache or options.root / CACHE
    return Memo(cache / "memo", buildcache.engine(), write=options.write)


def _settings(options: Options, content: Content, result: Result) -> Settings:
    """Options and config merged, once; the output folder checked."""
    config = content.config
    result.strict = config.strict if options.strict is None else options.strict
    out = _output(options, config.output, result.report) if content.config_ok else None
    if options.write and out is not None:
        recover(out)  # a build killed mid-swap left the previous site aside: put it back first
    result.out = out
    urls = Urls(options.base_url or config.base_url)
    return Settings(options.root, out, urls, result.strict, options.write, options.search,
                    options.cache or options.root / CACHE, _jobs(options), config,
                    urls.origin or config.origin)


def _no_sitemap(settings: Settings, config: Optional[YamlDocument]) -> list[Diagnostic]:
    """A site with no host known has no sitemap (whose URLs must be absolute), and robots.txt
    names none. One warning when such a site is written for a sub-path (`/repo/`, a project
    site about to be published); at `/` (a local build: the default) it is left out quietly."""
    if settings.origin or not settings.write or config is None or settings.urls.prefix == "/":
        return []
    return [warning(config.where(("base_url",)), "sitemap.xml left out: its URLs must be absolute, "
                    "and the site's host is not known (base_url is only a path)",
                    "set site_url in config.yaml (e.g. 'site_url: https://user.github.io'), "
                    "or build with a full --base-url such as https://user.github.io/repo/")]


# -- derive -----------------------------------------------------------------------------------

def _derive(content: Content, loaded: Loaded, index: LinkIndex, settings: Settings,
            memo: Memo) -> tuple[dict[str, Derived], list[str]]:
    """Each source's derived share, from the memo or derived anew (on every core for many); and
    the slugs of those derived anew."""
    ctx = context(content.known, content.broken, content.topics, content.claims, settings.urls)
    files = {f.slug: f for f in loaded.sources if f.model is not None}
    wanted, found, known = {}, {}, {}
    for source in content.sources:
        seed = content.seeds.get(source.seed)
        if seed is None:
            continue
        file = files[source.slug]
        asked = memo.get("asks", key(file.path, loaded.digests[file.path]), lambda: asks(file))
        answers = lookups(file, asked, index, known)
        digest = derive_key(file, loaded.digests[file.path], loaded.digests[seed.path], ctx, answers)
        found[source.slug] = memo.lookup("derived", digest)
        if found[source.slug] is MISSING:
            wanted[source.slug] = (file, seed, answers, digest)
    fresh = in_parallel(list(wanted.values()), lambda job: derive(job[0], job[1], ctx, job[2], job[3]), settings.jobs,
                        minimum=48)
    for view in fresh:
        found[view.slug] = memo.put("derived", view.digest, view)
    return found, list(wanted)


# -- render, verify, write --------------------------------------------------------------------

def _render(result: Result, settings: Settings, templates: tuple, memo: Memo, focus: Optional[Focus],
            progress: Progress, output) -> tuple[dict, dict]:
    """Every page and file of the site into `output`; the scans and keys of its pages returned."""
    folder = settings.root / TEMPLATES
    env = environment(memo, folder, templates, settings.cache / "templates" if settings.write else None)
    pages = plan(result.dossier, settings.origin, memo)
    done = render_pages(env, pages, settings, memo, output, focus, progress)
    result.report.extend(done.problems)
    result.rendered = done.rendered
    progress.stage("writing")
    site_files(result.dossier, settings, folder, memo, output)
    return done.scans, done.keys


def _write(result: Result, settings: Settings, progress: Progress, record: Optional[Pending], output: Staged) -> None:
    """The search bundle added to the new folder (if indexing fails, the build fails and the old
    site stays), and the new folder swapped in."""
    if settings.search:
        progress.stage("indexing for search")
        found, problems = _timed(result.timings, "search", search_bundle, result.files, settings.cache / "search")
        result.report.extend(problems)
        if not result.ok:
            return
        for path in sorted(found):
            output.add(path, found.pop(path))
    output.swap()
    result.files = Folder(result.out, output.paths)
    if record is not None:
        _remember(settings.cache, record, result)


def _in_background(work: Callable, *args):
    """`work(*args)` run in a thread of its own; the future's result() waits for it."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(work, *args)
    finally:
        pool.shutdown(wait=False)  # (the work goes on; the thread ends with it)


def _timed(timings: dict, name: str, work: Callable, *args):
    started = time.perf_counter()
    try:
        return work(*args)
    finally:
        timings[name] = time.perf_counter() - started


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


def _counts(result: Result) -> dict:
    dossier = result.dossier
    return {"pages": sum(1 for name in result.files if name.endswith(".html")), "sources": len(dossier.sources),
            "topics": len(dossier.topics), "claims": len(dossier.claims),
            "facts": sum(len(s.facts) for s in dossier.sources), "notes": sum(len(s.notes) for s in dossier.sources)}


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


def _done(result: Result, memo: Memo, started: float, progress: Progress) -> Result:
    progress.stage("keeping the memo")
    memo.finish(save=result.ok and not result.interrupted and result.dossier is not None)
    result.seconds = time.perf_counter() - started
    return result
