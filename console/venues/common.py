"""What every adapter keeps the same way: its instruments (read once, looked up by
symbol), its clock offset, whether a key is configured, and the tickers and releases of
the market data it keeps in a `LiveMarket`."""

from __future__ import annotations

from decimal import Decimal

from console.errors import InvalidOrder
from console.model import Instrument
from console.net.clock import TimeSync
from console.venues.feeds import LiveTicker
from console.venues.live import LiveMarket


def exact(text: str) -> Decimal:
    """A figure sent as text (`"0.001000000000000000"`) without its padding zeros."""
    value = Decimal(text)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class VenueBasics:
    title: str
    """The venue's name as a trader writes it, for messages."""
    credentials: object | None
    time_sync: TimeSync
    live: LiveMarket
    _instruments: dict[str, Instrument]

    async def _read_instruments(self) -> dict[str, Instrument]:
        """The venue's tradable symbols, read from its reference endpoint."""
        raise NotImplementedError

    @property
    def authenticated(self) -> bool:
        return self.credentials is not None

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

    def ticker(self, symbol: str) -> LiveTicker:
        self.instrument(symbol)
        return self.live.ticker(symbol)

    def release(self, symbol: str) -> None:
        self.live.release(symbol)
