"""The render stage: Jinja2 templates over the planned pages; each page keyed by what it shows."""

from __future__ import annotations

import hashlib
import re
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import jinja2
from markupsafe import Markup

from . import __version__
from .chart import claim_chart
from .claimreview import claim_review, fact_review
from .diagnostics import Diagnostic, Location, Report, error
from .export import export_files, news_article
from .filters import counted, figure, isotime, longdate, plural, seed_text, stage_text, value_text, when, with_embeds
from .memo import MISSING, Memo, key
from .options import Settings
from .pages import Page, fingerprint
from .parallel import in_parallel
from .progress import Progress
from .urls import output_file
from .verify import Scan, scan
from .views import Dossier
from .theme import ThemeLoader, shown_path, static_assets

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def make_environment(templates: Path, cache: Optional[Path] = None) -> jinja2.Environment:
    """Jinja with autoescaping everywhere and no undefined value rendering as nothing; a template is
    the project's own (in `templates`) or else the theme's. With `cache`, compiled templates are kept
    there between runs (keyed by Jinja on each template's source)."""
    options = dict(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                   keep_trailing_newline=True)
    bytecode = None
    if cache is not None:
        # Jinja keys compiled templates by their source only: a folder per engine, Jinja version and
        # options keeps code compiled under other settings from ever being used
        stamp = hashlib.sha256(repr((__version__, jinja2.__version__, sorted(map(str, options.items()))))
                               .encode()).hexdigest()[:16]
        (cache / stamp).mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache / stamp))
    env = jinja2.Environment(loader=ThemeLoader(templates), bytecode_cache=bytecode, **options)
    env.filters.update(longdate=longdate, figure=figure, value=value_text, plural=plural, isotime=isotime)
    env.filters.update(when=when, counted=counted, stage=stage_text)  # what a figure measures (evidence)
    env.globals.update(seed_text=seed_text, news_article=lambda view, urls: Markup(news_article(view, urls)), claim_chart=lambda view: Markup(claim_chart(view, figure)))
    env.globals.update(with_embeds=with_embeds)
    env.globals.update(claim_review=lambda view, urls, config: Markup(claim_review(view, urls, config)),
                       fact_review=lambda view, urls, config: Markup(fact_review(view, urls, config)))
    env.tests.update(cyrillic=lambda text: bool(_CYRILLIC.search(str(text))))
    return env


_REFERENCE = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def template_digests(env: jinja2.Environment) -> dict[str, str]:
    """For each template, a digest of its source and of every template it extends, includes or imports."""
    names = env.list_templates(filter_func=lambda name: not name.startswith("static/"))
    sources = {name: env.loader.get_source(env, name)[0] for name in names}
    refs = {name: set(_REFERENCE.findall(source)) for name, source in sources.items()}

    def closure(name: str, seen: set) -> set:
        for ref in refs.get(name, ()):
            if ref not in seen:
                seen.add(ref)
                closure(ref, seen)
        return seen

    return {name: hashlib.sha256("\0".join(sources.get(n, "") for n in sorted(closure(name, {name})))
                                 .encode()).hexdigest() for name in sources}


def render_page(env: jinja2.Environment, template: str, context: dict) -> tuple[Optional[str], list[Diagnostic]]:
    """The page's HTML, or an error that names the template file and line."""
    try:
        return env.get_template(template).render(context), []
    except jinja2.TemplateSyntaxError as exc:
        where = _shown(env, exc.filename) if exc.filename else f"templates/{exc.name or template}"
        return None, [error(Location(where, exc.lineno or 0, 1), f"template syntax error: {exc.message}")]
    except jinja2.TemplateNotFound as exc:
        return None, [error(Location(f"templates/{template}"), f"template not found: {exc.name}")]
    except jinja2.TemplateError as exc:
        return None, [error(_template_frame(env, exc, template), f"template error: {exc.message}")]


def _template_frame(env: jinja2.Environment, exc: BaseException, template: str) -> Location:
    """The innermost template line in the traceback (Jinja maps frames back to template files)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return Location(_shown(env, frame.filename), frame.lineno or 0, 1)
    return Location(f"templates/{template}")


def _shown(env: jinja2.Environment, filename: str) -> str:
    """`templates/x.html` for a template of the project's, the theme's own path for one of the theme's."""
    return shown_path(filename, Path(env.loader.searchpath[0]))


@dataclass(frozen=True)
class Focus:
    """Serve's say in a build's rendering: the output files being read (rendered first, and handed
    to `early` as soon as they are, if all is well so far), and `stale()`: whether the inputs
    changed since the build began (then it stops)."""

    first: frozenset = frozenset()
    early: Optional[Callable[[dict], None]] = None
    stale: Optional[Callable[[], bool]] = None


class Interrupted(Exception):
    """A preview build given up because the inputs changed meanwhile."""


@dataclass(frozen=True)
class Rendered:
    """A page as the memo keeps it: its bytes (or None: a file the memo stored), its size, and
    (for HTML) its ids and links, scanned when rendered."""

    data: Optional[bytes]
    size: int
    scan: Optional[Scan]


def environment(memo: Memo, templates: Path, digests: tuple, cache: Optional[Path]) -> jinja2.Environment:
    """The Jinja environment for these template files (`digests`: their paths and contents)."""
    return memo.get("environment", key(str(templates), digests, str(cache)), lambda: make_environment(templates, cache))


