"""The order book ladder: asks over bids, depth bars, spread and mid, the trader's orders.

Drawn with `render` from the live book at the frame rate; nothing here awaits the network.
When the book is not LIVE the ladder is dimmed under a STALE banner: a stale book is never
shown as live.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from console.model import Side
from console.ui.widgets.base import LivePanel, money, places
from console.venues.feeds import BookState

GROUPING_STEPS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000)
BAR = " ▏▎▍▌▋▊▉█"
BAR_WIDTH = 5


class OrderBookLadder(LivePanel, can_focus=True):
    """The live book of the symbol on screen.

    | key | action |
    | --- | --- |
    | up / k, down / j | move along the ladder |
    | g / G | best ask / best bid |
    | enter | ticket at this level's price, on the side that trades against it |
    | + / - | group levels by a larger / smaller price step |
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="book.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="book.down"),
        Binding("g", "edge('ask')", "Best ask", show=False, id="book.top"),
        Binding("G", "edge('bid')", "Best bid", show=False, id="book.bottom"),
        Binding("enter", "pick", "Ticket at level", id="book.pick"),
        Binding("plus,equals_sign", "group(1)", "Group +", id="book.group-more"),
        Binding("minus", "group(-1)", "Group −", id="book.group-less"),
    ]
    COMPONENT_CLASSES = {
        "orderbook--bid",
        "orderbook--ask",
        "orderbook--stale",
        "orderbook--cursor",
        "orderbook--own",
        "orderbook--spread",
        "orderbook--header",
    }
    DEFAULT_CSS = """
    OrderBookLadder { border: round $panel; border-title-color: $secondary;
        text-wrap: nowrap; text-overflow: clip; }
    OrderBookLadder:focus { border: round $primary; }
    OrderBookLadder > .orderbook--bid { color: $bid; }
    OrderBookLadder > .orderbook--ask { color: $ask; }
    OrderBookLadder > .orderbook--stale { background: $stale; color: $background;
        text-style: bold; }
    OrderBookLadder > .orderbook--cursor { text-style: reverse; }
    OrderBookLadder > .orderbook--own { color: $accent; text-style: bold; }
    OrderBookLadder > .orderbook--spread { color: $secondary; }
    OrderBookLadder > .orderbook--header { color: $secondary; text-style: bold; }
    """

    grouping: reactive[int] = reactive(0)
    """Index into GROUPING_STEPS."""
    cursor: reactive[int] = reactive(0)
    """Row offset from the spread: negative into the asks, positive into the bids."""

    class Picked(Message):
        """The trader chose a level: open the ticket there."""

        def __init__(self, side: Side, price: Decimal) -> None:
            self.side, self.price = side, price
            super().__init__()

    class Clicked(Message):
        """The trader clicked a level: its price goes into the ticket."""

        def __init__(self, price: Decimal) -> None:
            self.price = price
            super().__init__()

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Book"
        self._rows: list[tuple[Side, int]] = []

    def state_key(self) -> Hashable:
        """What the ladder shows, not the whole book: a change deeper than the rows on
        screen (most of a busy book's changes) draws nothing."""
        market = self.session.market
        if market is None:
            return None
        book, step, depth = market.book.book, self.step_ticks, self._depth()
        return (
            tuple(book.grouped(Side.SELL, step, depth)),
            tuple(book.grouped(Side.BUY, step, depth)),
            market.book.state,
            market.book.silent,
            market.book.malformed,
            self.session.orders.version,
            self.grouping,
            self.cursor,
            self.size,
            self.has_focus,
        )

    def _depth(self) -> int:
        """Levels a side the ladder has rows for."""
        return (max(3, self.content_size.height) - 2) // 2

    @property
    def step_ticks(self) -> int:
        return GROUPING_STEPS[self.grouping]

    def watch_grouping(self) -> None:
        market = self.session.market
        if market is not None:
            tick = market.instrument.tick_size
            self.border_title = f"Book  step {tick * self.step_ticks}"

    # -- drawing -----------------------------------------------------------------------------

    def render(self) -> Text:
        market = self.session.market
        if market is None:
            return Text("connecting…")
        book = market.book.book
        inst = market.instrument
        height = max(3, self.content_size.height)
        depth = self._depth()
        step = self.step_ticks
        market.book.show(depth * step)
        asks = book.grouped(Side.SELL, step, depth)
        bids = book.grouped(Side.BUY, step, depth)
        price_places, size_places = places(inst.tick_size * step), places(inst.lot_size)
        own = self._own_levels(step)
        biggest = max(0, sum(q for _, q in asks), sum(q for _, q in bids))
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="crop")
        text.append(f"{'price':>11} {'size':>9} {'cum':>9}\n", style("orderbook--header"))
        self._rows = []
        ask_cum = _cumulative(asks)
        padding = depth - len(asks)
        text.append("\n" * padding)
        for index in range(len(asks) - 1, -1, -1):
            ticks, lots = asks[index]
            self._rows.append((Side.SELL, ticks))
            self._line(
                text,
                Side.SELL,
                ticks,
                lots,
                ask_cum[index],
                biggest,
                price_places,
                size_places,
                own,
                index + 1 == -self.cursor,
            )
        tick_places = places(inst.tick_size)
        spread = None if book.spread is None else book.spread * inst.tick_size
        text.append(
            f"  ── spread {money(spread, tick_places)}  mid {money(book.mid, tick_places + 1)}\n",
            style("orderbook--spread"),
        )
        bid_cum = _cumulative(bids)
        for index, (ticks, lots) in enumerate(bids):
            self._rows.append((Side.BUY, ticks))
            self._line(
                text,
                Side.BUY,
                ticks,
                lots,
                bid_cum[index],
                biggest,
                price_places,
                size_places,
                own,
                index + 1 == self.cursor,
            )
        if market.book.state is not BookState.LIVE:
            why = "venue silent" if market.book.silent else "resynchronising"
            if market.book.malformed:
                why += f" · {market.book.malformed} malformed"
            return self._stale_overlay(text, f"{market.book.state.value} · {why}", height)
        return text

    def _line(
        self,
        text: Text,
        side: Side,
        ticks: int,
        lots: int,
        cum: int,
        biggest: int,
        price_places: int,
        size_places: int,
        own: set[tuple[Side, int]],
        selected: bool,
    ) -> None:
        market = self.session.market
        assert market is not None
        book = market.book.book
        price = book.prices.value(ticks)
        size, total = book.sizes.value(lots), book.sizes.value(cum)
        colour = self.get_component_rich_style(
            "orderbook--bid" if side is Side.BUY else "orderbook--ask"
        )
        line = Text(
            f"{money(price, price_places):>11} {money(size, size_places):>9} "
            f"{money(total, size_places):>9} ",
            style=colour,
        )
        line.append(_bar(cum, biggest), colour)
        if (side, ticks) in own:
            line.append(" ◆", self.get_component_rich_style("orderbook--own"))
        if selected and self.has_focus:
            line.stylize(self.get_component_rich_style("orderbook--cursor"))
        text.append_text(line)
        text.append("\n")

    def _own_levels(self, step: int) -> set[tuple[Side, int]]:
        market = self.session.market
        assert market is not None
        scale = market.book.book.prices
        levels = set()
        for order in self.session.orders.open_orders(market.instrument.symbol):
            if order.price is None:
                continue
            ticks = scale.of(order.price) if order.price % scale.increment == 0 else None
            if ticks is None:
                continue
            bucket = ticks - ticks % step if order.side is Side.BUY else -(-ticks // step) * step
            levels.add((order.side, bucket))
        return levels

    def _stale_overlay(self, text: Text, state: str, height: int) -> Text:
        text.stylize("dim")
        lines = text.split("\n")
        banner = f" {state} · not live ".center(38)
        middle = min(len(lines) - 1, height // 2)
        lines[middle] = Text(banner, self.get_component_rich_style("orderbook--stale"))
        return Text("\n").join(lines)

    # -- mouse -------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click selects the level under the pointer and puts its price in the ticket."""
        offset = event.get_content_offset(self)
        market = self.session.market
        if offset is None or market is None:
            return
        depth = (self.content_size.height - 2) // 2
        if 1 <= offset.y <= depth:
            cursor = -(depth - offset.y + 1)
        elif offset.y >= depth + 2:
            cursor = offset.y - depth - 1
        else:
            return  # the header or the spread line
        self.cursor = cursor
        level = self.selected_level()
        if level is not None:
            self.post_message(self.Clicked(market.book.book.prices.value(level[1])))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.action_move(-1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.action_move(1)

    # -- keys --------------------------------------------------------------------------------

    def action_move(self, rows: int) -> None:
        depth = max(1, (self.content_size.height - 2) // 2)
        cursor = self.cursor + rows
        if cursor == 0:
            cursor += rows
        self.cursor = max(-depth, min(depth, cursor))

    def action_edge(self, side: str) -> None:
        self.cursor = -1 if side == "ask" else 1

    def action_group(self, direction: int) -> None:
        self.grouping = max(0, min(len(GROUPING_STEPS) - 1, self.grouping + direction))

    def action_pick(self) -> None:
        level = self.selected_level()
        if level is None:
            return
        side, ticks = level
        market = self.session.market
        assert market is not None
        # A level is traded against: an ask is lifted by a buy, a bid is hit by a sell.
        self.post_message(self.Picked(side.opposite, market.book.book.prices.value(ticks)))

    def selected_level(self) -> tuple[Side, int] | None:
        asks = [row for row in self._rows if row[0] is Side.SELL]
        bids = [row for row in self._rows if row[0] is Side.BUY]
        if self.cursor < 0 and -self.cursor <= len(asks):
            return asks[len(asks) + self.cursor]
        if self.cursor > 0 and self.cursor <= len(bids):
            return bids[self.cursor - 1]
        return None


def _cumulative(levels: list[tuple[int, int]]) -> list[int]:
    total, out = 0, []
    for _, lots in levels:
        total += lots
        out.append(total)
    return out


def _bar(cum: int, biggest: int) -> str:
    if biggest <= 0:
        return ""
    eighths = round(cum / biggest * BAR_WIDTH * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (BAR[rest] if rest else "")).ljust(BAR_WIDTH)
