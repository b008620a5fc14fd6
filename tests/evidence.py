"""A tiny dossier with what issue 17's part B adds: sources with their original's address, an
archived copy and the day the text was taken; an inferred attribution; verdicts on claims and on
a fact that answers none. Shared by the provenance, ClaimReview and browser tests."""

from __future__ import annotations

from tests import tiny

URL = "https://news.example.org/belarus/night?id=7"
ARCHIVE = "https://web.archive.org/web/20200811000000/https://news.example.org/belarus/night?id=7"
EDITOR = "The Test Desk"

# Paragraph 2 repeats the start of paragraph 1 (a passage that is not unique); paragraph 3 holds
# a dash, a comma and an ampersand; paragraph 4 is a long passage.
SEED = (
    "Minsk, 10 August.\n"
    "\n"
    "Police detained about 3,000 people overnight, the Interior Ministry said on Monday.\n"
    "\n"
    "Police detained about 3,000 people overnight. Officials gave no other figure.\n"
    "\n"
    "The commission - chaired by Lidia Yermoshina - said Lukashenko won 80.1 percent, and the rest "
    "went to others & \"against all\".\n"
    "\n"
    "Protesters marched through the city centre for several hours on Sunday evening, chanting and "
    "waving white-red-white flags, until riot police moved in with stun grenades.\n"
)
OTHER_SEED = "Officials said 2,500 people were detained after the vote on Sunday.\n"

REPEATED = "Police detained about 3,000 people overnight"
TRICKY = 'Yermoshina - said Lukashenko won 80.1 percent, and the rest went to others & "against all"'
LONG = ("Protesters marched through the city centre for several hours on Sunday evening, chanting and "
        "waving white-red-white flags, until riot police moved in with stun grenades.")


def facts() -> list[dict]:
    return [
        tiny.fact("detained-3000", REPEATED, occurrence=2, claim="detained", value=3000, unit="people",
                  date="2020-08-09", by="Interior Ministry", attribution="inferred",
                  attribution_reason="the paragraph repeats the figure the ministry gave above"),
        tiny.fact("vote", TRICKY, claim="vote-share", value=80.1, unit="percent", date="2020-08-09",
                  by="Central Election Commission"),
        tiny.fact("march", LONG, statement="Riot police broke up a march with stun grenades.",
                  verdict={"rating": "mostly-accurate", "reviewed": "2020-09-01",
                           "reasoning": "Other reports agree; see [[detained]]."}),
    ]


def claims() -> dict:
    return {
        "detained": {"title": "People detained", "unit": "people",
                     "verdict": {"rating": "misleading", "reviewed": "2020-09-02",
                                 "statement": "Only 3,000 people were detained",
                                 "claimant": "Alexander Lukashenko",
                                 "reasoning": "The figure counts one night; see [[wire#detained-3000]]."}},
        "vote-share": {"title": "Lukashenko's share of the vote", "unit": "percent",
                       "verdict": {"rating": "disputed", "reviewed": "2020-09-03",
                                   "reasoning": "No independent count exists."}},
        "turnout": {"title": "Turnout", "unit": "percent"},
    }


def project(base_url: str = "https://example.org/dossier/", url: str = URL, archive: str = ARCHIVE,
            editor: str = EDITOR) -> dict[str, str]:
    wire = tiny.source_md("001_wire.txt", title="A night of arrests", outlet="Test Wire", published="2020-08-10",
                          url=url, archive_url=archive, retrieved="2020-08-11", facts=facts(),
                          notes=[tiny.note("Officials gave no other figure.", "Nothing else was said.")])
    other = tiny.source_md("002_other.txt", title="Thousands held", outlet="Other Paper", published="2020-08-09",
                           facts=[tiny.fact("held-2500", "Officials said 2,500 people were detained", claim="detained",
                                            value=2500, unit="people", date="2020-08-09", by="Belarusian officials")])
    config = f"title: Evidence dossier\nbase_url: {base_url}\n" + (f"editor: {editor}\n" if editor else "")
    return tiny.files(
        seeds={"001_wire.txt": SEED, "002_other.txt": OTHER_SEED}, sources={"wire": wire, "other": other},
        topics={"lukashenko": tiny.topic_md("Alexander Lukashenko", kind="person", aliases=["Lukashenko"]),
                "interior-ministry": tiny.topic_md("Interior Ministry", kind="organisation")},
        claims=claims(), config=config)


def built(tmp_path_factory, name: str):
    """This dossier built in a folder of its own (search included): its output folder."""
    root = tiny.write(tmp_path_factory.mktemp(name), project())
    code, _, err, out = tiny.build(root)
    assert code == 0, err
    return out
