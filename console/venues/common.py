"""What every adapter keeps the same way: its life (clock, limiter, REST client, streams,
start and close), its instruments (read once, looked up by symbol), whether a key is
configured, the account stream, open orders across symbols, and the books, tapes, candles,
tickers and releases of the market data it keeps in a `LiveMarket`; an adapter supplies
only its dialect and its fetches."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from decimal import Decimal
from functools import partial
from typing import Protocol, Self, TypeVar

from console.errors import AuthError, InvalidOrder
from console.model import BookSnapshot, Candle, Instrument, Interval, Order, Ticker, Trade
from console.net.clock import TimeSync
from console.net.limiter import Limiter, TokenBucket
from console.net.recorder import Recorder
from console.net.replay import Player
from console.net.rest import RestClient, RestDialect
from console.net.stream import Stream, StreamStatus, as_sent
from console.venues.base import AccountSink, Capabilities, Fees, OrderRequest
from console.venues.feeds import LiveBook, LiveCandles, LiveTicker, LiveTrades
from console.venues.live import LiveMarket
from console.venues.market import MarketFeeds


class OnOneHost:
    """A venue's endpoints, laid out from a REST base and a WebSocket base (`custom`), or
    from one base for both, as the embedded simulator serves them (`on`)."""

    rest: str

    @classmethod
    def custom(cls, rest: str, ws: str) -> Self:
        raise NotImplementedError

    @classmethod
    def on(cls, base_url: str) -> Self:
        ws = base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        return cls.custom(base_url, ws)


def exact(text: str) -> Decimal:
    """A figure sent as text (`"0.001000000000000000"`) without its padding zeros."""
    value = Decimal(text)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def plain(value: Decimal) -> str:
    """Decimal text without exponent or padding zeros, as every venue's parameters take it
    (Binance's pattern refuses `1E-8`)."""
    return format(value.normalize(), "f")


T = TypeVar("T")
C = TypeVar("C")


async def all_pages(
    fetch: Callable[[C | None], Awaitable[list[T]]],
    page_size: int,
    cursor_after: Callable[[list[T]], C],
    key: Callable[[T], Hashable],
) -> list[T]:
    """Every row of a listing the venue serves a page at a time (fills beyond Huobi's 500
    or Binance's 1,000): `fetch(None)` is the first page, `fetch(cursor_after(page))` the
    next, until one comes short or brings nothing new; a row served twice, on a page's
    boundary, counts once."""
    rows: dict[Hashable, T] = {}
    cursor: C | None = None
    while True:
        page = await fetch(cursor)
        new = {key(row): row for row in page if key(row) not in rows}
        rows.update(new)
        if len(page) < page_size or not new:
            return list(rows.values())
        cursor = cursor_after(page)


class AccountFeed(Protocol):
    """A venue's account stream handler: where it delivers what it hears."""

    sink: AccountSink | None


class VenueBasics:
    """One lifecycle for every adapter: the clock, the limiter, the REST client, the market
    feeds and the streams are made, started and closed here, in that order; an adapter's
    `__init__` adds its dialect (`rest_client`, `add_market_stream`, `add_account_stream`)
    and its fetches."""

    title: str
    """The venue's name as a trader writes it, for messages."""
    name: str
    capabilities: Capabilities
    snapshot_levels: tuple[int, ...]
    """The book snapshot sizes the venue serves, smallest first."""
    rate_bucket: str
    """The limiter's budget the status bar shows (`capabilities.rate_unit` names it)."""
    live: LiveMarket
    """The market data kept (`keep_market`)."""
    open_orders_per_symbol = False
    """The venue lists open orders one symbol at a time: with no symbol, every symbol is
    asked in turn."""

    def __init__(
        self, endpoints: OnOneHost, credentials: object | None, buckets: dict[str, TokenBucket]
    ) -> None:
        self.endpoints = endpoints
        self.credentials = credentials
        self.time_sync = TimeSync()
        self.limiter = Limiter(buckets)
        self.client: RestClient | None = None
        self._feeds: list[MarketFeeds] = []
        self._market_streams: list[Stream] = []
        self._streams: list[Stream] = []
        self._account: AccountFeed | None = None
        self._account_stream: Stream | None = None
        self._instruments: dict[str, Instrument] = {}

    # -- made by the adapter's __init__ ------------------------------------------------------

    def rest_client(self, dialect: RestDialect) -> RestClient:
        """The REST client on the venue's host, spending from the limiter, measuring the
        clock again on a skew refusal."""
        self.client = RestClient(
            self.endpoints.rest, dialect, self.limiter, resync=self.time_sync.resync
        )
        return self.client

    def keep_market(self, feeds: MarketFeeds, book_feeds: MarketFeeds | None = None) -> None:
        """Where books, tapes, tickers and candles are kept (books on a connection of their
        own where the venue sends them apart)."""
        self._feeds = [feeds] if book_feeds is None else [feeds, book_feeds]
        self.live = LiveMarket(feeds, book_feeds)

    def add_market_stream(self, stream: Stream) -> Stream:
        """A public stream, opened with the venue."""
        self._market_streams.append(stream)
        self._streams.append(stream)
        return stream

    def add_account_stream(self, feed: AccountFeed, stream: Stream) -> Stream:
        """The account's stream, opened when the account is watched."""
        self._account, self._account_stream = feed, stream
        self._streams.append(stream)
        return stream

    @property
    def key_kind(self) -> str:
        """How the key signs (`hmac`, or Binance's `ed25519`, which logs a WebSocket
        session on): a replay signs as the recording did, to make the same requests."""
        return "hmac"

    def record_to(self, recorder: Recorder) -> None:
        """Send every frame and REST exchange to `recorder` too, account streams redacted."""
        if self.client is not None:
            self.client.recorder = recorder
        for stream in self._streams:
            stream.recorder = recorder
            stream.private = stream not in self._market_streams

    def replay_from(self, player: Player) -> None:
        """Take every frame and REST answer from `player`'s recording instead of the venue."""
        if self.client is not None:
            self.client.use_transport(player.transport)
        for stream in self._streams:
            stream.connect = player.connect(stream.status.name)
            stream.framing = as_sent  # recorded as the handler took them

    # -- what a venue fetches ----------------------------------------------------------------

    async def _server_time(self) -> int:
        """The venue's clock, in ms."""
        raise NotImplementedError

    async def _opened(self) -> None:
        """What the venue needs read once its symbols are known (Huobi: the account id)."""

    async def _closing(self) -> None:
        """What the venue needs said once its streams are stopped (WEEX: the listenKey
        closed), with the REST client still open."""

    async def _open_orders(self, symbol: str | None) -> list[Order]:
        """The open orders on `symbol` (on every symbol with None, where the venue can)."""
        raise NotImplementedError

    async def _read_instruments(self) -> dict[str, Instrument]:
        """The venue's tradable symbols, read from its reference endpoint."""
        raise NotImplementedError

    async def _snapshot(self, symbol: str, levels: int) -> BookSnapshot:
        """The book as the venue serves it whole, at least `levels` a side where it can."""
        raise NotImplementedError

    async def _read_tickers(self) -> list[Ticker]:
        """The venue's all-symbols ticker, each row in the console's spelling."""
        raise NotImplementedError

    async def _recent_trades(self, symbol: str) -> list[Trade]:
        """The latest prints, oldest first, for a new tape."""
        raise NotImplementedError

    async def _candle_history(self, symbol: str, interval: Interval) -> list[Candle]:
        """The candles before now, oldest first."""
        raise NotImplementedError

    async def fee_rates(self, symbol: str) -> Fees:
        return self.capabilities.fees

    # -- life ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Measure the clock (and keep measuring it), read the symbols, open the market
        streams."""
        await self.time_sync.measure(self._server_time)
        self.time_sync.keep()
        self._instruments = await self._read_instruments()
        await self._opened()
        for stream in self._market_streams:
            stream.start()

    async def close(self) -> None:
        await self.time_sync.stop()
        for feeds in self._feeds:
            feeds.close()
        for stream in self._streams:
            await stream.stop()
        await self._closing()
        if self.client is not None:
            await self.client.close()

    @property
    def streams(self) -> list[StreamStatus]:
        return [stream.status for stream in self._streams]

    async def server_time(self) -> int:
        return await self._server_time()

    def rate_usage(self) -> tuple[int, int] | None:
        return self.limiter.usage(self.rate_bucket)

    async def watch_account(self, sink: AccountSink) -> None:
        if self._account is None or self._account_stream is None:
            raise AuthError(msg=f"the {self.title} account stream needs an API key")
        self._account.sink = sink
        self._account_stream.start()

    async def open_orders(self, symbol: str | None = None) -> list[Order]:
        if symbol is not None or not self.open_orders_per_symbol:
            return await self._open_orders(symbol)
        orders = []
        for each in sorted(self._instruments):
            orders += await self._open_orders(each)
        return orders

    async def cancel_all_after(self, seconds: float) -> None:
        raise InvalidOrder(msg=f"{self.title} has no dead-man's switch of its own")

    async def replace(self, old: Order, request: OrderRequest) -> tuple[Order, Order]:
        raise InvalidOrder(msg=f"{self.title} cannot cancel and place in one request")

    async def place_oco(
        self, limit: OrderRequest, stop: OrderRequest, list_id: str
    ) -> tuple[Order, Order]:
        raise InvalidOrder(msg=f"{self.title} takes no one-cancels-other pair")

    @property
    def authenticated(self) -> bool:
        return self.credentials is not None

    @property
    def rest_url(self) -> str:
        return self.endpoints.rest

    @property
    def clock_offset_ms(self) -> int | None:
        return self.time_sync.offset_ms

    async def instruments(self) -> dict[str, Instrument]:
        if not self._instruments:
            self._instruments = await self._read_instruments()
        return self._instruments

    async def day_tickers(self) -> dict[str, Ticker]:
        """Every listed symbol's ticker (a row for a symbol not traded here is left out)."""
        listed = await self.instruments()
        return {row.symbol: row for row in await self._read_tickers() if row.symbol in listed}

    def instrument(self, symbol: str) -> Instrument:
        try:
            return self._instruments[symbol]
        except KeyError:
            raise InvalidOrder(msg=f"{symbol} is not a tradable {self.title} symbol") from None

    def book(self, symbol: str) -> LiveBook:
        inst = self.instrument(symbol)
        snapshot = partial(self._snapshot, symbol)
        return self.live.book(
            symbol,
            inst.tick_size,
            inst.lot_size,
            snapshot,
            self.snapshot_levels,
            self.capabilities.book_size_step,
            self.capabilities.book_integrity,
        )

    def trades(self, symbol: str) -> LiveTrades:
        self.instrument(symbol)
        return self.live.trades(symbol, partial(self._recent_trades, symbol))

    async def candles(self, symbol: str, interval: Interval) -> LiveCandles:
        if interval not in self.capabilities.kline_intervals:
            raise InvalidOrder(msg=f"{self.title} has no {interval} candles")
        interval = Interval(interval)  # a caller's plain "1m" is the same length
        self.instrument(symbol)
        history = partial(self._candle_history, symbol, interval)
        return await self.live.candles(symbol, interval, history)

    def ticker(self, symbol: str) -> LiveTicker:
        self.instrument(symbol)
        return self.live.ticker(symbol)

    def release(self, symbol: str) -> None:
        self.live.release(symbol)
