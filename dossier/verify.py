"""After rendering: every internal href/src must reach a built file, every #fragment an element id."""

from __future__ import annotations

from html.parser import HTMLParser
from posixpath import normpath
from typing import Mapping
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Location, error
from .urls import Urls, output_file


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None and tag not in ("base",):
                line, col = self.getpos()
                self.links.append((line, col + 1, value))


def check_links(files: Mapping[str, bytes], urls: Urls, out_name: str = "site") -> list[Diagnostic]:
    """Broken internal links of every HTML page in `files` (output path -> bytes)."""
    scans = {}
    for path in sorted(files):
        if path.endswith(".html"):
            scan = _Scan()
            scan.feed(files[path].decode("utf-8"))
            scans[path] = scan
    problems = []
    for path, scan in scans.items():
        for line, col, link in scan.links:
            why = _broken(link, path, files, scans, urls)
            if why:
                problems.append(error(Location(f"{out_name}/{path}", line, col), f"broken link '{link}': {why}"))
    return problems


def _broken(link: str, page: str, files, scans, urls: Urls) -> str:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return ""  # external: not ours to check
    if not parts.path:
        target = page
    elif parts.path.startswith("/"):
        if not parts.path.startswith(urls.prefix):
            return f"outside the site's base path {urls.prefix}"
        target = output_file(unquote(parts.path[len(urls.prefix):]))
    else:
        base = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
        target = output_file(normpath(base + unquote(parts.path)) + ("/" if parts.path.endswith("/") else ""))
    if target not in files:
        return f"no file {target} in the site"
    if parts.fragment and target in scans and unquote(parts.fragment) not in scans[target].ids:
        return f"no element with id '{parts.fragment}' on {target}"
    return ""
