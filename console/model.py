"""Types shared by every layer: instruments, orders, fills, balances and market data.

Prices, sizes and amounts are `Decimal` so money stays exact from the wire to the screen.
Book levels travel as the venue's own decimal text (`Level`), which `console.book` turns
into integer ticks once, without a float or a Decimal on the hot path.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import msgspec


class Side(enum.StrEnum):
    BUY = "BUY"
    SELL = "SELL"

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY


class OrderType(enum.StrEnum):
    LIMIT = "LIMIT"
    MARKET = "MARKET"
    POST_ONLY = "POST_ONLY"
    """A limit order that is refused rather than allowed to take liquidity."""
    STOP_LIMIT = "STOP_LIMIT"
    """Waits off the book until the last price reaches its trigger against the trader (a
    sell falling to it, a buy rising to it), then works as a limit order."""
    STOP_MARKET = "STOP_MARKET"
    TAKE_PROFIT_LIMIT = "TAKE_PROFIT_LIMIT"
    """Waits off the book until the last price reaches its trigger in the trader's favour
    (a sell rising to it, a buy falling to it), then works as a limit order."""
    TAKE_PROFIT_MARKET = "TAKE_PROFIT_MARKET"

    @property
    def priced(self) -> bool:
        """Carries a limit price (a market order, triggered or not, does not)."""
        return self not in _AT_MARKET

    @property
    def triggered(self) -> bool:
        """Waits for the last price to reach a trigger before it works."""
        return self in _TRIGGERED

    def triggers_above(self, side: Side) -> bool:
        """Whether the trigger is above the market: a stop that buys, a take-profit that
        sells."""
        stop = self in (OrderType.STOP_LIMIT, OrderType.STOP_MARKET)
        return stop == (side is Side.BUY)


_AT_MARKET = frozenset({OrderType.MARKET, OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_MARKET})
_TRIGGERED = frozenset(
    {
        OrderType.STOP_LIMIT,
        OrderType.STOP_MARKET,
        OrderType.TAKE_PROFIT_LIMIT,
        OrderType.TAKE_PROFIT_MARKET,
    }
)


class TimeInForce(enum.StrEnum):
    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"


class Interval(enum.StrEnum):
    """A candle's length in the console's own spelling; each venue maps the ones it serves
    to its own words (Binance `1h`, Huobi `60min`) in its `Capabilities`."""

    S1 = "1s"
    M1 = "1m"
    M3 = "3m"
    M5 = "5m"
    M15 = "15m"
    M30 = "30m"
    H1 = "1h"
    H2 = "2h"
    H4 = "4h"
    H6 = "6h"
    H8 = "8h"
    H12 = "12h"
    D1 = "1d"
    D3 = "3d"
    W1 = "1w"
    MO1 = "1M"


class OrderStatus(enum.StrEnum):
    PENDING = "PENDING"
    """Written to the journal, not yet acknowledged by the venue."""
    NEW = "NEW"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    CANCELED = "CANCELED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    UNKNOWN = "UNKNOWN"
    """The venue may have acted; resolved only by reconciliation."""
    NEVER_SEEN = "NEVER_SEEN"
    """Was UNKNOWN and looked up for the whole lookup window without the venue ever showing
    it: taken as never placed and no longer counted open; a later venue event revives it."""
    VANISHED = "VANISHED"
    """Was open at the venue, which neither lists it nor knows its id any more, for the
    whole lookup window (its state was lost, or the order aged out of its history): no
    longer counted open; a later venue event revives it."""

    @property
    def is_open(self) -> bool:
        return self in _OPEN_STATUSES


_OPEN_STATUSES = frozenset(
    {OrderStatus.PENDING, OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED, OrderStatus.UNKNOWN}
)


class Instrument(msgspec.Struct, frozen=True):
    """A tradable symbol and the filters an order must pass."""

    symbol: str
    base: str
    quote: str
    tick_size: Decimal
    lot_size: Decimal
    min_qty: Decimal
    max_qty: Decimal
    min_notional: Decimal
    min_price: Decimal = Decimal(0)
    max_price: Decimal = Decimal(0)
    """0 means no upper bound, as in Binance's PRICE_FILTER."""
    max_notional: Decimal = Decimal(0)
    """0 means no upper bound, as in Binance's NOTIONAL filter."""


