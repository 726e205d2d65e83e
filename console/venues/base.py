"""What every venue adapter offers the console, and what each one can or cannot do.

Shaped for the three venues' documents at once: Binance (WS-API order entry, no spot
dead-man's switch), Huobi (account id per order, market buys sized in quote, venue-side
cancel-all-after, gzip market data with JSON pings) and WEEX (snapshot-only books, REST
order entry). Differences are data in `Capabilities`, not special cases in the callers.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from console.book import SPANNED, Integrity
from console.config import Credentials
from console.model import (
    Balance,
    Fill,
    Instrument,
    Interval,
    Order,
    OrderType,
    Side,
    Ticker,
    TimeInForce,
)
from console.net.stream import StreamStatus
from console.venues.feeds import LiveBook, LiveCandles, LiveTicker, LiveTrades

ALPHANUMERIC = string.ascii_letters + string.digits


@dataclass(frozen=True)
class IdPolicy:
    """What a venue takes as a client order id: its longest, and the characters allowed.

    Ids are `tc-<session tag>-<n>` where the venue takes dashes, `tc<tag><n>` where it
    takes letters and digits only (the tag is of fixed length, so the two stay apart)."""

    length: int
    alphabet: str = ALPHANUMERIC + "-_"

    def make(self, tag: str, n: int) -> str:
        sep = "-" if "-" in self.alphabet else ""
        made = f"tc{sep}{tag}{sep}{n}"
        if not self.admits(made):
            raise ValueError(f"client order id {made!r} breaks the venue's rule")
        return made

    def admits(self, client_order_id: str) -> bool:
        return 0 < len(client_order_id) <= self.length and all(
            c in self.alphabet for c in client_order_id
        )


@dataclass(frozen=True)
class Fees:
    """Fee rates as fractions of the notional (0.001 is 0.1%)."""

    maker: Decimal
    taker: Decimal


@dataclass(frozen=True)
class Capabilities:
    venue_dead_mans_switch: bool
    """The venue cancels every order itself when not refreshed (Huobi cancel-all-after)."""
    market_buy_in_quote: bool
    """Market buys are sized in the quote asset only (Huobi buy-market)."""
    ids: IdPolicy
    """The client order ids the venue takes."""
    fees: Fees
    """The venue's published base tier: the estimate until the account's own rate is read
    (`Venue.fee_rates`)."""
    order_types: frozenset[OrderType]
    kline_intervals: Mapping[Interval, str]
    """The candle lengths the venue serves, each in the venue's own spelling."""
    rate_unit: str = "weight"
    """What `Venue.rate_usage` counts, as the status bar names it."""
    oco: bool = False
    """The venue places a limit order and a stop as one pair, one cancelling the other
    (Binance's `orderList/oco`)."""
    replaces: bool = False
    """The venue cancels an order and places another in its stead in one request (Binance's
    cancel-replace): a move is one step there, a cancel and then a place elsewhere."""
    cancels: bool = True
    """The venue can cancel an order. Where it cannot (WEEX's demo trading), an order that
    would rest (a GTC limit, a post-only order) is refused before it is sent."""
    book_integrity: Integrity = SPANNED
    """How the venue's book changes prove they arrive whole: the continuity rule of their
    update ids and, where the venue sends one, a checksum."""
    book_size_step: Decimal | None = None
    """The step a venue's book sizes are kept on where it sends them finer than the lot
    (Huobi's JSON numbers carry float digits: `[645.14, 26.75597395914065]`); digits past
    this step are rounded half-even. None: sizes come in whole lots, and one off the lot is
    a malformed frame."""


@dataclass(frozen=True)
class OrderRequest:
    """An order as the trader means it, before any venue's spelling."""

    symbol: str
    side: Side
    type: OrderType
    client_order_id: str
    qty: Decimal | None = None
    price: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    quote_qty: Decimal | None = None
    """For market orders sized in the quote asset."""
    trigger: Decimal | None = None
    """The last price a stop or take-profit order waits for."""


class AccountSink(Protocol):
    """Where a venue's user stream delivers what happened to the account."""

    def on_order(self, order: Order, fill: Fill | None) -> None: ...

    def on_balances(self, balances: Sequence[Balance]) -> None: ...

    def on_user_stream(self, live: bool) -> None:
        """The user stream went live (after a reconnect: reconcile) or was lost."""


