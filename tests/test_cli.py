"""dossier.cli: build, check, new, options, help."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.helpers import MINIMAL, SOURCE, parse, patched, run, tree_digest

NEW_SEED = ("https://example.org/brest\n"
            "\n"
            "Riot police detained 250 protesters in Brest on Monday, witnesses said.\n"
            "\n"
            "The city\u2019s mayor said nothing.\n")
SUMMARY_COUNTS = "(1 sources, 2 topics, 2 claims, 2 facts, 1 notes)"


def html_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def links(page: Path) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every href and src on a built page."""
    soup = parse(page)
    return [(tag.name, attr, tag[attr]) for tag in soup.find_all(True)
            for attr in ("href", "src") if tag.has_attr(attr)]


# -- build ------------------------------------------------------------------------------------

def test_build_writes_the_site_and_prints_a_one_line_summary(project):
    code, out, err = run(project, "build")
    assert (code, err) == (0, "")
    site = project / "site"
    pages = html_files(site)
    assert re.fullmatch(rf"built {len(pages)} pages {re.escape(SUMMARY_COUNTS)} into site/ in \d+\.\d\d s\n", out)
    assert {"index.html", "404.html", "sources/index.html", "sources/test-report/index.html",
            "topics/minsk/index.html", "topics/election/index.html", "claims/vote-share/index.html",
            "claims/detentions/index.html", "timeline/index.html"} <= set(pages)
    assert (site / "assets" / "dossier.css").is_file()


def test_build_is_the_default_command(project):
    code, out, _ = run(project)
    assert code == 0 and out.startswith("built ")
    assert (project / "site" / "index.html").is_file()


def test_build_replaces_a_previous_build(built):
    (built / "stale.html").write_text("from an older build")
    assert run(built.parent, "build")[0] == 0
    assert not (built / "stale.html").exists()
    assert (built / "index.html").is_file()


def test_build_refuses_to_replace_a_folder_it_did_not_build(project):
    (project / "site").mkdir()
    (project / "site" / "notes.txt").write_text("the editor's own file")
    code, out, err = run(project, "build")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (f"{(project / 'site').resolve()}: error: the output folder is not empty "
                                   "and was not built by Dossier; refusing to replace it")
    assert sorted(p.name for p in (project / "site").iterdir()) == ["notes.txt"]


def test_quiet_build_prints_nothing(project):
    assert run(project, "build", "--quiet") == (0, "", "")
    assert (project / "site" / "index.html").is_file()


# -- check ------------------------------------------------------------------------------------

def test_check_writes_nothing_and_exits_0(project):
    before = tree_digest(project)
    code, out, err = run(project, "check")
    assert code == 0
    # the minimal project's claims have one answer each: check (and only check) says so
    assert [l for l in err.splitlines() if not l.startswith("    ")] == [
        "content/claims.yaml:2:3: warning: claim 'detentions' is answered by 1 source only",
        "content/claims.yaml:5:3: warning: claim 'vote-share' is answered by 1 source only",
    ]
    assert re.fullmatch(rf"checked {re.escape(SUMMARY_COUNTS[1:-1])}: no errors, 2 warnings \(\d+\.\d\d s\)\n", out)
    assert tree_digest(project) == before
    assert not (project / "site").exists()


def test_check_leaves_an_existing_site_alone(project):
    assert run(project, "build")[0] == 0
    before = tree_digest(project)
    (project / SOURCE).write_text(MINIMAL[SOURCE].replace("Test Wire", "Other Wire"), encoding="utf-8")
    assert run(project, "check")[0] == 0
    after = tree_digest(project)
    assert {k: v for k, v in after.items() if k != SOURCE} == {k: v for k, v in before.items() if k != SOURCE}


# -- --out and --base-url -----------------------------------------------------------------------

