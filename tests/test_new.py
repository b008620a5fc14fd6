"""`new` on what users have: a saved web page or a PDF becomes a seed and a source file."""

from __future__ import annotations

import datetime
import hashlib
import io
from pathlib import Path

import pytest

from dossier.cli import main
from dossier.scaffold import scaffold
from dossier.yamlload import load_yaml
from tests.helpers import make_project, parse, run
from tests.pdfmaker import make_pdf

TODAY = datetime.date.today().isoformat()

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Thousands march in Minsk | Example News</title>
<meta property="og:title" content="Thousands march in Minsk against the vote count">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example.org/world/minsk-march">
<meta property="article:published_time" content="2020-08-16T18:30:00+03:00">
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies?</div>
<header><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Thousands march in Minsk against the vote count</h1>
<p>On Sunday, 16 August 2020, tens of thousands of people marched through the centre of Minsk, the
largest protest in the country&#39;s history, witnesses said.</p>
<p>Officials said 6,700 people had been detained since the election, and more than 2,000 of them had
been released by the weekend.</p>
<p>The opposition candidate, speaking from Lithuania, called on officials to step aside and said a new
election should be held under international observation.</p>
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Ten things to know about Belarus</a></li>
<li><a href="/b">Quiz: which capital is this?</a></li></ul></aside>
</main>
<footer class="site-footer"><p>© 2020 Example News. All rights reserved. Terms of use. Privacy policy.</p></footer>
</body></html>
"""

PARAGRAPHS = [
    "Thousands march in Minsk against the vote count",
    "On Sunday, 16 August 2020, tens of thousands of people marched through the centre of Minsk, the "
    "largest protest in the country's history, witnesses said.",
    "Officials said 6,700 people had been detained since the election, and more than 2,000 of them had "
    "been released by the weekend.",
    "The opposition candidate, speaking from Lithuania, called on officials to step aside and said a new "
    "election should be held under international observation.",
]

PDF_PAGES = [
    ["Crackdown in Minsk", None,
     "Police in Minsk detained more than 3,000 people on Sunday night, the",
     "Interior Ministry said. Many of the demon-",
     "strators were beaten, witnesses told reporters. A lawyer",
     "was among them.", None,
     "Officials promised an inquiry into the self-immolation reports and the self-",
     "immolation rumours, and said the city was calm.", None, None, None, "1"],
    ["2", "By Monday, officials said 6,700 people had been detained since the",
     "election; more than 2,000 had been released.", None,
     "Rallies continued in Brest and Gomel.", None, "Page 2 of 2"],
]

PDF_TEXT = (
    "Crackdown in Minsk\n\n"
    "Police in Minsk detained more than 3,000 people on Sunday night, the Interior Ministry said. Many of "
    "the demonstrators were beaten, witnesses told reporters. A lawyer was among them.\n\n"
    "Officials promised an inquiry into the self-immolation reports and the self-immolation rumours, and "
    "said the city was calm.\n\n"
    "By Monday, officials said 6,700 people had been detained since the election; more than 2,000 had "
    "been released.\n\n"
    "Rallies continued in Brest and Gomel.\n"
)


def front_matter(path: Path) -> dict:
    """The source file's front matter, read as the build reads it."""
    return load_yaml(path.read_text(encoding="utf-8").split("---\n")[1], str(path)).data


def new(root: Path, *args: str) -> tuple[int, str, str]:
    return run(root, "new", *args)


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "downloads" / "Thousands march in Minsk.html"
    path.parent.mkdir()
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.fixture
def pdf(tmp_path) -> Path:
    path = tmp_path / "downloads" / "crackdown.pdf"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(make_pdf(PDF_PAGES, {"Title": "Crackdown in Minsk", "CreationDate": "D:20200817093000Z"}))
    return path


def test_a_saved_web_page_keeps_the_article_and_drops_the_furniture(project, page):
    code, out, err = new(project, str(page))
    assert (code, err) == (0, "")
    seed = (project / "seeds/thousands-march-in-minsk.txt").read_text(encoding="utf-8")
    assert seed == "\n\n".join(" ".join(p.split()) for p in PARAGRAPHS) + "\n"
    for furniture in ("cookies", "World news", "Related stories", "Quiz", "All rights reserved"):
        assert furniture not in seed


def test_a_saved_web_page_pre_fills_its_metadata(project, page):
    new(project, str(page))
    front = front_matter(project / "content/sources/thousands-march-in-minsk-against-the.md")
    assert front["seed"] == "thousands-march-in-minsk.txt"
    assert front["title"] == "Thousands march in Minsk against the vote count"
    assert front["outlet"] == "Example News"
    assert front["published"] == "2020-08-16"
    assert front["url"] == "https://news.example.org/world/minsk-march"
    assert front["original"] == {"file": page.name, "kind": "html", "imported": TODAY,
                                 "sha256": hashlib.sha256(page.read_bytes()).hexdigest()}


def test_a_filled_in_web_page_builds(project, page):
    assert new(project, str(page))[0] == 0
    code, _, err = run(project, "build")
    assert code == 0, err
    html = parse(project / "site/sources/thousands-march-in-minsk-against-the/index.html")
    assert "Example News" in html.find("main").get_text()


