"""What every adapter keeps the same way: its instruments (read once, looked up by
symbol), its clock offset, whether a key is configured, and the books, tapes, candles,
tickers and releases of the market data it keeps in a `LiveMarket`; an adapter supplies
only its fetches (`_snapshot`, `_recent_trades`, `_candle_history`)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Self

from console.errors import InvalidOrder
from console.model import BookSnapshot, Candle, Instrument, Interval, Trade
from console.net.clock import TimeSync
from console.venues.base import Capabilities, Fees
from console.venues.feeds import LiveBook, LiveCandles, LiveTicker, LiveTrades
from console.venues.live import LiveMarket


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


class VenueBasics:
    title: str
    """The venue's name as a trader writes it, for messages."""
    capabilities: Capabilities
    snapshot_levels: tuple[int, ...]
    """The book snapshot sizes the venue serves, smallest first."""
    credentials: object | None
    endpoints: OnOneHost
    time_sync: TimeSync
    live: LiveMarket
    _instruments: dict[str, Instrument]

    async def _read_instruments(self) -> dict[str, Instrument]:
        """The venue's tradable symbols, read from its reference endpoint."""
        raise NotImplementedError

    async def _snapshot(self, symbol: str, levels: int) -> BookSnapshot:
        """The book as the venue serves it whole, at least `levels` a side where it can."""
        raise NotImplementedError

    async def _recent_trades(self, symbol: str) -> list[Trade]:
        """The latest prints, oldest first, for a new tape."""
        raise NotImplementedError

    async def _candle_history(self, symbol: str, interval: Interval) -> list[Candle]:
        """The candles before now, oldest first."""
        raise NotImplementedError

    async def fee_rates(self, symbol: str) -> Fees:
        return self.capabilities.fees

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