class Order(msgspec.Struct):
    """One order as the console knows it; `client_order_id` is the key that survives timeouts."""

    symbol: str
    client_order_id: str
    side: Side
    type: OrderType
    qty: Decimal
    price: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    status: OrderStatus = OrderStatus.PENDING
    order_id: str | None = None
    filled_qty: Decimal = Decimal(0)
    filled_quote: Decimal = Decimal(0)
    created_ms: int = 0
    updated_ms: int = 0
    trigger: Decimal | None = None
    """The last price a stop or take-profit order waits for (`OrderType.triggered`)."""


class Fill(msgspec.Struct, frozen=True):
    symbol: str
    order_id: str
    client_order_id: str
    trade_id: str
    side: Side
    price: Decimal
    qty: Decimal
    fee: Decimal
    fee_asset: str
    is_maker: bool
    time_ms: int


class Balance(msgspec.Struct, frozen=True):
    asset: str
    free: Decimal
    locked: Decimal

    @property
    def total(self) -> Decimal:
        return self.free + self.locked


class Trade(msgspec.Struct, frozen=True):
    """A public print; `taker_side` is the aggressor's side."""

    symbol: str
    trade_id: int
    price: Decimal
    qty: Decimal
    taker_side: Side
    time_ms: int


class DayStats(msgspec.Struct, frozen=True):
    """A symbol's last 24 hours as the venue counts them (a rolling window)."""

    symbol: str
    last: Decimal
    open: Decimal
    high: Decimal
    low: Decimal
    volume: Decimal
    """In the base asset."""

    @property
    def change_percent(self) -> Decimal | None:
        return (self.last - self.open) / self.open * 100 if self.open else None


class Ticker(msgspec.Struct, frozen=True):
    """One row of a venue's all-symbols ticker: the last price and, where the venue gives
    it, the price 24 hours ago and the day's volume in the base asset."""

    symbol: str
    last: Decimal
    open: Decimal | None = None
    volume: Decimal | None = None

    @property
    def change_percent(self) -> Decimal | None:
        return (self.last - self.open) / self.open * 100 if self.open else None


class Top(msgspec.Struct, frozen=True):
    """The best bid and offer with their sizes, from the venue's top-of-book stream."""

    symbol: str
    bid: Decimal
    bid_qty: Decimal
    ask: Decimal
    ask_qty: Decimal


class Candle(msgspec.Struct, frozen=True):
    symbol: str
    interval: str
    open_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    closed: bool = False


Level = tuple[str, str]
"""One price level as the venue's decimal text, (price, size): `["65012.34", "0.500"]` on
the wire. A plain pair, so a message's levels go into a dict in one call, as a book takes
them (`console.book.FeedSide`)."""


class BookSnapshot(msgspec.Struct, frozen=True):
    symbol: str
    last_update_id: int
    bids: list[Level]
    asks: list[Level]


class BookDelta(msgspec.Struct, frozen=True, gc=False):
    """Changed levels with absolute quantities (0 deletes the level).

    `first_update_id`..`last_update_id` is the span of updates it covers (Binance U..u).
    Venues that chain messages instead (Huobi prevSeqNum) set `prev_update_id`; the venue's
    `book.Integrity` says which of the two its book checks, and compares `checksum`, where
    the venue sends one, with the book's after the change.
    """

    symbol: str
    first_update_id: int
    last_update_id: int
    bids: list[Level]
    asks: list[Level]
    prev_update_id: int | None = None
    checksum: int | None = None
