"""Values a long-running process (`serve`) keeps from one build to the next.

Each value is stored with the inputs it was computed from. The next build asks for it again with
its own inputs: when they are the same (usually the very same objects, since unchanged files keep
their parsed and resolved objects), the old value is handed back — the same object, so that the
stages after it see identical inputs in turn and their checks stay cheap."""

from __future__ import annotations

from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")


class Recall:
    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[Any, Any]] = {}
        self._now: dict[Hashable, tuple[Any, Any]] = {}

    def get(self, key: Hashable, inputs: Any, compute: Callable[[], T]) -> T:
        """`compute()`, or the value kept under `key` if it was computed from equal inputs."""
        kept = self._last.get(key)
        if kept is not None and (kept[0] is inputs or kept[0] == inputs):
            value = kept[1]
        else:
            value = compute()
        self._now[key] = (inputs, value)
        return value

    def same(self, key: Hashable, inputs: Any) -> bool:
        """Whether `inputs` equal those given under `key` last time (kept for the next build)."""
        kept = self._last.get(key)
        self._now[key] = (inputs, None)
        return kept is not None and (kept[0] is inputs or kept[0] == inputs)

    def keep(self, key: Hashable) -> Any:
        """The value kept under `key`, carried over unchanged (the caller knows its inputs are
        the same without comparing them)."""
        self._now[key] = self._last[key]
        return self._now[key][1]

    def carry(self, keys) -> None:
        """Carry over, unchanged, the values of those `keys` that the last build kept."""
        for key in keys:
            if key in self._last:
                self._now[key] = self._last[key]

    def turn(self) -> None:
        """Start a new build: keep what the last one asked for, drop everything older."""
        if self._now:
            self._last, self._now = self._now, {}