@dataclass(frozen=True)
class Rendering:
    """What rendering the pages found: output path -> scan (of the HTML pages), output path ->
    the page's key, the site paths of the pages rendered anew, and the problems met."""

    scans: dict[str, Scan]
    keys: dict[str, str]
    rendered: list[str]
    problems: list[Diagnostic]


class Once:
    """The fragments that show one view — a fact's line on topic pages and the timeline, a fact's
    or note's box — rendered once, by the digest of what they show, and reused by every page that
    shows them (templates call `once('macro', view, …)`); the memo keeps them between a preview's
    builds, so a page rendered again renders only what changed on it."""

    def __init__(self, env: jinja2.Environment, memo: Memo) -> None:
        self.env, self.memo = env, memo
        self.macros = None  # (the theme's macros, looked up once per build: a lookup stats the file)

    def __call__(self, name: str, view, **options) -> Markup:
        digest = key("fragment", name, view.digest, fingerprint(tuple(sorted(options.items()))))
        return self.memo.get("fragment", digest, lambda: Markup(self._macro(name)(view, **options)))

    def _macro(self, name: str):
        if self.macros is None:
            self.macros = self.env.get_template("macros.html").module
        macro = getattr(self.macros, name, None)
        if macro is None:  # (a project's own macros.html, older than the theme's)
            raise jinja2.TemplateRuntimeError(f"macros.html has no macro '{name}' (the theme's has: copy it over)")
        return macro


def render_pages(env: jinja2.Environment, pages: list[Page], settings: Settings, memo: Memo, output,
                 focus: Optional[Focus], progress: Progress) -> Rendering:
    """Every page rendered into `output` (see `write.Held`, `write.Staged`), or placed there as
    the memo kept it when what it shows is unchanged."""
    env.globals["once"] = Once(env, memo)
    templates, base = template_digests(env), key(repr(settings.config), settings.urls.base_url)
    keyed = [(key("page", templates.get(p.template), base, p.path, p.template, p.title, p.digest), p) for p in pages]
    found = {k: _placed(memo.lookup("page", k), output, k, p) for k, p in keyed}
    todo = [(k, p) for k, p in keyed if found[k] is MISSING]
    work = lambda item: (item[0], _render_one(env, settings, item[1], item[0], output))  # noqa: E731
    focus, report = focus or Focus(), Report()
    first = [item for item in todo if output_file(item[1].path) in focus.first] if focus.early else []
    _keep(memo, found, report, map(work, first))
    if first and not report.errors:
        focus.early({output_file(p.path): found[k].data for k, p in first if found[k] is not None})
    rest = [item for item in todo if item not in first]
    progress.stage("rendering", len(rest))
    _keep(memo, found, report, _render_rest(rest, work, settings, focus, progress))
    done = {output_file(p.path): (k, found[k]) for k, p in keyed if isinstance(found[k], Rendered)}
    output.written({path: r for path, (_, r) in done.items()})
    memo.used_stored(k for k, _ in done.values())
    return Rendering({path: r.scan for path, (_, r) in done.items() if r.scan}, {path: k for path, (k, _) in done.items()},
                     [p.path for _, p in todo], report.diagnostics)


def _placed(kept, output, digest: str, page: Page):
    """The page as the memo kept it, once placed in `output`; MISSING if it must be rendered."""
    if kept is MISSING or kept is None:
        return kept
    return kept if output.reuse(output_file(page.path), digest, kept.data, kept.size) else MISSING


def _render_rest(rest: list, work, settings: Settings, focus: Focus, progress: Progress):
    if focus.stale is None or len(rest) >= 200:
        return in_parallel(rest, work, settings.jobs, progress.advance)
    return _until_stale(rest, work, focus.stale)


def _until_stale(items: list, work, stale: Callable[[], bool]):
    """A preview's pages, one by one, given up as soon as an edit makes the build moot."""
    checked = 0.0
    for item in items:
        if time.perf_counter() - checked > 0.1:
            checked = time.perf_counter()
            if stale():
                raise Interrupted()
        yield work(item)


def _keep(memo: Memo, found: dict, report: Report, done) -> None:
    for digest, (rendered, problems) in done:
        report.extend(problems)
        found[digest] = memo.put("page", digest, rendered) if rendered is not None else None


def _render_one(env: jinja2.Environment, settings: Settings, page: Page, digest: str,
                output) -> tuple[Optional[Rendered], list]:
    """The page rendered and added to `output` (in a forked worker too: a staged site is a folder)."""
    text, problems = render_page(env, page.template, {"site": settings.config, "urls": settings.urls,
                                                      "page": page, **page.context})
    if text is None:
        return None, problems
    path = output_file(page.path)
    data = text.encode("utf-8")
    kept = output.add(path, data, digest)
    return Rendered(kept, len(data), scan(text) if path.endswith(".html") else None), problems


def site_files(dossier: Dossier, settings: Settings, templates: Path, memo: Memo, output) -> None:
    """What the site holds besides its pages, added to `output`: assets, exports, and GitHub
    Pages' own files."""
    files = static_assets(templates)  # the theme's, overridden by the project's (a handful of small files)
    files[".nojekyll"] = b""
    if dossier.config.cname:
        files["CNAME"] = dossier.config.cname.encode("ascii") + b"\n"
    files.update(export_files(dossier, settings.urls, memo))
    for path in sorted(files):
        output.add(path, files.pop(path))
