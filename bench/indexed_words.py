"""How much text search indexes: our pages against Hugo's plain pages of the same seeds.

    python bench/indexed_words.py --sources 1000

Pagefind's time grows with the words it reads, so a comparison of indexing times is fair only
beside this one. Builds a synthetic dossier (search off), takes the pages our search indexes in the
form its shards hand to Pagefind (`shards.lean`: the indexed part, ignored elements left out), and
counts their words (tags stripped, split on whitespace); then does the same for the `<body>` of
every page Hugo builds from `run.py`'s plain site. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from run import hugo_command, make_hugo_site, positive  # noqa: E402
from synthetic import make_dossier  # noqa: E402

from dossier.options import Options  # noqa: E402
from dossier.pipeline import build  # noqa: E402
from dossier.search import indexed  # noqa: E402
from dossier.shards import lean  # noqa: E402

_TAG = re.compile(rb"<[^>]+>")


def words(html: bytes) -> int:
    return len(_TAG.sub(b" ", html).split())


def count(sources: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"dossier-words-{sources}-") as tmp:
        tmp = Path(tmp)
        root, site = tmp / "project", tmp / "site"
        make_dossier(root, sources)
        result = build(Options(root=root, out=site, search=False))
        if not result.ok:
            raise RuntimeError("the synthetic dossier did not build")
        pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
        ours = indexed(pages)
        our_words = sum(words(lean(pages[path])) for path in ours)
        make_hugo_site(tmp / "hugo", root)
        subprocess.run(hugo_command(tmp / "hugo", tmp / "hugo-out"), check=True, capture_output=True)
        plain = list((tmp / "hugo-out").rglob("*.html"))
        hugo_words = sum(words(p.read_bytes().split(b"<body", 1)[-1]) for p in plain)
    return {"sources": sources, "pages_indexed": len(ours), "words_indexed": our_words,
            "hugo_pages": len(plain), "hugo_words": hugo_words, "ratio": round(our_words / hugo_words, 2)}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Words our search indexes against Hugo's plain pages.")
    parser.add_argument("--sources", type=positive, default=1000, help="sources in the synthetic dossier (default: 1000)")
    print(json.dumps(count(parser.parse_args(argv).sources)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
