"""dossier.urls: the one place that knows base_url."""

import pytest

from dossier.urls import Urls, output_file


@pytest.mark.parametrize("base, prefix, origin", [
    ("/", "/", ""),
    ("/repo/", "/repo/", ""),
    ("/repo", "/repo/", ""),
    ("https://host/repo/", "/repo/", "https://host"),
    ("https://user.github.io/repo", "/repo/", "https://user.github.io"),
    ("https://host", "/", "https://host"),
])
def test_prefix_and_origin(base, prefix, origin):
    urls = Urls(base)
    assert urls.prefix == prefix
    assert urls.origin == origin


@pytest.mark.parametrize("base, prefix", [("/", "/"), ("/repo/", "/repo/"), ("https://host/repo/", "/repo/")])
def test_page_urls(base, prefix):
    urls = Urls(base)
    assert urls.home() == prefix
    assert urls.source("cnn-x") == prefix + "sources/cnn-x/"
    assert urls.topic("minsk") == prefix + "topics/minsk/"
    assert urls.claim("vote-share") == prefix + "claims/vote-share/"
    assert urls.asset("dossier.css") == prefix + "assets/dossier.css"
    assert urls.page("timeline/") == prefix + "timeline/"


def test_absolute():
    assert Urls("https://host/repo/").absolute("/repo/sources/x/") == "https://host/repo/sources/x/"
    assert Urls("/repo/").absolute("/repo/sources/x/") == "/repo/sources/x/"


def test_output_file():
    assert output_file("") == "index.html"
    assert output_file("sources/x/") == "sources/x/index.html"
    assert output_file("404.html") == "404.html"
    assert output_file("feed.xml") == "feed.xml"