def test_out_option(project, tmp_path):
    out = tmp_path / "elsewhere" / "public"
    code, stdout, err = run(project, "build", "--out", str(out))
    assert (code, err) == (0, "")
    assert f"into {out}/ in " in stdout
    assert (out / "sources" / "test-report" / "index.html").is_file()
    assert not (project / "site").exists()


def test_output_from_config(make_project):
    root = make_project(patched({"config.yaml": "title: Test dossier\noutput: public\n"}))
    code, out, _ = run(root, "build")
    assert code == 0 and " into public/ in " in out
    assert (root / "public" / "index.html").is_file() and not (root / "site").exists()


def assert_links_under(site: Path, prefix: str, origin: str = "") -> int:
    """Every internal href/src of every page starts with `prefix` (or origin + prefix for absolute
    ones); other links are in-page fragments or external links marked rel=nofollow. Returns the count."""
    count = 0
    for rel in html_files(site):
        soup = parse(site / rel)
        for tag in soup.find_all(True):
            for attr in ("href", "src"):
                if not tag.has_attr(attr):
                    continue
                value = tag[attr]
                count += 1
                if value.startswith("#"):
                    continue
                if origin and value.startswith(origin + prefix):
                    continue
                if value.startswith("http://") or value.startswith("https://"):
                    assert "nofollow" in tag.get("rel", []), (rel, value)
                    continue
                assert value.startswith(prefix), (rel, value)
    return count


@pytest.mark.parametrize("base, prefix, origin", [
    ("/repo/", "/repo/", ""),
    ("/belarus-dossier", "/belarus-dossier/", ""),
    ("https://user.github.io/repo/", "/repo/", "https://user.github.io"),
])
def test_base_url_option(project, tmp_path, base, prefix, origin):
    out = tmp_path / "out"
    code, _, err = run(project, "build", "--base-url", base, "--out", str(out))
    warnings = [line.split(": warning: ")[1] for line in err.splitlines() if ": warning: " in line]
    assert code == 0 and len(err.splitlines()) == 2 * len(warnings)  # (each with its hint)
    assert [w.startswith("sitemap.xml left out") for w in warnings] == ([] if origin else [True])
    assert (out / "sitemap.xml").exists() == bool(origin)
    assert assert_links_under(out, prefix, origin) > 50
    home = parse(out / "index.html")
    assert home.find("a", class_="site-title")["href"] == prefix
    assert home.find("link", rel="stylesheet")["href"] == prefix + "assets/dossier.css"


def test_base_url_from_config(make_project):
    root = make_project(patched({"config.yaml": "title: Test dossier\nbase_url: /sub/\n"}))
    assert run(root, "build")[0] == 0
    assert_links_under(root / "site", "/sub/")


def test_base_url_option_overrides_config(make_project):
    root = make_project(patched({"config.yaml": "title: Test dossier\nbase_url: /sub/\n"}))
    assert run(root, "build", "--base-url", "/other/")[0] == 0
    assert_links_under(root / "site", "/other/")


def test_absolute_urls_in_sitemap_and_feed(project, tmp_path):
    out = tmp_path / "out"
    assert run(project, "build", "--base-url", "https://user.github.io/repo/", "--out", str(out))[0] == 0
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "a": "http://www.w3.org/2005/Atom"}
    locs = [loc.text for loc in ElementTree.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert "https://user.github.io/repo/sources/test-report/" in locs
    assert all(loc.startswith("https://user.github.io/repo/") for loc in locs)
    feed = ElementTree.parse(out / "feed.xml").getroot()
    assert [link.get("href") for link in feed.findall("a:entry/a:link", ns)] == [
        "https://user.github.io/repo/sources/test-report/"]


# -- strict -----------------------------------------------------------------------------------

@pytest.fixture
def with_orphan_seed(make_project):
    """The minimal project plus a seed that no source file annotates (a warning)."""
    return make_project(patched({"seeds/002_new.txt": NEW_SEED}))


WARNING = "seeds/002_new.txt:1:1: warning: seed '002_new.txt' has no source file"


def test_a_warning_does_not_fail_the_build(with_orphan_seed):
    code, out, err = run(with_orphan_seed, "build")
    assert code == 0
    assert err.splitlines()[0] == WARNING
    assert out.endswith(", 1 warning\n")
    assert (with_orphan_seed / "site" / "index.html").is_file()


def test_strict_fails_on_a_warning_and_writes_nothing(with_orphan_seed):
    code, out, err = run(with_orphan_seed, "build", "--strict")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        WARNING, "    run: python build.py new seeds/002_new.txt",
        "build failed: 0 errors, 1 warning (strict: warnings count); the site was not written"]
    assert not (with_orphan_seed / "site").exists()


