"""Warnings about what nothing uses: a source no page cites, a topic without facts, an entity no
seed mentions, a claim only one source answers. They are the editor's audit: `check` reports them
(located like every diagnostic, `path:line:col: warning: message`), they never fail a run unless
strict mode is asked for, and a normal build neither prints nor counts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import tiny
from tests.helpers import tree_digest

SEED_A = "Police detained 3000 people in Minsk.\n\nLukashenko received 80.08 percent.\n"
SEED_B = "Officers detained 3,000 protesters in Minsk overnight.\n"

CLAIMS = (
    "detained:\n"
    "  title: People detained\n"
    "  unit: people\n"
    "  topics: [detentions]\n"
)
VOTE_CLAIM = (
    "vote:\n"
    "  title: Share of the vote\n"
    "  unit: percent\n"
)
MINSK = "---\ntitle: Minsk\nkind: place\n---\nThe capital.\n"
BREST = "---\ntitle: Brest\nkind: place\naliases:\n  - Брест\n  - Brestas\n---\nA city in the west.\n"
STRIKES = "---\ntitle: Strikes\nsummary: Walkouts.\n---\nStrikes.\n"


def _files(*, index: str = "See [[a]] and [[b]].\n", topics: dict | None = None, claims: str = CLAIMS,
           a_facts: list | None = None, config: str = "title: Tiny dossier\nbase_url: /\n") -> dict:
    facts_a = [tiny.fact("detained", "Police detained 3000 people in Minsk", claim="detained", value=3000,
                         unit="people", date="2020-08-09"),
               tiny.fact("vote", "Lukashenko received 80.08 percent", value=80.08, unit="percent",
                         date="2020-08-09", topics=["detentions"])]
    facts_a += a_facts or []
    files = tiny.files(
        {"001_a.txt": SEED_A, "002_b.txt": SEED_B},
        {"a": tiny.source_md("001_a.txt", title="Report A", outlet="Alpha", facts=facts_a),
         "b": tiny.source_md("002_b.txt", title="Report B", outlet="Bravo", facts=[
             tiny.fact("detained", "Officers detained 3,000 protesters in Minsk", claim="detained", value=3000,
                       unit="people", date="2020-08-09")])},
        topics={"detentions": tiny.topic_md("Detentions", "Arrests."), "minsk": MINSK, **(topics or {})},
        index=index, config=config)
    files["content/claims.yaml"] = claims
    return files


def _check(tmp_path: Path, files: dict, *args: str) -> tuple[int, str, list[str], Path]:
    root = tiny.write(tmp_path, files)
    code, out, err = tiny.run(root, "check", *args)
    assert not tiny.diagnostics(err, "error"), err
    return code, out, [d["text"] for d in tiny.diagnostics(err, "warning")], root


def test_a_dossier_where_everything_is_used_has_no_orphan_warning(tmp_path):
    code, out, warnings, _ = _check(tmp_path, _files())
    assert (code, warnings) == (0, [])
    assert "no errors" in out and "warning" not in out


def test_source_no_page_cites(tmp_path):
    code, out, warnings, _ = _check(tmp_path, _files(index="See [[a]].\n"))
    assert code == 0
    assert warnings == ["content/sources/b.md:1:1: warning: no page cites source 'b'"]
    assert "no errors, 1 warning " in out


@pytest.mark.parametrize("where", ["topic", "claim note", "other source"])
def test_a_citation_from_any_page_counts(tmp_path, where):
    topics, claims = {}, CLAIMS
    files_kw = {"index": "See [[a]].\n"}
    if where == "topic":
        topics = {"detentions": tiny.topic_md("Detentions", "Reported by [[b]].")}
    elif where == "claim note":
        claims = CLAIMS + "  note: Compare [[b#detained]].\n"
    files = _files(topics=topics, claims=claims, **files_kw)
    if where == "other source":
        files["content/sources/a.md"] += "\nCompare [[b]].\n"
    code, _, warnings, _ = _check(tmp_path, files)
    assert (code, warnings) == (0, [])


def test_topic_with_no_facts(tmp_path):
    code, _, warnings, root = _check(tmp_path, _files(topics={"strikes": STRIKES}))
    assert code == 0
    line, col = tiny.position((root / "content/topics/strikes.md").read_text(encoding="utf-8"), "Strikes")
    assert (line, col) == (2, 8)
    assert warnings == [f"content/topics/strikes.md:{line}:{col}: warning: topic 'strikes' has no facts"]


def test_entity_whose_names_no_seed_mentions(tmp_path):
    # named in a fact's topics, so the entity has facts: only the mention warning is left
    extra = [tiny.fact("vote-again", "Lukashenko received", statement="Lukashenko again.", topics=["brest"])]
    files = _files(topics={"brest": BREST}, a_facts=extra)
    code, _, warnings, root = _check(tmp_path, files)
    assert code == 0
    line, col = tiny.position((root / "content/topics/brest.md").read_text(encoding="utf-8"), "- Брест")
    assert warnings == [f"content/topics/brest.md:{line}:{col}: warning: entity 'brest' is not mentioned in any seed"]


def test_entity_mentioned_under_an_alias_is_not_an_orphan(tmp_path):
    files = _files(topics={"minsk": "---\ntitle: Mensk\nkind: place\naliases:\n  - Minsk\n---\nThe capital.\n"})
    code, _, warnings, _ = _check(tmp_path, files)
    assert (code, warnings) == (0, [])


def test_claim_answered_by_one_source(tmp_path):
    facts = [tiny.fact("vote", "Lukashenko received 80.08 percent", claim="vote", value=80.08, unit="percent",
                       date="2020-08-09", topics=["detentions"])]
    files = _files(claims=CLAIMS + VOTE_CLAIM)
    files["content/sources/a.md"] = tiny.source_md("001_a.txt", title="Report A", outlet="Alpha", facts=[
        tiny.fact("detained", "Police detained 3000 people in Minsk", claim="detained", value=3000,
                  unit="people", date="2020-08-09"), *facts])
    code, _, warnings, root = _check(tmp_path, files)
    assert code == 0
    # located at the claim's fields, like every other claim diagnostic
    line, col = tiny.position((root / "content/claims.yaml").read_text(encoding="utf-8"), "title: Share")
    assert warnings == [f"content/claims.yaml:{line}:{col}: warning: claim 'vote' is answered by 1 source only"]


def _everything_orphaned() -> dict:
    files = _files(index="See [[a]].\n", topics={"strikes": STRIKES, "brest": BREST}, claims=CLAIMS + VOTE_CLAIM)
    files["content/sources/a.md"] = tiny.source_md("001_a.txt", title="Report A", outlet="Alpha", facts=[
        tiny.fact("detained", "Police detained 3000 people in Minsk", claim="detained", value=3000, unit="people",
                  date="2020-08-09"),
        tiny.fact("vote", "Lukashenko received 80.08 percent", claim="vote", value=80.08, unit="percent",
                  date="2020-08-09", topics=["detentions"])])
    return files


EXPECTED = [
    "content/claims.yaml:6:3: warning: claim 'vote' is answered by 1 source only",
    "content/sources/b.md:1:1: warning: no page cites source 'b'",
    "content/topics/brest.md:2:8: warning: topic 'brest' has no facts",
    "content/topics/brest.md:5:3: warning: entity 'brest' is not mentioned in any seed",
    "content/topics/strikes.md:2:8: warning: topic 'strikes' has no facts",
]


def test_all_orphans_reported_together_without_failing_check(tmp_path):
    code, out, warnings, root = _check(tmp_path, _everything_orphaned())
    assert code == 0
    assert warnings == EXPECTED  # sorted by file, line, column
    assert f"no errors, {len(EXPECTED)} warnings" in out
    assert not (root / "site").exists()


def test_orphans_never_fail_or_clutter_a_normal_build(tmp_path):
    root = tiny.write(tmp_path, _everything_orphaned())
    code, out, err, site = tiny.build(root)
    assert code == 0, err
    assert (site / "index.html").is_file() and (site / "sources" / "b" / "index.html").is_file()
    assert tiny.diagnostics(err) == []
    assert out.startswith("built ")


def test_strict_check_fails_on_orphans_and_writes_nothing(tmp_path):
    root = tiny.write(tmp_path, _everything_orphaned())
    before = tree_digest(root)
    code, out, err = tiny.run(root, "check", "--strict")
    assert code == 1
    assert [d["text"] for d in tiny.diagnostics(err, "warning")] == EXPECTED
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"build failed: 0 errors, {len(EXPECTED)} warnings (strict: warnings count)")
    assert out == ""
    assert tree_digest(root) == before


def test_strict_from_config_fails_check_too(tmp_path):
    files = _everything_orphaned()
    files["config.yaml"] = "title: Tiny dossier\nbase_url: /\nstrict: true\n"
    root = tiny.write(tmp_path, files)
    code, _, err = tiny.run(root, "check")
    assert code == 1
    assert [d["text"] for d in tiny.diagnostics(err, "warning")] == EXPECTED


def test_strict_build_is_not_failed_by_orphans(tmp_path):
    """Orphans are check's audit: a strict build neither reports nor counts them."""
    root = tiny.write(tmp_path, _everything_orphaned())
    code, _, err, site = tiny.build(root, "--strict")
    assert code == 0, err
    assert (site / "index.html").is_file()
