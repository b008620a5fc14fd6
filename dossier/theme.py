"""The default theme ships inside the package; a dossier's own `templates/` overrides it file by file.

A template is looked up in the project's `templates/` first, then in the theme
(`dossier/theme/templates/`); the static assets (`static/` below either) are merged the same way,
the project's file winning over the theme's of the same name. A new dossier needs no `templates/`."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from .write import static_files

THEME = Path(__file__).resolve().parent / "theme" / "templates"


class ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file loader over the project's folder, then the theme's. A template it loaded is
    stale when its file changes (as in Jinja) and also when an override of it appears in the
    project's folder or goes away (a preview keeps its templates from one build to the next)."""

    def __init__(self, templates: Path):
        super().__init__([str(templates), str(THEME)])

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        override = posixpath.join(self.searchpath[0], *split_template_path(template))
        overridden = os.path.isfile(override)
        return source, filename, lambda: uptodate() and os.path.isfile(override) == overridden


def static_assets(templates: Path) -> dict[str, bytes]:
    """The site's CSS, scripts and icons, keyed by output path: the theme's, overridden by the project's."""
    return static_files(THEME / "static") | static_files(templates / "static")


def shown_path(filename: str, templates: Path) -> str:
    """How a diagnostic names a template file: `templates/x.html` for the project's own, the
    theme's path (relative to the project when it lies inside it, as in the engine's repository)."""
    path = Path(filename).resolve()
    folder = templates.resolve()
    if path.is_relative_to(folder):
        return "templates/" + path.relative_to(folder).as_posix()
    if path.is_relative_to(folder.parent):
        return path.relative_to(folder.parent).as_posix()
    return path.as_posix()
