"""The venues of one console, each a desk: its own session (streams, orders, journal,
dead-man's switch) and what the screen keeps of it while another venue is shown (the
ticket as the trader left it, the panel that had the keyboard)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from textual.widget import Widget

from console.trading.session import TradingSession
from console.ui.widgets.ticket import Kept as TicketKept


class Running(Protocol):
    """A session with what brings it up and down (`console.launch.Launch`); a replay's
    also seeks back, handing over another."""

    @property
    def session(self) -> TradingSession: ...

    @property
    def rewind(self) -> Callable[[int], Running] | None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Desk:
    session: TradingSession
    start: Callable[[], Coroutine[Any, Any, None]]
    stop: Callable[[], Coroutine[Any, Any, None]]
    rewind: Callable[[int], Running] | None = None
    started: bool = False
    ticket: TicketKept | None = None
    focus: Widget | None = None
    """What had the keyboard when another venue was shown."""

    @classmethod
    def of(cls, run: Running) -> Desk:
        return cls(run.session, run.start, run.stop, run.rewind)

    @property
    def venue(self) -> str:
        return self.session.venue.name

    def take(self, run: Running) -> None:
        """Run `run` at this desk from now on (a replay sought back)."""
        self.session, self.start, self.stop, self.rewind = (
            run.session,
            run.start,
            run.stop,
            run.rewind,
        )
