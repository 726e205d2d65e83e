"""Market data a venue serves only over REST, read on a timer and shown as a stream.

Each round runs every job once (a book's snapshot, new prints, a ticker), each bounded by
the quiet threshold so a request the venue never answers cannot hold the round. The status
is a stream's: LIVE while jobs succeed, STALE once none has for `quiet_after` (the handler
hears `on_quiet`, and books keep their levels dimmed), LIVE again at the next success. The
screen and the dead-man's switch read it as they read a socket's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from console.errors import VenueError
from console.net.stream import StreamState, StreamStatus

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class PollRules:
    every: float = 0.5
    """Seconds from the start of one round to the start of the next."""
    quiet_after: float = 3.0
    """Seconds without a successful job before the data is shown STALE."""


class Poller:
    def __init__(
        self,
        name: str,
        rules: PollRules,
        on_quiet: Callable[[bool], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rules = rules
        self.on_quiet = on_quiet
        self.clock = clock
        self.status = StreamStatus(name)
        self.jobs: dict[str, Job] = {}
        self._task: asyncio.Task[None] | None = None

    def add(self, key: str, job: Job) -> None:
        self.jobs[key] = job

    def remove(self, key: str) -> None:
        self.jobs.pop(key, None)

    def start(self) -> None:
        if self._task is None:
            self.status.connected_at = self.clock()
            self._task = asyncio.create_task(self._run(), name=f"poller {self.status.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        rules = self.rules
        while True:
            started = self.clock()
            for key, job in list(self.jobs.items()):
                try:
                    await asyncio.wait_for(job(), rules.quiet_after)
                except (VenueError, TimeoutError) as error:
                    log.info("%s: %s not read: %s", self.status.name, key, error or "no answer")
                else:
                    self._heard()
                self._check_quiet()
            await asyncio.sleep(max(0.0, rules.every - (self.clock() - started)))

    def _heard(self) -> None:
        self.status.last_heard = self.clock()
        if self.status.state is not StreamState.LIVE:
            quiet = self.status.state is StreamState.STALE
            self._set(StreamState.LIVE)
            if quiet:
                self.on_quiet(False)

    def _check_quiet(self) -> None:
        heard = self.status.last_heard
        since = heard if heard is not None else self.status.connected_at
        if since is None or self.status.state is StreamState.STALE:
            return
        if self.clock() - since > self.rules.quiet_after:
            log.info("%s: nothing read for %.1fs", self.status.name, self.clock() - since)
            self._set(StreamState.STALE)
            self.on_quiet(True)

    def _set(self, state: StreamState) -> None:
        self.status.state = state
        self.status.changes.append((self.clock(), state))
        del self.status.changes[:-50]
