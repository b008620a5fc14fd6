"""What a long build is doing, as a progress bar on the terminal.

The bar appears only once a build has run for two seconds, only when standard error is a
terminal, and is wiped when the build ends: a quick build, a build whose output goes to a file or
a pipe, and the diagnostics printed afterwards all look exactly as they would without it."""

from __future__ import annotations

import os
import sys
import time
from typing import Optional, TextIO

COUNTED = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}]"
PLAIN = "{desc}… [{elapsed}]"


class Progress:
    AFTER = 2.0  # seconds before a bar is worth showing

    def __init__(self, stream: Optional[TextIO] = None):
        self.stream = stream
        self.started = time.monotonic()
        self.bar = None
        self.name, self.total, self.done = "", None, 0
        self.seconds: dict[str, float] = {}  # wall seconds spent in each stage so far
        self._since = time.perf_counter()

    @classmethod
    def on_terminal(cls, wanted: bool) -> "Progress":
        """A bar on standard error if `wanted` and it is a terminal; otherwise one that shows nothing."""
        stream = sys.stderr if wanted and hasattr(sys.stderr, "isatty") and sys.stderr.isatty() else None
        return cls(stream)

    def stage(self, name: str, total: Optional[int] = None) -> None:
        """A new stage: `name`, with `total` steps if it counts any."""
        self._lap()
        self.name, self.total, self.done = name, total, 0
        if self._shown():
            self.bar.bar_format = COUNTED if total else PLAIN
            self.bar.total, self.bar.n = total, 0
            self.bar.set_description_str(name, refresh=False)
            self.bar.refresh()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self._shown():
            self.bar.update(steps)

    def _lap(self) -> None:
        now = time.perf_counter()
        if self.name:
            self.seconds[self.name] = self.seconds.get(self.name, 0.0) + now - self._since
        self._since = now

    def close(self) -> None:
        self._lap()
        self.name = ""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        self.stream = None

    def _shown(self) -> bool:
        """Whether there is a bar to draw on (created once the build has run long enough)."""
        if self.bar is not None:
            return True
        if self.stream is None or time.monotonic() - self.started < self.AFTER:
            return False
        from tqdm import tqdm  # imported only by a build that shows a bar

        try:
            size = os.get_terminal_size(self.stream.fileno())
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((0, 0))
        # a terminal that reports no size (some pseudo-terminals) would get no bar from tqdm at all
        width = {"dynamic_ncols": True} if size.columns > 0 and size.lines > 0 else {"ncols": 80, "nrows": 24}
        self.bar = tqdm(total=self.total, initial=self.done, desc=self.name, file=self.stream, leave=False,
                        mininterval=0.2, bar_format=COUNTED if self.total else PLAIN, **width)
        return True