def test_strict_from_config(make_project):
    root = make_project(patched({"seeds/002_new.txt": NEW_SEED,
                                           "config.yaml": "title: Test dossier\nstrict: true\n"}))
    assert run(root, "check")[0] == 1
    assert run(root, "build")[0] == 1


def test_quiet_hides_warnings_but_not_errors(with_orphan_seed):
    assert run(with_orphan_seed, "build", "--quiet") == (0, "", "")
    (with_orphan_seed / SOURCE).write_text(MINIMAL[SOURCE].replace("topics: [election]", "topics: [nope]"),
                                           encoding="utf-8")
    code, out, err = run(with_orphan_seed, "build", "--quiet")
    assert code == 1 and out == ""
    assert [line for line in err.splitlines() if not line.startswith(" ")] == [
        "content/sources/test-report.md:6:9: error: unknown topic 'nope'",
        "build failed: 1 error, 1 warning; the site was not written"]


# -- new --------------------------------------------------------------------------------------

SCAFFOLD = "content/sources/riot-police-detained-250-protesters-in.md"


def test_new_scaffolds_a_source_file(with_orphan_seed):
    root = with_orphan_seed
    code, out, err = run(root, "new", "002_new.txt")
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"created {SCAFFOLD} for seeds/002_new.txt",
                                "    to fill in: outlet, published (marked TODO: the build stops until you do)",
                                "    not known: url (optional; add it if the report is online)"]
    text = (root / SCAFFOLD).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "---"
    assert "seed: 002_new.txt" in lines
    assert "title: 'Riot police detained 250 protesters in Brest on Monday, witnesses said.'" in lines
    # a commented example fact whose quote is taken verbatim from the seed
    assert "# facts:" in lines
    assert "#   - id: example-figure" in lines
    assert "#     quote: 'Riot police detained 250 protesters in Brest on Monday, witnesses said.'" in lines


def test_new_leaves_the_seed_unchanged(with_orphan_seed):
    before = (with_orphan_seed / "seeds" / "002_new.txt").read_bytes()
    run(with_orphan_seed, "new", "002_new.txt")
    assert (with_orphan_seed / "seeds" / "002_new.txt").read_bytes() == before


def fill_in(text: str) -> str:
    """What an editor does next: replace the placeholders `new` could not fill."""
    text = re.sub(r"^outlet: TODO.*$", "outlet: Test Wire", text, flags=re.M)
    return re.sub(r"^published: TODO.*$", "published: 2020-08-17", text, flags=re.M)


