"""The build, stage by stage: load → validate → resolve → render → verify → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .coverage import uncovered
from .diagnostics import Location, Report, error
from .load import load
from .pages import plan
from .render import isotime, make_environment, render_page
from .resolve import resolve
from .urls import Urls, output_file
from .validate import validate
from .verify import check_links
from .views import Dossier
from .write import refuse, static_files, write_site

PROTECTED = ("content", "seeds", "templates", "dossier", "tests", ".git")


@dataclass(frozen=True)
class Options:
    root: Path
    out: Optional[Path] = None  # default: config's `output`
    base_url: Optional[str] = None  # default: config's `base_url`
    strict: Optional[bool] = None  # default: config's `strict`
    write: bool = True  # False: check only


@dataclass
class Result:
    report: Report = field(default_factory=Report)
    dossier: Optional[Dossier] = None
    files: dict = field(default_factory=dict)
    out: Optional[Path] = None
    seconds: float = 0.0
    strict: bool = False

    @property
    def ok(self) -> bool:
        return not self.report.failed(self.strict)


def build(options: Options) -> Result:
    """Run every stage; stop before writing if anything failed. Never raises for bad content."""
    started = time.perf_counter()
    result = Result()
    loaded = load(options.root)
    result.report.extend(loaded.diagnostics)
    content, problems = validate(loaded)
    result.report.extend(problems)
    if content is None:
        return _done(result, started)
    config = content.config
    result.strict = config.strict if options.strict is None else options.strict
    urls = Urls(options.base_url or config.base_url)
    result.out = _output(options, config.output, result.report)
    dossier, problems = resolve(content, urls)
    result.report.extend(problems)
    result.report.extend(d for view in dossier.sources for d in uncovered(view))
    result.dossier = dossier
    if result.report.errors:
        return _done(result, started)
    result.files = render_site(dossier, urls, options.root / "templates", result.report)
    result.report.extend(check_links(result.files, urls, result.out.name if result.out else "site"))
    if options.write and result.out and result.ok:
        write_site(result.out, result.files)
    return _done(result, started)


def render_site(dossier: Dossier, urls: Urls, templates: Path, report: Report) -> dict[str, bytes]:
    """Every page rendered, plus the static assets: output path -> bytes."""
    env = make_environment(templates)
    topic_urls = {t.topic.slug: (t.url, t.topic.title) for t in dossier.topics if t.topic.is_entity}
    files = static_files(templates / "static")
    files[".nojekyll"] = b""
    if dossier.config.cname:
        files["CNAME"] = dossier.config.cname.encode("ascii") + b"\n"
    pages = plan(dossier)
    updated = max((s.source.published for s in dossier.sources), default="2020")
    shared = {"site": dossier.config, "dossier": dossier, "urls": urls, "pages": pages,
              "topic_urls": topic_urls, "feed_updated": isotime(updated)}
    for page in pages:
        context = {**shared, "page": page, **page.context}
        html, problems = render_page(env, page.template, context)
        report.extend(problems)
        if html is not None:
            files[output_file(page.path)] = html.encode("utf-8")
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
