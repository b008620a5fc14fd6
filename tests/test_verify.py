"""dossier.verify: internal links must reach a built file, fragments an element id."""

from dossier.urls import Urls
from dossier.verify import check_links

FILES = {
    "index.html": (b'<a href="/sources/x/">ok</a>\n'
                   b'<a href="/sources/y/">missing page</a>\n'
                   b'<a href="/sources/x/#fact-a">ok fragment</a>\n'
                   b'<a href="/sources/x/#fact-zz">missing fragment</a>\n'
                   b'<a href="https://example.org/nowhere">external</a>\n'
                   b'<a href="//cdn.example.org/x.js">protocol-relative external</a>\n'
                   b'<a href="mailto:editor@example.org">mail</a>\n'
                   b'<a href="#top">missing fragment on this page</a>\n'
                   b'<link rel="stylesheet" href="/assets/site.css">\n'
                   b'<img src="/assets/missing.png" alt="">\n'),
    "sources/x/index.html": b'<h1 id="top">x</h1><article id="fact-a"></article><a href="#top">up</a>',
    "assets/site.css": b"body{}",
}


def lines(files, base="/"):
    return [d.format() for d in check_links(files, Urls(base), "site")]


def test_broken_links_and_fragments_are_reported_with_their_place():
    # the column is that of the link's value
    assert lines(FILES) == [
        "site/index.html:2:10: error: broken link '/sources/y/': no file sources/y/index.html in the site",
        "site/index.html:4:10: error: broken link '/sources/x/#fact-zz': no element with id 'fact-zz' on sources/x/index.html",
        "site/index.html:8:10: error: broken link '#top': no element with id 'top' on index.html",
        "site/index.html:10:11: error: broken link '/assets/missing.png': no file assets/missing.png in the site",
    ]


def test_good_site_has_no_problems():
    files = {k: v for k, v in FILES.items() if k != "index.html"}
    files["index.html"] = b'<a href="/sources/x/#fact-a">a</a><a href="/">home</a><a href="https://x.org/">x</a>'
    assert lines(files) == []


def test_links_outside_the_base_path():
    files = {"index.html": b'<a href="/repo/sources/x/">in</a><a href="/sources/x/">out</a>',
             "sources/x/index.html": b"<p>x</p>"}
    assert lines(files, "/repo/") == [
        "site/index.html:1:43: error: broken link '/sources/x/': outside the site's base path /repo/"]


def test_relative_links():
    # `../../` from sources/x/ is the home page, index.html
    files = {"index.html": b'<a href="sources/x/">down</a>',
             "sources/x/index.html": b'<a href="../">up one</a><a href="../../">home</a><a href="../y/">missing</a>',
             "sources/index.html": b"<p>list</p>"}
    assert lines(files) == [
        "site/sources/x/index.html:1:59: error: broken link '../y/': no file sources/y/index.html in the site"]


def test_percent_encoded_paths_and_fragments():
    files = {"index.html": b'<a href="/topics/caf%C3%A9/#d%C3%A9j%C3%A0">x</a>',
             "topics/caf\xc3\xa9/index.html".encode("latin-1").decode("utf-8"): '<p id="déjà">x</p>'.encode()}
    assert lines(files) == []


def test_non_html_files_are_not_scanned():
    files = {"feed.xml": b'<link href="/nowhere/"/>', "index.html": b"<p>x</p>"}
    assert lines(files) == []


def test_with_a_memo_a_page_is_checked_again_only_when_what_it_reaches_changed():
    from dossier.memo import Memo

    files = {"index.html": b'<a href="/a/#x">a</a> <a href="/b/">b</a>',
             "a/index.html": b'<p id="x">a</p>', "b/index.html": b"<p>b</p>"}
    keys = {"index.html": "k-index", "a/index.html": "k-a1", "b/index.html": "k-b1"}
    memo = Memo()
    assert check_links(files, Urls("/"), "site", None, keys, memo) == []
    # b changed, but the index only needs it to exist: its answer stands (a stale answer would show)
    files["b/index.html"], keys["b/index.html"] = b'<p id="y">b</p>', "k-b2"
    assert check_links(files, Urls("/"), "site", None, keys, memo) == []
    # a lost the id the index asks for: the index is checked again
    files["a/index.html"], keys["a/index.html"] = b"<p>a</p>", "k-a2"
    assert [d.message for d in check_links(files, Urls("/"), "site", None, keys, memo)] == [
        "broken link '/a/#x': no element with id 'x' on a/index.html"]
    # b gone: found although the index did not change
    del files["b/index.html"], keys["b/index.html"]
    assert len(check_links(files, Urls("/"), "site", None, keys, memo)) == 2
