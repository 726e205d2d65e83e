"""From live state to the screen, at the frame rate and only where something changed.

Streams update state objects (book, tape, candles, orders) on the trading core's loop as
fast as the venue sends; a single timer at the frame rate reads each shown panel's room
(its rows, grouping, the ticket's fields) on the screen's loop, has the core build the
views (`console.trading.views`) from its state in one call, and pushes each into its panel
only when it differs from the last one. A firehose of updates costs the screen the same as
a trickle: one call to the core, one view and one comparison per shown panel per frame; a
hidden panel costs nothing. A frame that the core has not answered yet is skipped, not
queued.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App, ScreenStackError
from textual.css.query import NoMatches
from textual.timer import Timer

from console.trading.core import Core
from console.ui.widgets.base import LivePanel


class Listener(Protocol):
    """What is fed a view without being a panel (the news of fills): fed on every frame it
    is due, whatever the screen shows."""

    def show(self, view: Any) -> None: ...


Target = LivePanel | Listener
Feed = tuple[Target, Callable[..., Any], Callable[[], tuple[Any, ...]], int]


def no_room() -> tuple[Any, ...]:
    return ()


def built(jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """The views of one frame, built on the core's loop."""
    return [build(*room) for build, room in jobs]


class FrameClock:
    def __init__(
        self, app: App[Any], rate: float, core: Core, before: Callable[[], None] = lambda: None
    ) -> None:
        """`before` runs at the start of every frame, once the last one has been drawn."""
        self.app = app
        self.before = before
        self.core = core
        self.interval = 1.0 / rate
        self.frames = 0
        self.redraws = 0
        self._feeds: list[Feed] = []
        self._shown: dict[int, Any] = {}
        self._built: dict[int, int] = {}
        """The frame each panel's view was last built on."""
        self._timer: Timer | None = None

    def feed(
        self,
        panel: Target,
        view: Callable[..., Any],
        room: Callable[[], tuple[Any, ...]] = no_room,
        every: float = 0.0,
    ) -> None:
        """Push `view(*room())` into `panel` on every frame it differs from the last one:
        `room` reads the panel on the screen's loop, `view` the state on the core's. With
        `every`, at most once in that many seconds (a tape that scrolls on every print is
        read a few times a second, and costs the terminal that much)."""
        frames = max(1, round(every / self.interval))
        self._feeds.append((panel, view, room, frames))

    def clear(self) -> None:
        """Forget every feed and what each panel was shown: the screen now shows another
        session (a replay sought back), fed afresh."""
        self._feeds.clear()
        self._shown.clear()
        self._built.clear()

    def push(self, panel: Target) -> None:
        """Bring `panel` up to date now, not at the next frame: a key that acts on what a
        panel shows (the ticket opened at the best price) must not wait for a frame, which
        on a busy machine may come late."""
        for fed, build, room, _ in self._feeds:
            if fed is panel:
                self._show(panel, self.core.call_now(build, *room()))

    def settled(self) -> bool:
        """Every panel shown holds the view that its state and room give now: a frame would
        change nothing. A picture of the screen waits for this, not for the first frame,
        which on a busy machine may have read a room that the layout has changed since."""
        try:
            screen = self.app.screen
            return all(
                id(panel) in self._shown
                and self._shown[id(panel)] == self.core.call_now(build, *room())
                for panel, build, room, _ in self._feeds
                if isinstance(panel, LivePanel) and _visible(panel, screen)
            )
        except (NoMatches, ScreenStackError):
            return False

    def _show(self, panel: Target, view: Any) -> None:
        key = id(panel)
        shown = self._shown.get(key, self)  # `self`: nothing shown yet
        if shown is not view and shown != view:  # the same view kept: no walk through it
            self._shown[key] = view
            panel.show(view)
            self.redraws += 1

    def start(self) -> None:
        self._timer = self.app.set_interval(self.interval, self.tick, name="frame clock")

    async def tick(self) -> None:
        self.frames += 1
        with contextlib.suppress(NoMatches, ScreenStackError):
            self.before()
        await self._draw()

    async def _draw(self) -> None:
        try:
            screen = self.app.screen
            shown = [
                (panel, build, room())
                for panel, build, room, frames in self._feeds
                if self.frames - self._built.get(id(panel), -frames) >= frames
                and _visible(panel, screen)
            ]  # hidden, under a dialog, or drawn too lately: nothing to draw
        except (NoMatches, ScreenStackError):
            return  # the screen is being built or torn down: nothing to draw on this frame
        if not shown:
            return
        for panel, _, _ in shown:
            self._built[id(panel)] = self.frames
        views = await self.core.call(built, [(build, room) for _, build, room in shown])
        for (panel, _, _), view in zip(shown, views, strict=True):
            if not isinstance(panel, LivePanel) or panel.is_attached:
                self._show(panel, view)


def _visible(target: Target, screen: Any) -> bool:
    """A panel on the screen shown and not under a dialog; any listener. One walk up its
    parents to the screen shown: Textual's `is_attached` and `screen` walk them once each,
    for every panel on every frame."""
    if not isinstance(target, LivePanel):
        return True
    node = target._parent
    while node is not None and node is not screen:
        node = node._parent
    return node is not None and bool(target.display)