def test_scaffolded_source_stops_the_build_until_filled_in(with_orphan_seed):
    root = with_orphan_seed
    assert run(root, "new", "002_new.txt")[0] == 0
    code, out, err = run(root, "check")
    assert code == 1
    assert [line for line in err.splitlines() if ": error: " in line] == [
        f"{SCAFFOLD}:4:9: error: outlet is not filled in", f"{SCAFFOLD}:5:12: error: published is not filled in"]
    (root / SCAFFOLD).write_text(fill_in((root / SCAFFOLD).read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = run(root, "check")
    assert [line for line in err.splitlines() if ": error: " in line] == []
    assert code == 0


def uncomment_example(text: str) -> str:
    """What an editor does first: replace `facts: []` by the commented example."""
    lines = text.splitlines()
    start = lines.index("# facts:")
    out, i = [line for line in lines[:start] if line != "facts: []"], start
    while i < len(lines) and lines[i].startswith("#") and (lines[i] == "# facts:" or lines[i].startswith("#  ")):
        out.append(lines[i][2:])
        i += 1
    return "\n".join(out + lines[i:]) + "\n"


def test_scaffold_example_fact_is_valid_once_uncommented(with_orphan_seed):
    root = with_orphan_seed
    assert run(root, "new", "002_new.txt")[0] == 0
    path = root / SCAFFOLD
    text = fill_in(uncomment_example(path.read_text(encoding="utf-8")))
    body_start = text.index("\n---\n") + 5
    assert text[body_start:] == ""  # no commentary is made up: the editor writes it
    path.write_text(text[:body_start] + "A first look.\n", encoding="utf-8")
    code, _, err = run(root, "build")
    assert (code, err) == (0, "")
    page = parse(root / "site" / "sources" / "riot-police-detained-250-protesters-in" / "index.html")
    box = page.find(id="fact-example-figure")
    # the hints for what a figure measures are valid fields too, shown in the fact box
    shown = {div.find("dt").get_text(): " ".join(div.find("dd").get_text().split())
             for div in box.select("dl.fact-data > div")}
    assert {k: shown.get(k) for k in ("Refers to", "Reported", "Counts in", "Kind of count", "Stage")} == {
        "Refers to": "10 August 2020", "Reported": "11 August 2020", "Counts in": "the whole country",
        "Kind of count": "per day or night", "Stage": "preliminary result"}
    anchor = page.find(id="q-fact-example-figure")
    assert "".join(m.get_text() for m in anchor.parent.find_all("mark")) == \
        "Riot police detained 250 protesters in Brest on Monday, witnesses said."


def test_new_with_slug_and_a_seed_from_elsewhere(project, tmp_path):
    elsewhere = tmp_path / "downloads" / "005_abc.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes("Headline of the report\n\nBody with 12 figures.\n".encode())
    code, out, err = run(project, "new", str(elsewhere), "--slug", "abc-report")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "created content/sources/abc-report.md for seeds/005_abc.txt"
    assert (project / "seeds" / "005_abc.txt").read_bytes() == elsewhere.read_bytes()
    assert "title: 'Headline of the report'" in (project / "content/sources/abc-report.md").read_text().splitlines()


def test_new_does_not_overwrite(with_orphan_seed):
    assert run(with_orphan_seed, "new", "002_new.txt")[0] == 0
    before = (with_orphan_seed / SCAFFOLD).read_bytes()
    code, out, err = run(with_orphan_seed, "new", "002_new.txt")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == f"{SCAFFOLD}: error: already exists"
    assert (with_orphan_seed / SCAFFOLD).read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (("new", "nope.txt"), "seeds/nope.txt: error: no such file"),
    (("new", "002_new.txt", "--slug", "Bad Slug"),
     "error: 'Bad Slug' is not a valid slug: use lower-case ASCII letters, digits and hyphens"),
])
def test_new_errors(with_orphan_seed, args, message):
    code, out, err = run(with_orphan_seed, *args)
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == message
    assert sorted(p.name for p in (with_orphan_seed / "content" / "sources").iterdir()) == ["test-report.md"]


# -- help -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["-h"], ["build", "--help"], ["check", "--help"], ["new", "--help"]])
def test_help(project, capsys, args):
    code, _, err = run(project, *args)
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("usage: build.py")
    assert "Traceback" not in printed + err


def test_help_lists_the_commands(project, capsys):
    run(project, "--help")
    printed = capsys.readouterr().out
    for command in ("build", "check", "new"):
        assert re.search(rf"^\s+{command}\s", printed, re.M), command


def test_unknown_option_is_a_usage_error(project, capsys):
    code, _, _ = run(project, "build", "--no-such-option")
    assert code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err
