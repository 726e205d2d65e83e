"""The venue's clock as seen from here: signed requests carry its time, not ours."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class TimeSync:
    """Offset from local to server time, so signed timestamps land inside the venue's window."""

    offset_ms: int = 0

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    async def measure(self, server_ms: Callable[[], Awaitable[int]]) -> int:
        """Ask the server its time and take the offset against the middle of the round trip."""
        sent = time.time()
        server = await server_ms()
        received = time.time()
        self.offset_ms = server - int((sent + received) / 2 * 1000)
        return self.offset_ms
