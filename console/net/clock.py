"""The venue's clock as seen from here: signed requests carry its time, not ours.

The offset is measured at start, again every few minutes (a machine's clock drifts, and a
venue's may be moved), and at once when the venue refuses a timestamp.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from console.errors import VenueError

log = logging.getLogger(__name__)

RESYNC_EVERY = 300.0
"""Seconds between measurements while the console runs."""


@dataclass
class TimeSync:
    """Offset from local to server time, so signed timestamps land inside the venue's window."""

    offset_ms: int = 0
    source: Callable[[], Awaitable[int]] | None = None
    """The venue's time, asked over the network (set by the adapter)."""
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    """How `keep` waits between measurements."""
    _keeper: asyncio.Task[None] | None = field(default=None, repr=False)

    def now_ms(self) -> int:
        return int(self.wall() * 1000) + self.offset_ms

    async def measure(self, server_ms: Callable[[], Awaitable[int]]) -> int:
        """Ask the server its time and take the offset against the middle of the round
        trip; the server's clock is the source of later measurements."""
        self.source = server_ms
        return await self.resync()

    async def resync(self) -> int:
        """Measure the offset again (before the first measurement there is nothing to ask)."""
        if self.source is None:
            return self.offset_ms
        sent = self.wall()
        server = await self.source()
        received = self.wall()
        offset = server - int((sent + received) / 2 * 1000)
        if abs(offset - self.offset_ms) >= 1000:
            log.warning("the venue's clock moved: offset %+d ms, was %+d", offset, self.offset_ms)
        self.offset_ms = offset
        return offset

    def keep(self, every: float = RESYNC_EVERY) -> None:
        """Measure again every `every` seconds until `stop`."""
        if self._keeper is None:
            self._keeper = asyncio.get_running_loop().create_task(self._keep(every))

    async def _keep(self, every: float) -> None:
        while True:
            await self.sleep(every)
            try:
                await self.resync()
            except VenueError as error:
                log.warning("the venue's clock could not be read: %s", error)

    async def stop(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
            self._keeper = None
