"""Python's full garbage collection, away from the trader's keys.

A full collection walks every object the console holds (some two hundred thousand once
the screen has drawn for a while, most of them Textual's caches of drawn lines) and stops
every thread while it does, the trading core's too: about 180 ms on a busy 2-core machine.
Left to itself, Python runs one whenever a quarter more objects have lived long, which a
screen that redraws all day reaches every second or two: a keypress that lands in one
waits for it. Here the young generations stay automatic (a few milliseconds each, put off
while an order or a cancel is on its way: `console.trading.core.Urgency`); the full one
runs on a thread of its own when the keyboard has been quiet for a second, or, for a
trader who never stops, once in five minutes. Full collections are there for reference
cycles that outlive the young ones; with Textual's drawn lines no longer holding
themselves (`console.ui.strips`), a busy minute leaves a few dozen such objects.

What survives a collection made while the keyboard is quiet is set aside (`gc.freeze`), so
the next one walks only what was made since: a few milliseconds where walking everything
took a hundred, every five seconds. Once in five minutes a quiet collection takes the
set-aside objects back first (`gc.unfreeze`) and walks everything, so a cycle among them is
freed then.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable

QUIET = 1.0
"""Seconds without a key before a full collection may run."""
AT_LEAST = 5.0
"""Seconds between full collections while the keyboard is quiet."""
AT_MOST = 300.0
"""Seconds after which a full collection runs even while the trader types, and between two
quiet ones that walk everything, the objects set aside too."""
LOOK_EVERY = 0.25
NEVER = 1 << 30
"""A third threshold Python never reaches: no full collection of its own."""


class Collector:
    def __init__(
        self,
        last_key: Callable[[], float],
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[], object] = gc.collect,
    ) -> None:
        """`last_key` says when the keyboard was last heard, on `clock`."""
        self.last_key = last_key
        self.clock = clock
        self.collect = collect
        self.last = clock()
        self.swept = self.last
        """When a collection last walked everything."""
        self._thresholds = gc.get_threshold()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def due(self) -> bool:
        now = self.clock()
        since = now - self.last
        return since >= AT_MOST or (since >= AT_LEAST and now - self.last_key() >= QUIET)

    def look(self) -> None:
        """Run a full collection if one is due: of what was made since the last one, and of
        everything once in a while when the keyboard is quiet."""
        if not self.due():
            return
        now = self.clock()
        quiet = now - self.last_key() >= QUIET
        sweep = quiet and now - self.swept >= AT_MOST
        if sweep:
            gc.unfreeze()
        self.collect()
        if quiet:
            gc.freeze()
        self.last = self.clock()
        if sweep:
            self.swept = self.last

    def start(self) -> None:
        """Take full collections over, starting with one while the screen is not up yet."""
        gc.collect()
        gc.freeze()
        young, older, _ = self._thresholds
        gc.set_threshold(young, older, NEVER)
        self._thread = threading.Thread(target=self._serve, name="collector", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.wait(LOOK_EVERY):
            self.look()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        gc.set_threshold(*self._thresholds)
        gc.unfreeze()