class Venue(Protocol):
    name: str
    capabilities: Capabilities

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    @property
    def authenticated(self) -> bool:
        """Whether a key is configured (orders, balances and the account stream need one)."""

    @property
    def rest_url(self) -> str:
        """Where its requests go, for the trader to see before any is sent."""

    @property
    def streams(self) -> Sequence[StreamStatus]:
        """Every stream's status, for the status bar."""

    async def server_time(self) -> int: ...

    def rate_usage(self) -> tuple[int, int] | None:
        """The venue's budget used and allowed in the current window, when it counts one
        (`capabilities.rate_unit` names it)."""

    async def fee_rates(self, symbol: str) -> Fees:
        """The account's maker and taker rates on `symbol` where the venue serves them,
        its base tier otherwise."""

    @property
    def clock_offset_ms(self) -> int | None:
        """Server clock minus ours, as last measured."""

    async def instruments(self) -> dict[str, Instrument]: ...

    async def day_tickers(self) -> dict[str, Ticker]:
        """Every listed symbol's last price and 24 h change, in one request: the watchlist,
        and the price of every asset the account holds."""

    def book(self, symbol: str) -> LiveBook:
        """The symbol's live book, kept from now on."""

    def trades(self, symbol: str) -> LiveTrades:
        """The symbol's tape: each line one taker's fill at one price, where the venue
        aggregates them (Binance aggTrade)."""

    def ticker(self, symbol: str) -> LiveTicker:
        """The symbol's 24 h statistics and top of book, from the venue's ticker streams."""

    def release(self, symbol: str) -> None:
        """Stop keeping the symbol's book, tape, candles and ticker, and their streams."""

    async def candles(self, symbol: str, interval: Interval) -> LiveCandles:
        """History from REST, kept current from the stream."""

    async def watch_account(self, sink: AccountSink) -> None:
        """Start the user stream of orders, fills and balances."""

    async def place(self, request: OrderRequest) -> Order:
        """Raises `UnknownStatus` when the venue may have acted; never resends."""

    async def cancel(self, symbol: str, client_order_id: str) -> Order: ...

    async def cancel_all(self, symbol: str) -> list[Order]: ...

    async def place_oco(
        self, limit: OrderRequest, stop: OrderRequest, list_id: str
    ) -> tuple[Order, Order]:
        """Place a post-only `limit` and a `stop` (at market) of one side and size as one
        pair, one cancelling the other, named `list_id`. Only venues whose capabilities list
        `oco`; the others raise `InvalidOrder`. Raises `UnknownStatus` when the venue may
        have acted."""

    async def replace(self, old: Order, request: OrderRequest) -> tuple[Order, Order]:
        """Cancel `old` and place `request` in its stead in one request, the place only if
        the cancel succeeds and only while `old` has not traded (the cancelled order, then
        the new one). Only venues whose capabilities list `replaces` have it; the others
        raise `InvalidOrder`. Raises `UnknownStatus` when the venue may have acted."""

    async def order(self, symbol: str, client_order_id: str) -> Order:
        """Look an order up by client order id; raises `OrderNotFound`."""

    async def open_orders(self, symbol: str | None = None) -> list[Order]: ...

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]:
        """The account's fills on `symbol` from `since_ms` on, oldest first: what the user
        stream may have missed while it was down. `client_order_id` is empty where the
        venue's trade list does not carry it."""

    async def balances(self) -> list[Balance]: ...

    async def cancel_all_after(self, seconds: float) -> None:
        """Arm or refresh (seconds > 0), or disarm (0), the venue's own dead-man's switch,
        which cancels every order unless refreshed in time. Only venues whose capabilities
        list `venue_dead_mans_switch` have one; the others raise `InvalidOrder`."""


@dataclass(frozen=True)
class SimAccess:
    """The key a venue adapter uses on the embedded simulator, for the simulator to accept:
    an Ed25519 public key (raw 32 bytes) or an HMAC secret."""

    api_key: str
    ed25519_public: bytes | None = None
    hmac_secret: bytes | None = None
    passphrase: str | None = None
    """For venues that ask for one with each request (WEEX)."""


@dataclass(frozen=True)
class VenueEntry:
    name: str
    environments: dict[str, str]
    """Named environments and their REST hosts (`custom` is always there besides)."""
    connect: Callable[[str, str, str, Credentials | None, str], Venue]
    """(environment, custom REST URL, custom WebSocket URL, credentials, API) -> adapter."""
    on_simulator: Callable[[str, str], tuple[Venue, SimAccess]]
    """(base URL, API) -> the adapter for the embedded simulator there, with a fresh key
    of its own."""
    apis: tuple[str, ...] = ("",)
    """The venue's APIs where it has several (WEEX: v3, v1), its default first; `("",)`
    for a venue with one."""
    paper: str | None = None
    """The API name `connect` and `on_simulator` take for the venue's demo trading
    (`--paper`), where it has one."""
    key_fields: tuple[str, ...] = ("API_KEY", "API_SECRET")
    """What a key is made of, as the environment variables after `<VENUE>_` name them;
    alternatives are joined by `|` (Binance's secret or Ed25519 key file)."""
