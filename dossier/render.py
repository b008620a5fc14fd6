"""The render stage: Jinja2 templates over the resolved dossier, with display filters."""

from __future__ import annotations

import datetime
import hashlib
import re
import traceback
from html import unescape
from pathlib import Path
from typing import Optional

import jinja2
from markupsafe import Markup

from . import __version__
from .chart import claim_chart
from .diagnostics import Diagnostic, Location, error
from .export import news_article
from .quotes import Span
from .seedhtml import Mark, Ref, seed_html
from .theme import ThemeLoader, shown_path
from .views import SourceView

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UNITS = {"percent": "%", "per cent": "%"}


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
    env.globals.update(seed_text=seed_text, news_article=lambda view, urls: Markup(news_article(view, urls)), claim_chart=lambda view: Markup(claim_chart(view, figure)))
    env.globals.update(with_embeds=with_embeds)
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


_PLACEHOLDER = re.compile(r'<div class="embed" data-embed="([^"]+)">.*?</div>', re.S)


def with_embeds(html: str, embeds, fact_box, note_box) -> Markup:
    """`html` with each `![[…]]` placeholder replaced by the full box, drawn by the page's macros."""
    boxes = dict(embeds)
    count = iter(range(1, 1_000_000))
    # ids inside embedded boxes must differ from those of any other fragment on the same page
    stem = "e" + hashlib.sha1(str(html).encode("utf-8")).hexdigest()[:6] + "-"

    def box(match: re.Match) -> str:
        view = boxes.get(unescape(match.group(1)))
        if view is None:
            return match.group(0)
        draw = fact_box if hasattr(view, "fact") else note_box
        return f'<div class="embed">{draw(view, home=False, prefix=stem + str(next(count)))}</div>'

    return Markup(_PLACEHOLDER.sub(box, str(html)))


def seed_text(view: SourceView, topic_urls: dict[str, str]) -> Markup:
    """The seed of `view` with its facts, notes and entity mentions laid over it."""
    marks = [Mark(f.span, f.anchor, str(f.number), "fact", f.fact.statement) for f in view.facts]
    marks += [Mark(n.span, n.anchor, n.label, "note", f"{n.note.kind} note") for n in view.notes]
    refs = [Ref(_span(m), topic_urls[m.topic]) for m in view.mentions if m.topic in topic_urls]
    return Markup(seed_html(view.seed.text, marks, refs, view.source.language))


def _span(mention) -> Span:
    return Span(mention.start, mention.end)


def longdate(value: str) -> str:
    """2020-08-09 -> 9 August 2020; 2020-08 -> August 2020; 2020 -> 2020."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
        return f"{day.day} {day:%B %Y}"
    if len(parts) == 2:
        return f"{datetime.date(parts[0], parts[1], 1):%B %Y}"
    return str(parts[0])


def isotime(value: str) -> str:
    """A date (YYYY, YYYY-MM or YYYY-MM-DD) as an RFC 3339 timestamp at midnight UTC."""
    parts = (value.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def figure(number) -> str:
    """6700 -> 6,700; 80.08 -> 80.08."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return str(number)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number:,}"


def value_text(fact) -> str:
    """The fact's value as a reader says it: 'about 3,000 people', '80.08 %'."""
    if fact.value is None:
        return ""
    unit = _UNITS.get(fact.unit, fact.unit)
    number = figure(fact.value)
    text = f"{number}\u202f{unit}" if unit == "%" else f"{number} {unit}".strip()
    return f"{fact.qualifier} {text}".strip()


def plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"
