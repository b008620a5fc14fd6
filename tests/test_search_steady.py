"""Pagefind's bundles in a fixed order: two runs over the same pages give the same bytes, with
every filter value kept and every file its parent names present."""

from __future__ import annotations

import gzip
import json

import pytest

from dossier.search import shard_bundle
from dossier.shards import Shard
from dossier.steady import ENTRY, decode, steady


def page(i: int) -> bytes:
    topics = "".join(f'<span data-pagefind-filter="topic">Topic {j}</span>' for j in range(i % 7, 30, 7))
    return (f'<!doctype html><html lang="en"><head><title>t</title></head><body>'
            f'<main data-pagefind-body data-pagefind-filter="year:{2000 + i % 9}">'
            f'<h1>Page {i}</h1><p>words of page {i}</p>{topics}</main></body></html>').encode()


SHARD = Shard("sources", tuple((f"sources/s{i:03d}/index.html", page(i)) for i in range(40)))


def filters(bundle: dict[str, bytes]) -> dict[str, list[tuple[str, list[str]]]]:
    """Each filter's values and the URLs of their pages, read down the chain entry -> metadata ->
    filter files (a page is known by its number: its place in the metadata's list of fragments)."""
    language = json.loads(bundle[ENTRY])["languages"]["en"]
    meta = decode(bundle[f"pagefind.{language['hash']}.pf_meta"])
    urls = [json.loads(gzip.decompress(bundle[f"fragment/{h}.pf_fragment"])[12:])["url"] for h, _ in meta[1]]
    return {name: [(value, [urls[n] for n in pages]) for value, pages in decode(bundle[f"filter/{file}.pf_filter"])[1]]
            for name, file in meta[3]}


@pytest.fixture(scope="module")
def runs() -> list[dict[str, bytes]]:
    made = [shard_bundle(SHARD, None) for _ in range(2)]
    assert [problem for _, problem in made] == [None, None]
    return [bundle for bundle, _ in made]


def test_two_pagefind_runs_give_the_same_bytes(runs):
    first, second = runs
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def test_every_filter_value_is_kept_in_order_with_its_pages(runs):
    found = filters(runs[0])
    assert sorted(found) == ["topic", "year"]
    assert [value for value, _ in found["topic"]] == sorted(f"Topic {j}" for j in range(30))
    assert sorted(dict(found["topic"])["Topic 3"]) == [f"/sources/s{i:03d}/" for i in range(3, 40, 7)]
    assert sorted(dict(found["year"])["2004"]) == [f"/sources/s{i:03d}/" for i in range(4, 40, 9)]


def test_the_files_a_bundle_names_are_the_files_it_has(runs):
    bundle = runs[0]
    language = json.loads(bundle[ENTRY])["languages"]["en"]
    meta = decode(bundle[f"pagefind.{language['hash']}.pf_meta"])
    assert sorted(p for p in bundle if p.endswith(".pf_meta")) == [f"pagefind.{language['hash']}.pf_meta"]
    assert sorted(p for p in bundle if p.startswith("filter/")) == sorted(f"filter/{f}.pf_filter" for _, f in meta[3])


def test_steady_is_idempotent(runs):
    assert steady(runs[0]) == runs[0]


def test_a_bundle_without_an_entry_is_left_as_it_is():
    assert steady({"a.txt": b"x"}) == {"a.txt": b"x"}


@pytest.mark.parametrize("damage", ["missing", "not gzip", "not Pagefind's"])
def test_a_bundle_not_as_expected_is_a_located_error(runs, damage, monkeypatch):
    """Should Pagefind write something else (another version), indexing fails with a diagnostic."""
    bundle = dict(runs[0])
    meta = next(path for path in bundle if path.endswith(".pf_meta"))
    if damage == "missing":
        del bundle[meta]
    else:
        bundle[meta] = b"plain" if damage == "not gzip" else gzip.compress(b"other")
    with pytest.raises(ValueError):
        steady(bundle)
    monkeypatch.setattr("dossier.search.steady", lambda found: steady(bundle))
    found, problem = shard_bundle(SHARD, None)
    assert found == {} and str(problem.location.path) == "pagefind" and "search indexing failed" in problem.message
