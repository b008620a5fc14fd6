"""The one place that knows base_url: every page's href, its file in the output, absolute URLs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Urls:
    """`base_url` may be a path (`/`, `/repo/`) or a full URL (`https://user.github.io/repo/`)."""

    base_url: str = "/"

    @cached_property
    def prefix(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @cached_property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""

    def page(self, path: str) -> str:
        """href of a site path such as `sources/x/` or `` (the index)."""
        return self.prefix + path

    def absolute(self, href: str) -> str:
        """A full URL when the base has an origin, else the href itself."""
        return self.origin + href

    def home(self) -> str:
        return self.page("")

    def source(self, slug: str) -> str:
        return self.page(f"sources/{slug}/")

    def topic(self, slug: str) -> str:
        return self.page(f"topics/{slug}/")

    def claim(self, slug: str) -> str:
        return self.page(f"claims/{slug}/")

    def asset(self, name: str) -> str:
        return self.page(f"assets/{name}")


def output_file(path: str) -> str:
    """The file that serves a site path: `sources/x/` -> `sources/x/index.html`."""
    return path + "index.html" if path == "" or path.endswith("/") else path


# Keys name the targets of cross-references, backlinks and boxes: `sources/x`, `sources/x#fact-y`.

def source_key(slug: str) -> str:
    return f"sources/{slug}"


def topic_key(slug: str) -> str:
    return f"topics/{slug}"


def claim_key(slug: str) -> str:
    return f"claims/{slug}"


def box_key(page_key: str, anchor: str) -> str:
    """A fact or note box on a source page: `sources/x#fact-y`."""
    return f"{page_key}#{anchor}"
