"""The banner (where orders go, symbol, last, change, 24 h range) and the status bar.

Where orders go (SIM, TESTNET, LIVE, CUSTOM) is drawn in fixed colours, not theme colours:
no theme, however it is written, can make a live account look like the simulator.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from decimal import Decimal

from rich.style import Style
from rich.text import Text

from console.model import DayStats, Interval
from console.net.stream import StreamState
from console.trading.session import Market
from console.ui.widgets.base import LivePanel, money, places
from console.venues.feeds import BookState

BLACK, WHITE = "#000000", "#ffffff"
ENVIRONMENT_STYLES = {
    "SIM": Style(color=BLACK, bgcolor="#ffd700", bold=True),
    "TESTNET": Style(color=WHITE, bgcolor="#005fd7", bold=True),
    "PAPER": Style(color=BLACK, bgcolor="#00afaf", bold=True),
    "LIVE": Style(color="#d70000", bgcolor=WHITE, bold=True, reverse=True),
}
"""Exact colours, never ANSI names: a terminal's palette or the theme's ANSI mapping could
turn two names into one colour. Each is on the 256-colour cube and falls to a different
one of the 16 standard colours (bright yellow, bright blue, cyan, red, magenta, white),
so SIM, TESTNET, PAPER, LIVE and CUSTOM differ in 16, 256 and true colour alike. LIVE and
CUSTOM are drawn reversed, so under NO_COLOR they still stand out as solid blocks."""
CUSTOM_STYLE = Style(color="#af00af", bgcolor=BLACK, bold=True, reverse=True, underline=True)
"""Somewhere the trader named: a shared simulator, a proxy; it may reach a real venue."""
READ_ONLY_STYLE = Style(color=BLACK, bgcolor="#c0c0c0", bold=True)
"""Watching only: nothing can be sent, whatever the environment."""


class Banner(LivePanel):
    """A line that cannot be missed: where orders go, then the market at a glance."""

    COMPONENT_CLASSES = {"banner--up", "banner--down"}
    DEFAULT_CSS = """
    Banner { height: 1; background: $panel; text-wrap: nowrap; text-overflow: clip; }
    Banner > .banner--up { color: $up; }
    Banner > .banner--down { color: $down; }
    """

    def state_key(self) -> Hashable:
        market = self.session.market
        if market is None:
            return None
        day = market.candles.get(Interval.H1)
        return (
            market.trades.version,
            market.ticker.version,
            day.version if day else None,
            self.size,
        )

    def render(self) -> Text:
        session = self.session
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="crop")
        environment = session.environment
        text.append(f" {environment} ", ENVIRONMENT_STYLES.get(environment, CUSTOM_STYLE))
        if session.read_only:
            text.append(" READ-ONLY ", READ_ONLY_STYLE)
        text.append(f" {session.venue.name}")
        market = session.market
        if market is None:
            return text
        tick_places = places(market.instrument.tick_size)
        text.append(f" · {market.instrument.symbol}  ")
        last = market.trades.trades[-1].price if market.trades.trades else None
        stats = market.ticker.day or hourly_day(market)
        if last is None and stats is not None:
            last = stats.last
        text.append(f"last {money(last, tick_places)} ")
        change = stats.change_percent if stats is not None else None
        if stats is not None and change is not None:
            text.append(
                f"{'▲' if change >= 0 else '▼'}{abs(change):.2f}%",
                style("banner--up" if change >= 0 else "banner--down"),
            )
            text.append(
                f"  24h H {money(stats.high, tick_places)} L {money(stats.low, tick_places)}"
                f"  vol {money(stats.volume, 1)}"
            )
        return text


def hourly_day(market: Market) -> DayStats | None:
    """The last 24 hourly candles, until the venue's own 24 h ticker arrives."""
    hours = market.candles.get(Interval.H1)
    day = list(hours.candles)[-24:] if hours is not None else []
    if not day:
        return None
    return DayStats(
        market.instrument.symbol,
        day[-1].close,
        day[0].open,
        max(c.high for c in day),
        min(c.low for c in day),
        sum((c.volume for c in day), Decimal(0)),
    )


class StatusBar(LivePanel):
    """Each stream's state and heartbeat age, round trip, rate-limit use, clock, DMS."""

    COMPONENT_CLASSES = {"status--live", "status--bad"}
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $foreground; text-wrap: nowrap;
        text-overflow: clip; }
    StatusBar > .status--live { color: $success; }
    StatusBar > .status--bad { color: $background; background: $stale; text-style: bold; }
    """

    clock = staticmethod(time.monotonic)
    """The clock heartbeat ages are measured on (the streams' own)."""

    def state_key(self) -> Hashable:
        return round(self.clock() * 4)  # ages move: redraw four times a second at most

    def render(self) -> Text:
        """Segments joined by ` · `; the switch comes right after the venue so a narrow
        terminal cuts the stream details before it."""
        session = self.session
        style = self.get_component_rich_style
        now = self.clock()
        segments: list[Text] = []
        market = session.market
        segments.append(
            Text.assemble(
                (
                    f" {session.environment} ",
                    ENVIRONMENT_STYLES.get(session.environment, CUSTOM_STYLE),
                ),
                " " + session.venue.name + (f" {market.instrument.symbol}" if market else ""),
            )
        )
        switch = session.deadman
        segments.append(
            Text(switch.describe(), style("status--bad") if switch.blocks_orders else "")
        )
        orphans = len(session.orders.open_orphans())
        for problem in (
            session.waiting,
            session.orders.journal_failed,
            session.orders.problem,
            f"{orphans} ORPHAN{'S' * (orphans != 1)}: r to reconcile" if orphans else None,
        ):
            if problem:
                segments.append(Text(problem, style("status--bad")))
        if market is not None:
            live = market.book.state is BookState.LIVE
            segments.append(
                Text.assemble(
                    "book ",
                    (market.book.state.value, style("status--live" if live else "status--bad")),
                )
            )
        for stream in session.venue.streams:
            age = stream.heartbeat_age(now)
            ok = stream.state is StreamState.LIVE
            segment = Text.assemble(
                f"{stream.name} ",
                (stream.state.value, style("status--live" if ok else "status--bad")),
            )
            if age is not None:
                segment.append(f" {age:.1f}s")
            if stream.rtt is not None:
                segment.append(f" rtt {stream.rtt * 1000:.0f}ms")
            segments.append(segment)
        usage = session.venue.rate_usage()
        if usage is not None:
            unit = session.venue.capabilities.rate_unit
            segments.append(Text(f"{unit} {usage[0]}/{usage[1]}"))
        offset = session.venue.clock_offset_ms
        if offset is not None:
            segments.append(Text(f"clock {offset:+d}ms"))
        text = Text(no_wrap=True, overflow="crop")
        text.append_text(Text(" · ").join(segments))
        return text
