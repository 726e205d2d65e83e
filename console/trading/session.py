"""A trading session: one venue, the symbol on screen, its live state, and the orders.

What the screen reads lives here, kept current by the venue's streams; the screen never
awaits the network to draw. Switching symbol swaps the live book, tape and candles; orders
and balances are the account's and stay.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from console.config import Config
from console.errors import VenueError
from console.model import Instrument
from console.trading.deadman import DeadMansSwitch
from console.trading.journal import Journal
from console.trading.orders import UNRESOLVED, OrderManager
from console.venues.base import Venue
from console.venues.feeds import LiveBook, LiveCandles, LiveTrades

log = logging.getLogger(__name__)

CANDLE_INTERVALS = ("1m", "5m", "15m", "1h", "4h", "1d")
CLOSE_TIMEOUT = 3.0


@dataclass
class Market:
    """The live state of the symbol on screen."""

    instrument: Instrument
    book: LiveBook
    trades: LiveTrades
    candles: dict[str, LiveCandles] = field(default_factory=dict)


class TradingSession:
    def __init__(
        self, venue: Venue, config: Config, environment: str, journal: Journal | None = None
    ) -> None:
        self.venue = venue
        self.config = config
        self.environment = environment
        """Where orders go, as the screen says it: SIM, TESTNET, LIVE or CUSTOM."""
        self.journal = journal
        self.orders = OrderManager(venue, journal)
        self.deadman = DeadMansSwitch(venue, self.orders, config.deadman_seconds)
        self.instruments: dict[str, Instrument] = {}
        self.market: Market | None = None
        self.clock_offset_ms: int | None = None
        self.error: str | None = None
        self.waiting: str | None = None
        """Why the screen has no market yet (the venue is being retried), for the status bar."""

    @property
    def can_trade(self) -> bool:
        return self.orders.user_stream_live and not self.deadman.blocks_orders

    async def start(self) -> None:
        """Connect, learn the instruments, follow the configured symbol and the account."""
        await self.venue.start()
        self.instruments = await self.venue.instruments()
        symbol = (
            self.config.symbol
            if self.config.symbol in self.instruments
            else next(iter(self.instruments))
        )
        await self.follow(symbol)
        self.orders.recover()
        try:
            await self.venue.watch_account(self.orders)
        except VenueError as error:
            self.error = f"no account stream: {error}"

    async def follow(self, symbol: str) -> Market:
        """Show `symbol`: its book, its tape and candles of the configured intervals."""
        instrument = self.instruments[symbol]
        previous = self.market
        if previous is not None and previous.instrument.symbol != symbol:
            self.venue.release(previous.instrument.symbol)
        market = Market(instrument, self.venue.book(symbol), self.venue.trades(symbol))
        self.market = market
        for interval in CANDLE_INTERVALS:
            try:
                market.candles[interval] = await self.venue.candles(symbol, interval)
            except VenueError as error:
                log.warning("%s %s candles unavailable: %s", symbol, interval, error)
        return market

    def mid(self) -> Decimal | None:
        return self.market.book.book.mid if self.market else None

    async def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Apply the quit policy, stop looking orders up, close the venue and the journal,
        never waiting on the network for more than `timeout` seconds each: a venue that is
        unreachable must not hold the trader."""
        if self.config.on_quit == "cancel":
            await self.cancel_own(timeout)
        await self.orders.stop()
        try:
            await asyncio.wait_for(self.venue.close(), timeout)
        except TimeoutError:
            log.warning("the venue did not close within %.0fs; leaving it", timeout)
        if self.journal is not None:
            self.journal.close()

    async def cancel_own(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Cancel every open order this console placed (other programs' orders on the
        account are theirs to keep), waiting at most `timeout` seconds for the answers."""
        own = [o for o in self.orders.open_orders() if self.orders.placed_here(o)]
        if not own:
            return
        log.warning("cancelling the %d orders this console placed before it goes", len(own))
        cancels = [self.orders.cancel(o.client_order_id) for o in own]
        try:
            results = await asyncio.wait_for(
                asyncio.gather(*cancels, return_exceptions=True), timeout
            )
        except TimeoutError:
            log.warning("cancels unanswered after %.0fs", timeout)
            return
        for order, result in zip(own, results, strict=True):
            if isinstance(result, BaseException):
                log.warning("%s: not cancelled: %s", order.client_order_id, result)

    def left_behind(self) -> str | None:
        """What stays on the venue when the console goes, in a line for the trader."""
        resting = [o for o in self.orders.open_orders() if o.status not in UNRESOLVED]
        unknown = self.orders.unresolved()
        parts = []
        if resting:
            parts.append(f"{len(resting)} order{'s' * (len(resting) != 1)} resting")
        if unknown:
            ids = ", ".join(o.client_order_id for o in unknown)
            parts.append(f"{len(unknown)} whose outcome is UNKNOWN ({ids})")
        if not parts:
            return None
        return f"left on {self.venue.name}: " + " and ".join(parts)
