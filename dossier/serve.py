"""`build.py serve`: build in memory, serve on loopback, rebuild on change, reload the browser.

The site is served from the last good build held in memory (never from `site/`, never from disk),
so a failed build costs nothing: the pages stay up with the errors laid over them until the
editor fixes them. livereload injects its script and drives the browser; this module decides
when to rebuild, what changed, and whether a stylesheet refresh is enough."""

from __future__ import annotations

import atexit
import hashlib
import mimetypes
import posixpath
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Callable, Optional, TextIO
from urllib.parse import unquote

from . import buildcache
from .diagnostics import Diagnostic
from .memo import Memo
from .pipeline import CACHE, Options, build
from .project import changes, snapshot
from .render import Focus
from .search import BUNDLE, Stopped, search_bundle, stop_indexing

BUILD_COOKIE = "dossier_build"
_VIEWED = 20  # pages remembered as being read (rendered first, and reloaded when they change)
_RELOAD_WAIT = 1.0  # seconds the rest of a build waits at most for the browsers to reload


def watched(root: Path) -> dict[str, tuple]:
    """The signature of every input file (see project.snapshot): what serve compares to see edits."""
    return snapshot(root).signature()


@dataclass
class Preview:
    """The served site: the last good build, and the errors of the latest one if it failed."""

    root: Path
    strict: Optional[bool] = None
    files: dict[str, bytes] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)
    memo: Optional[Memo] = None  # in memory from build to build; the first build reads the cache on disk
    inputs: dict = field(default_factory=dict)
    generation: int = 0  # counts builds that changed a page (or the errors shown on it)
    lock: threading.Lock = field(default_factory=threading.Lock)
    indexing: bool = False
    viewed: dict = field(default_factory=dict)  # pages served lately (output paths, oldest first)

    def rebuild(self, log: TextIO = sys.stderr, announce: Optional[Callable[[], Optional[threading.Event]]] = None,
                inputs: Optional[dict] = None) -> list[str]:
        """Build again from what is on disk now; return the output paths whose change the browsers
        must be told of. With `announce`, the pages being read are published (and `announce()`
        called) as soon as they are rendered, before the rest of the site: the editor sees the
        edit without waiting for the pages nobody is reading. `announce` may return an event that
        is set once the browsers have reloaded; the rest of the build waits for it."""
        started = time.perf_counter()
        self.inputs = inputs if inputs is not None else watched(self.root)  # (the poll's own, if it has one)
        if self.memo is None:
            self.memo = Memo(self.root / CACHE / "memo", buildcache.engine(), write=False)
        published: list[str] = []

        def early(pages: dict[str, bytes]) -> None:
            fresh = [path for path, data in pages.items() if self.files.get(path) != data]
            if not fresh or self.errors:
                return
            with self.lock:
                self.files = {**self.files, **pages}
                self.generation += 1
            published.extend(fresh)
            reloaded = announce()
            print(f"updated {', '.join(fresh)} in {time.perf_counter() - started:.2f} s", file=log)
            # The browsers reload now: the rest of the build waits until they have loaded the page
            # again (or a second has passed), so that it does not compete with them for the CPU.
            if reloaded is not None:
                reloaded.wait(_RELOAD_WAIT)

        inputs = self.inputs
        focus = Focus(frozenset(self.viewed), early if announce else None,
                      (lambda: bool(changes(inputs, watched(self.root)))) if announce else None)
        result = build(Options(self.root, base_url="/", strict=self.strict, write=False), self.memo, focus)
        if result.interrupted:
            print(f"gave up after {time.perf_counter() - started:.2f} s: the inputs changed meanwhile", file=log)
            return []
        if not result.ok:
            return self._failed(result, started, log)
        return self._publish(result, bool(published), started, log)

    def _failed(self, result, started: float, log: TextIO) -> list[str]:
        """Keep serving the last good site, with the errors over every page."""
        self.errors = result.report.sorted()
        self.generation += 1
        for diagnostic in self.errors:
            print(diagnostic.format(), file=log)
        print(f"build failed: still serving the last good site ({time.perf_counter() - started:.2f} s)", file=log)
        return ["*"]

    def _publish(self, result, published: bool, started: float, log: TextIO) -> list[str]:
        """Serve the new site; the output paths whose change the browsers must be told of."""
        changed = sorted(k for k in self.files.keys() | result.files.keys()
                         if not k.startswith(BUNDLE) and self.files.get(k) != result.files.get(k))
        told = changed
        if published and not self.errors:  # the pages being read were shown already: reload for the rest only if read
            told = [p for p in changed if p in self.viewed or p.endswith((".css", ".js"))]
        if self.errors or any(not p.endswith(".css") for p in told):
            self.generation += 1
        search = {k: v for k, v in self.files.items() if k.startswith(BUNDLE)}  # until the new one is ready
        with self.lock:
            self.files, self.errors = {**result.files, **search}, []
        self._index_soon()
        print(f"rebuilt in {time.perf_counter() - started:.2f} s: {len(result.derived)} sources derived, "
              f"{len(result.rendered)} pages rendered, {len(changed)} files changed", file=log)
        return told

    def _index_soon(self) -> None:
        """Index the served pages for search beside the preview (Pagefind takes a while on a big
        dossier): one indexing at a time, and when it ends, once more if the pages changed meanwhile."""
        with self.lock:
            if self.indexing:
                return
            self.indexing = True
        threading.Thread(target=self._index, daemon=True).start()

    def _index(self) -> None:
        while True:
            self._quiet()
            files = self.files
            try:
                bundle, problems = search_bundle(files, self.root / CACHE / "search", background=True)
            except Stopped:  # an edit came: these pages are outdated; index the next ones once quiet
                continue
            except OSError as exc:  # the project or its cache went away under us: search waits for the next build
                print(f"search indexing stopped: {exc.strerror or exc}", file=sys.stderr)
                with self.lock:
                    self.indexing = False
                return
            for problem in problems:
                print(problem.format(), file=sys.stderr)
            with self.lock:
                if self.files is files:
                    self.files = {**{k: v for k, v in files.items() if not k.startswith(BUNDLE)}, **bundle}
                    self.indexing = False
                    return

    def _quiet(self, seconds: float = 1.0) -> None:
        """Wait until the pages have not changed for `seconds`: indexing competes for the CPU with
        the rebuild and the browser's reload, which must come first."""
        while True:
            files = self.files
            time.sleep(seconds)
            if self.files is files:
                return

    def respond(self, raw_path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path."""
        path = posixpath.normpath("/" + unquote(raw_path.split("?", 1)[0]).lstrip("/"))
        rel = path.lstrip("/")
        if "\0" in rel or rel.startswith(".."):
            return 400, "text/plain; charset=utf-8", b"bad path\n"
        candidates = [rel + "/index.html" if rel else "index.html", rel] if not rel.endswith(".html") else [rel]
        name = next((c for c in candidates if c in self.files and not c.startswith(".")), None)
        if name is None:
            return self._with_errors(404, "404.html")
        if name.endswith(".html"):
            self.viewed.pop(name, None)
            self.viewed[name] = None
            while len(self.viewed) > _VIEWED:
                self.viewed.pop(next(iter(self.viewed)))
        return self._with_errors(200, name)

    def _with_errors(self, status: int, name: str) -> tuple[int, str, bytes]:
        body = self.files.get(name)
        ctype = (mimetypes.guess_type(name)[0] or "application/octet-stream")
        if ctype.startswith("text/") or ctype in ("application/xml", "image/svg+xml"):
            ctype += "; charset=utf-8"
        if name.endswith(".html") and (self.errors or body is None):
            return (500 if body is None else status), "text/html; charset=utf-8", self._error_page(body)
        if name.endswith(".html"):
            body = _preview_policy(body)
        return status, ctype, body or b""

    def _error_page(self, page: Optional[bytes]) -> bytes:
        """The page with an overlay listing the errors (or a bare error page if there is no page)."""
        items = "".join(f"<li><code>{escape(d.format())}</code></li>" for d in self.errors)
        overlay = (
            '<div id="dossier-build-error" role="alert" style="position:fixed;inset:0 0 auto 0;z-index:99;'
            'max-height:70vh;overflow:auto;background:#fff3f3;color:#5c0000;border-bottom:3px solid #b00020;'
            'padding:1rem 1.5rem;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap">'
            f'<strong>Build failed: {len(self.errors)} problem{"s" * (len(self.errors) != 1)}.</strong> '
            'The page below is the last good build; it comes back by itself once the errors are fixed.'
            f'<ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul></div>'
        )
        if page is None:
            return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title>'
                    f'</head><body>{overlay}</body></html>').encode()
        html = _preview_policy(page).decode("utf-8")
        at = html.find(">", html.find("<body")) + 1
        return (html[:at] + overlay + html[at:]).encode()

    def wsgi(self, environ, start_response):
        status, ctype, body = self.respond(environ.get("PATH_INFO", "/"))
        reason = {200: "OK", 304: "Not Modified", 400: "Bad Request", 404: "Not Found", 500: "Build Failed"}
        if ctype.startswith("text/html"):
            # Pages are never cached. The live-reload socket sends this cookie back: a page that
            # connects after a reload was announced (it was still loading) is told it is out of date.
            headers = [("Cache-Control", "no-store"),
                       ("Set-Cookie", f"{BUILD_COOKIE}={self.generation}; Path=/; SameSite=Strict")]
        else:
            # Stylesheets, scripts, the search bundle: revalidated by content, so a reload after an
            # edit fetches only what changed.
            tag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            headers = [("Cache-Control", "no-cache"), ("ETag", tag)]
            if status == 200 and environ.get("HTTP_IF_NONE_MATCH") == tag:
                start_response("304 Not Modified", headers)
                return [b""]
        headers += [("Content-Type", ctype), ("Content-Length", str(len(body)))]
        start_response(f"{status} {reason[status]}", headers)
        return [body]

    def is_stale(self, cookie: Optional[str]) -> bool:
        return cookie is not None and cookie.isdigit() and int(cookie) < self.generation


_POLICY = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def _preview_policy(page: bytes) -> bytes:
    """The published pages forbid inline scripts and styles; the preview needs livereload's inline
    script, its socket, and the error overlay's styles, so preview pages go without the policy."""
    return _POLICY.sub(b"", page, count=1)


def reload_path(changed_outputs: list[str]) -> str:
    """What livereload is told changed: a stylesheet alone is refreshed in place; anything else reloads."""
    if changed_outputs and all(p.endswith(".css") for p in changed_outputs):
        return changed_outputs[0]
    return "*"


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          strict: Optional[bool] = None, log: TextIO = sys.stderr) -> int:
    """Run the preview server until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    atexit.register(stop_indexing)  # a background Pagefind run ends with the preview…
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))  # …also when the preview is terminated
    preview = Preview(root, strict)
    preview.rebuild(log)
    server = Server(app=preview.wsgi)
    watch = _Watch(preview, LiveReloadHandler, ioloop.IOLoop.current(), log)
    # livereload's own watcher waits up to 3 s between reloads and would drop quick edits; this
    # loop polls the inputs itself and tells the browsers to reload through livereload's handler.
    LiveReloadHandler.watcher = server.watcher
    server.watcher.watch("__dossier_never__")  # keeps livereload from watching the working directory
    ioloop.PeriodicCallback(watch.poll, 50).start()
    print(f"serving {root} on http://{host}:{port}/ (Ctrl-C to stop)", file=log)
    # restart_delay="forever": no reload of every browser when the server starts.
    server.serve(port=port, host=host, debug=False, open_url_delay=0.5 if open_browser else None,
                 restart_delay="forever")
    return 0


class _Watch:
    """Serve's loop: polls the inputs, rebuilds in a thread of its own (one at a time; edits
    meanwhile start the next), and tells the browsers (livereload's `handler`) to reload."""

    def __init__(self, preview: Preview, handler, loop, log: TextIO):
        self.preview, self.handler, self.loop, self.log = preview, handler, loop, log
        self.told: set[int] = set()
        self.connected: set[int] = set()
        self.reloaded = threading.Event()  # a browser connected again (after a reload)
        self.busy = threading.Event()  # a rebuild is running

    def catch_up(self) -> None:
        """Reload browsers that connected with a page older than the last build."""
        now = {id(w) for w in self.handler.waiters}
        if now - self.connected:
            self.reloaded.set()
        self.connected = now
        self.told.intersection_update(now)
        for waiter in list(self.handler.waiters):
            cookie = waiter.request.cookies.get(BUILD_COOKIE)
            if id(waiter) not in self.told and self.preview.is_stale(cookie.value if cookie else None):
                self.told.add(id(waiter))
                waiter.write_message({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})

    def poll(self) -> None:
        self.catch_up()
        if self.busy.is_set():
            return
        now = watched(self.preview.root)
        changed = changes(self.preview.inputs, now)
        if not changed:
            return
        print(f"changed: {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}", file=self.log)
        stop_indexing()  # a search index of the pages before this edit would be thrown away: stop making it
        self.busy.set()
        threading.Thread(target=self.rebuild, args=(now,), daemon=True).start()

    def rebuild(self, inputs: dict) -> None:
        """(In its own thread, so that the server answers the reload while the rest is built.)"""
        outputs: list[str] = []
        try:
            outputs = self.preview.rebuild(self.log, announce=self.announce, inputs=inputs)
        except Exception as exc:  # a bug, not the editor's: say so and keep serving the last good site
            print(f"internal error while rebuilding: {type(exc).__name__}: {exc}", file=self.log)
        finally:
            self.loop.add_callback(self.finished, outputs)

    def announce(self) -> Optional[threading.Event]:
        """(From the rebuild's thread.) Reload the browsers; the event is set when one is back."""
        self.reloaded.clear()
        self.loop.add_callback(self.handler.reload_waiters, "*")
        return self.reloaded if self.handler.waiters else None

    def finished(self, outputs: list[str]) -> None:
        self.busy.clear()
        if outputs:
            self.handler.reload_waiters(reload_path(outputs))
