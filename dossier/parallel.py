"""Work shared with a forked copy of this process, when there is enough of it."""

from __future__ import annotations

import os
import pickle
from typing import Callable, Optional


def in_parallel(items: list, work: Callable, jobs: int, tick: Optional[Callable[[int], None]] = None,
                minimum: int = 200) -> list:
    """`[work(item) for item in items]`, the second half done by a forked copy of this process
    when that is worth it (two cores, `minimum` items or more). Results come back pickled through
    a pipe; if the worker fails, the parent does its half itself. `tick(n)` is told of the progress
    (the parent counts the worker's items as it counts its own: they go at about the same pace)."""
    tick = tick or (lambda n: None)

    def counted(item, steps: int = 1):
        done = work(item)
        tick(steps)
        return done
    if jobs < 2 or len(items) < minimum or not hasattr(os, "fork"):
        return [counted(item) for item in items]
    half = len(items) // 2
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: work, send, and leave without running the parent's cleanup
        os.close(read)
        try:
            with os.fdopen(write, "wb") as pipe:
                pickle.dump([work(item) for item in items[half:]], pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write)
    mine = [counted(item, 2) for item in items[:half]]
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        theirs = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError):  # the worker died (killed, out of memory): do its half here
        theirs = [work(item) for item in items[half:]]
    tick(len(items) - 2 * half)
    return mine + theirs