def test_an_outlet_taken_from_the_address_is_said_so(project, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE.replace('<meta property="og:site_name" content="Example News">', "")
                    .replace(" | Example News</title>", "</title>"))
    code, out, _ = new(project, str(path))
    assert code == 0
    assert "    outlet: the page names no site; taken from its address: news.example.org" in out.splitlines()
    assert front_matter(project / "content/sources/thousands-march-in-minsk-against-the.md")["outlet"] == "news.example.org"


def test_a_pdf_becomes_paragraphs_with_words_mended_and_page_numbers_dropped(project, pdf):
    code, out, err = new(project, str(pdf))
    assert (code, err) == (0, "")
    assert (project / "seeds/crackdown.txt").read_text(encoding="utf-8") == PDF_TEXT


def test_a_pdf_pre_fills_title_and_date_and_leaves_the_outlet(project, pdf):
    code, out, _ = new(project, str(pdf))
    path = project / "content/sources/crackdown-in-minsk.md"
    front = front_matter(path)
    assert (front["title"], front["published"], front["outlet"]) == ("Crackdown in Minsk", "2020-08-17", "TODO")
    assert "url" not in front
    assert front["original"]["kind"] == "pdf"
    assert front["original"]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert out.splitlines()[1:] == [
        "    published: taken from the PDF's creation date; check that it is the publication date",
        "    to fill in: outlet (marked TODO: the build stops until you do)",
        "    not known: url (optional; add it if the report is online)"]
    code, _, err = run(project, "check")
    assert code == 1
    assert err.splitlines()[0] == "content/sources/crackdown-in-minsk.md:4:9: error: outlet is not filled in"


def test_a_pdf_without_metadata_says_what_it_guessed(project, tmp_path):
    path = tmp_path / "bare.pdf"
    path.write_bytes(make_pdf([["A headline in the text", None, "Some 40 people gathered."]], {}))
    code, out, _ = new(project, str(path))
    assert code == 0
    front = front_matter(project / "content/sources/a-headline-in-the-text.md")
    assert (front["title"], front["published"]) == ("A headline in the text", "TODO")
    assert "    title: the PDF states none; guessed from the text: A headline in the text" in out.splitlines()


def test_an_existing_seed_is_never_modified(project, page):
    seed = project / "seeds/thousands-march-in-minsk.txt"
    seed.write_text("Someone else's seed.\n", encoding="utf-8")
    code, out, err = new(project, str(page))
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == "seeds/thousands-march-in-minsk.txt: error: a different seed with this name exists"
    assert seed.read_text(encoding="utf-8") == "Someone else's seed.\n"
    assert sorted(p.name for p in (project / "content/sources").iterdir()) == ["test-report.md"]


@pytest.mark.parametrize("name, data, message", [
    ("broken.pdf", b"%PDF-1.4\nthis is not a PDF at all", "error: cannot read this PDF"),
    ("empty.pdf", make_pdf([[None]], {}), "error: found no text in this PDF (a scan?)"),
    ("blank.html", b"<html><head><title>Blank</title></head><body></body></html>", "error: found no article text in this page"),
    ("latin1.txt", "Caf\u00e9 society\n".encode("latin-1"), "error: not UTF-8 text: byte 0xe9 at offset 3"),
    ("notes.docx", b"PK\x03\x04", "error: cannot make a seed from a '.docx' file"),
])
def test_a_file_that_cannot_be_read_is_a_located_error_and_writes_nothing(project, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    code, out, err = new(project, str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"{path}: {message}"), err
    assert "Traceback" not in err
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before


def test_a_failed_write_leaves_no_half_written_seed(project, page, monkeypatch):
    """The source file cannot be written (its folder is a file): the seed written first goes again."""
    (project / "content/sources").rename(project / "content/moved")
    (project / "content/sources").write_text("not a folder")
    code, out, err = new(project, str(page))
    assert code == 1 and "error: cannot write" in err
    assert not (project / "seeds/thousands-march-in-minsk.txt").exists()
    assert [p.name for p in (project / "seeds").iterdir()] == ["001_test.txt"]


def test_the_import_date_is_the_day_it_runs(project, pdf):
    out, err = io.StringIO(), io.StringIO()
    assert scaffold(project, pdf, "crackdown", out, err, today=datetime.date(2021, 1, 17)) == 0
    assert front_matter(project / "content/sources/crackdown.md")["original"]["imported"] == "2021-01-17"


def test_new_from_the_dossier_command_writes_into_the_current_folder(tmp_path, page, monkeypatch):
    root = make_project(tmp_path, name="mine")
    monkeypatch.chdir(root)
    assert main(["new", str(page)], stdout=io.StringIO(), stderr=io.StringIO(), prog="dossier") == 0
    assert (root / "seeds/thousands-march-in-minsk.txt").is_file()


def test_a_saved_web_page_is_dated_as_taken_today_and_suggests_an_archived_copy(project, page):
    code, out, _ = new(project, str(page))
    assert code == 0
    path = project / "content/sources/thousands-march-in-minsk-against-the.md"
    assert front_matter(path)["retrieved"] == TODAY
    assert "    retrieved: set to today, the day of the import; change it if you saved the page earlier" in out.splitlines()
    assert "# archive_url: https://web.archive.org/web/" in path.read_text(encoding="utf-8")


def test_a_pdf_leaves_the_day_taken_to_the_editor(project, pdf):
    assert new(project, str(pdf))[0] == 0
    path = project / "content/sources/crackdown-in-minsk.md"
    assert "retrieved" not in front_matter(path)
    assert "# retrieved: YYYY-MM-DD" in path.read_text(encoding="utf-8")
