"""The theme ships in the package; a dossier's own templates/ overrides it file by file."""

from __future__ import annotations

import shutil

from dossier.theme import THEME
from tests.helpers import ROOT, error_lines, make_project, override, parse, run


def _without_templates(tmp_path):
    root = make_project(tmp_path)
    shutil.rmtree(root / "templates")
    return root


def test_a_dossier_with_no_templates_builds_with_the_theme(tmp_path):
    root = _without_templates(tmp_path)
    code, _, err = run(root, "build", "-q")
    assert code == 0, err
    assert parse(root / "site/index.html").find("main", id="main") is not None
    for name in ("dossier.css", "dossier.js", "search.js", "favicon.svg", "social-card.png"):
        assert (root / "site/assets" / name).read_bytes() == (THEME / "static" / name).read_bytes()


def test_a_template_of_the_project_wins_over_the_theme_s(tmp_path):
    root = _without_templates(tmp_path)
    path = override(root, "claim.html")
    path.write_text(path.read_text().replace("<h1>", '<h1 class="mine">', 1))
    assert run(root, "build", "-q")[0] == 0
    assert parse(root / "site/claims/detentions/index.html").find("h1")["class"] == ["mine"]
    assert parse(root / "site/sources/test-report/index.html").find("h1", class_="mine") is None


def test_static_assets_are_merged_file_by_file(tmp_path):
    root = _without_templates(tmp_path)
    override(root, "static/dossier.css").write_text("body { color: red }\n")
    (root / "templates/static/extra.txt").write_text("mine\n")
    assert run(root, "build", "-q")[0] == 0
    assert (root / "site/assets/dossier.css").read_text() == "body { color: red }\n"
    assert (root / "site/assets/extra.txt").read_text() == "mine\n"
    assert (root / "site/assets/dossier.js").read_bytes() == (THEME / "static/dossier.js").read_bytes()


def test_this_dossier_overrides_only_its_social_card():
    files = sorted(p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file())
    assert files == ["static/social-card.png"]
    assert (ROOT / "templates/static/social-card.png").read_bytes() != (THEME / "static/social-card.png").read_bytes()


def test_an_error_in_an_override_names_the_project_s_file(tmp_path):
    root = _without_templates(tmp_path)
    path = override(root, "claim.html")
    lines = path.read_text().split("\n")
    lines[3] += " {% if %}"
    path.write_text("\n".join(lines))
    code, _, err = run(root, "build")
    assert code == 1
    assert any(line.startswith("templates/claim.html:4:1: error: template syntax error:") for line in error_lines(err)), err


def test_an_error_in_the_theme_names_the_theme_s_file(tmp_path):
    """A project's macros.html that lacks a macro the theme's claim.html imports: the error is in
    the theme's file, and says so with the theme's own path."""
    root = _without_templates(tmp_path)
    macros = override(root, "macros.html")
    macros.write_text(macros.read_text().replace("macro backlinks(", "macro backlinks_renamed("))
    code, _, err = run(root, "build")
    assert code == 1
    line = next(i for i, text in enumerate((THEME / "claim.html").read_text().split("\n"), 1) if "backlinks(" in text)
    assert f"{(THEME / 'claim.html').as_posix()}:{line}:1: error: template error:" in err, err


def test_the_theme_is_part_of_the_engine_fingerprint(tmp_path):
    """A build with nothing to do is recognised by the engine's digest: a theme edit is a new engine."""
    from dossier.buildcache import engine_digest

    package = tmp_path / "dossier"
    shutil.copytree(ROOT / "dossier", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = engine_digest(package)
    css = package / "theme/templates/static/dossier.css"
    css.write_text(css.read_text() + "\nbody { color: red }\n")
    assert engine_digest(package) != before
