"""The banner (where orders go, symbol, last, change, 24 h range) and the status bar.

Where orders go (SIM, TESTNET, LIVE, CUSTOM) is drawn in fixed colours, not theme colours:
no theme, however it is written, can make a live account look like the simulator.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from itertools import chain

from rich.style import Style
from rich.text import Text

from console.net.stream import StreamState
from console.trading.account import SessionPnl
from console.trading.views import BannerView, StatusView, StreamLine
from console.ui.widgets.base import LivePanel, money
from console.venues.feeds import BookState

BLACK, WHITE = "#000000", "#ffffff"
ENVIRONMENT_STYLES = {
    "SIM": Style(color=BLACK, bgcolor="#ffd700", bold=True),
    "TESTNET": Style(color=WHITE, bgcolor="#005fd7", bold=True),
    "PAPER": Style(color=BLACK, bgcolor="#00afaf", bold=True),
    "LIVE": Style(color="#d70000", bgcolor=WHITE, bold=True, reverse=True),
    "REPLAY": Style(color=BLACK, bgcolor="#00af00", bold=True),
}
"""Exact colours, never ANSI names: a terminal's palette or the theme's ANSI mapping could
turn two names into one colour. Each is on the 256-colour cube and falls to a different
one of the 16 standard colours (bright yellow, bright blue, cyan, red, green, magenta,
white), so SIM, TESTNET, PAPER, LIVE, REPLAY and CUSTOM differ in 16, 256 and true colour
alike. LIVE and CUSTOM are drawn reversed, so under NO_COLOR they still stand out as solid
blocks."""
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

    def render(self) -> Text:
        """The whole line where it fits; on a narrow terminal the volume is written short,
        then the range loses its label, then goes (the volume stays): a figure is never cut
        in two."""
        view: BannerView | None = self.view
        if view is None:
            return Text(no_wrap=True, overflow="crop")
        return fit([self._line(view, detail) for detail in (3, 2, 1, 0)], self.size.width)

    def _line(self, view: BannerView, detail: int) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        style = self.get_component_rich_style
        environment = view.environment
        text.append(f" {environment} ", ENVIRONMENT_STYLES.get(environment, CUSTOM_STYLE))
        if view.replay is not None:
            text.append(f" {view.replay} ", ENVIRONMENT_STYLES["REPLAY"])
        if view.read_only:
            text.append(" READ-ONLY ", READ_ONLY_STYLE)
        text.append(f" {view.venue}")
        if view.symbol is None:
            return text
        places = view.tick_places
        text.append(f" · {view.symbol}  ")
        text.append(f"last {money(view.last, places)} ")
        day = view.day
        change = day.change_percent if day is not None else None
        if day is None or change is None:
            return text
        text.append(
            f"{'▲' if change >= 0 else '▼'}{abs(change):.2f}%",
            style("banner--up" if change >= 0 else "banner--down"),
        )
        if detail >= 1:
            label = "24h H" if detail >= 2 else "H"
            text.append(f"  {label} {money(day.high, places)} L {money(day.low, places)}")
        volume = money(day.volume, 1) if detail >= 3 else short(day.volume)
        text.append(f"  vol {volume}")
        return text


def short(value: Decimal | None) -> str:
    """A large figure in few cells: 147,381.4 as 147.4k, 2,500,000 as 2.5M."""
    if value is None:
        return "—"
    for size, suffix in ((Decimal(10) ** 9, "G"), (Decimal(10) ** 6, "M"), (Decimal(1000), "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}{suffix}"
    return f"{value:.1f}"


def fit(lines: Iterable[Text], width: int) -> Text:
    """The first of `lines` (fullest first) that fits `width` cells, else the last; the
    narrower ones are not laid out once one fits."""
    line = Text()
    for line in lines:
        if line.cell_len <= width:
            break
    return line


def pnl_text(pnl: SessionPnl, gain: Style, loss: Style) -> Text:
    """`PnL +12.34 USDT`, each quote asset's figure coloured by its sign, and the symbols
    that cannot be valued now named."""
    text = Text("PnL")
    for quote, figure in pnl.totals:
        text.append(" ")
        text.append(f"{figure:+,.2f} {quote}", gain if figure > 0 else loss if figure < 0 else "")
    if pnl.unpriced:
        text.append(f" ({', '.join(pnl.unpriced)} not valued)")
    return text


class StatusBar(LivePanel):
    """Each stream's state and heartbeat age, round trip, rate-limit use, clock, DMS."""

    COMPONENT_CLASSES = {"status--live", "status--bad", "status--gain", "status--loss"}
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $foreground; text-wrap: nowrap;
        text-overflow: clip; }
    StatusBar > .status--live { color: $success; }
    StatusBar > .status--gain { color: $bid; text-style: bold; }
    StatusBar > .status--loss { color: $ask; text-style: bold; }
    StatusBar > .status--bad { color: $background; background: $stale; text-style: bold; }
    """

    clock = staticmethod(time.monotonic)
    """The clock heartbeat ages are measured on (the streams' own)."""

    _drawn: Text | None = None
    """The line on screen: a view that reads the same at this width draws nothing."""
    _plain: tuple[StatusView, int] | None = None
    """The view without the streams' ages and round trips, and the width, that
    `_plain_line` was laid out for."""
    _plain_line = Text()
    _room = -1
    """The cells left beside the fullest line without the ages (below 0: it does not fit)."""

    def redraw(self) -> None:
        """Draw the line only when it reads otherwise: the heartbeat ages move the view
        four times a second, and a bar too narrow to show them would be sent again each
        time, unchanged."""
        line = self._fitted()
        if line != self._drawn:
            self._drawn = line
            self.refresh()

    def on_resize(self) -> None:
        self.redraw()

    def notify_style_update(self) -> None:
        """A theme changed the colours: the line is laid out in the new ones."""
        super().notify_style_update()
        self._drawn = self._plain = None
        self.redraw()

    def render(self) -> Text:
        return self._drawn if self._drawn is not None else self._fitted()

    def _fitted(self) -> Text:
        """Segments joined by ` · `, the switch right after where orders go; a narrow
        terminal drops details, never cuts one: the streams' ages and round trips first,
        then the rate budget and the clock, then the venue and symbol (the banner names
        them), streams all live then saying so at once.

        The ages move on every frame and nothing else does on a quiet market, so the line
        without them is laid out once for what it says (`_plain`) and the ages are only
        added up to see whether they fit beside it."""
        view: StatusView | None = self.view
        if view is None:
            return Text(no_wrap=True, overflow="crop")
        width = self.size.width
        plain = (replace(view, streams=tuple(map(_unaged, view.streams))), width)
        if plain != self._plain:
            wide = self._line(view, 2)
            self._room = width - wide.cell_len
            narrower = (self._line(view, detail) for detail in (1, 0, -1))
            self._plain, self._plain_line = plain, fit(chain((wide,), narrower), width)
        if _aged_cells(view) <= self._room:  # the ages and round trips fit beside it
            return self._line(view, 3)
        return self._plain_line

    def _venues(self, view: StatusView, detail: int) -> Text:
        """Every venue of the run in a row, the one shown in brackets: green while live,
        marked otherwise, with the word for what is wrong where there is room."""
        style = self.get_component_rich_style
        row = Text()
        if detail < 0:  # the narrowest: the venue shown, and the others only when not live
            others = [v for v in view.venues if not v.shown and v.health == "LIVE"]
            venues = [v for v in view.venues if v.shown or v.health != "LIVE"]
            row.append(f"+{len(others)} " if others else "", style("status--live"))
        else:
            venues = list(view.venues)
        for index, venue in enumerate(venues):
            live = venue.health == "LIVE"
            name = f"[{venue.venue}]" if venue.shown else venue.venue
            row.append(("" if index == 0 else " ") + name, style("status--live") if live else "")
            if not live:
                word = venue.health if detail >= 0 else "!"
                row.append(" " + word, style("status--bad"))
        return row

    def _line(self, view: StatusView, detail: int) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        style = self.get_component_rich_style
        where = " " + view.venue + (f" {view.symbol}" if view.symbol else "")
        segments: list[Text] = [
            Text.assemble(
                (f" {view.environment} ", ENVIRONMENT_STYLES.get(view.environment, CUSTOM_STYLE)),
                where if detail >= 1 else "",
            ),
            Text(view.switch, style("status--bad") if view.switch_blocks else ""),
        ]
        if view.venues:
            segments.insert(0, self._venues(view, detail))
        segments += [Text(problem, style("status--bad")) for problem in view.problems]
        if view.pnl is not None:
            segments.append(pnl_text(view.pnl, style("status--gain"), style("status--loss")))
        if view.book is not None:
            live = view.book is BookState.LIVE
            segments.append(
                Text.assemble(
                    "book ", (view.book.value, style("status--live" if live else "status--bad"))
                )
            )
        streams = view.streams
        if detail <= 0 and streams and all(s.state is StreamState.LIVE for s in streams):
            names = "+".join(stream.name for stream in streams)
            segments.append(Text.assemble(f"{names} ", ("LIVE", style("status--live"))))
            streams = ()  # every one of them live: one segment says so
        for stream in streams:
            ok = stream.state is StreamState.LIVE
            segment = Text.assemble(
                f"{stream.name} ",
                (stream.state.value, style("status--live" if ok else "status--bad")),
            )
            if detail >= 3:
                segment.append(_timings(stream))
            segments.append(segment)
        if view.rate is not None and detail >= 2:
            unit, used, allowed = view.rate
            segments.append(Text(f"{unit} {used}/{allowed}"))
        if view.clock_offset_ms is not None and detail >= 2:
            segments.append(Text(f"clock {view.clock_offset_ms:+d}ms"))
        text.append_text(Text(" · ").join(segments))
        return text


def _unaged(stream: StreamLine) -> StreamLine:
    if stream.age is None and stream.rtt_ms is None:
        return stream
    return replace(stream, age=None, rtt_ms=None)


def _timings(stream: StreamLine) -> str:
    """A stream's heartbeat age and round trip, as the fullest line shows them."""
    age = f" {stream.age:.1f}s" if stream.age is not None else ""
    return age + (f" rtt {stream.rtt_ms}ms" if stream.rtt_ms is not None else "")


def _aged_cells(view: StatusView) -> int:
    """The cells the streams' ages and round trips take on the fullest line."""
    return sum(len(_timings(stream)) for stream in view.streams)
