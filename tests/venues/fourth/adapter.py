"""A fourth venue, written as a maintainer would add one, to prove the venue contract holds
for a venue unlike the three: its book changes carry a CRC32 checksum of the top levels
(OKX's rule), its client order ids are 1-32 letters and digits, it has regional hosts,
and its own fees. It lives in the tests: everything it needs of the console is the
contract in `console/venues/` (`VenueBasics`, `Capabilities`, `VenueEntry`, `Integrity`,
`MarketDialect`), and nothing outside its own package changes for it.

Its REST side is not exercised here (no simulator dialect speaks it): instruments and the
book snapshot are the venue's answers as the tests set them.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from console.book import Integrity, OrderBook
from console.config import ConfigError, Credentials
from console.errors import VenueError
from console.model import BookDelta, BookSnapshot, Instrument, Interval, Side, Ticker
from console.net.limiter import Limiter, TokenBucket
from console.net.rest import Prepared, Request
from console.net.stream import Stream, StreamRules
from console.venues.base import (
    ALPHANUMERIC,
    Capabilities,
    Fees,
    IdPolicy,
    SimAccess,
    Venue,
    VenueEntry,
)
from console.venues.common import OnOneHost, VenueBasics
from console.venues.market import MarketFeeds

CHECKSUM_LEVELS = 25


def crc32_of_top(book: OrderBook) -> int:
    """OKX's book checksum: bid and ask of each of the top 25 levels interleaved as
    `price:size`, joined by `:`, CRC32 as a signed 32-bit integer."""
    bids = book.top(Side.BUY, CHECKSUM_LEVELS)
    asks = book.top(Side.SELL, CHECKSUM_LEVELS)
    parts: list[str] = []
    for i in range(max(len(bids), len(asks))):
        for levels in (bids, asks):
            if i < len(levels):
                ticks, lots = levels[i]
                parts += [str(book.prices.value(ticks)), str(book.sizes.value(lots))]
    crc = zlib.crc32(":".join(parts).encode())
    return crc - (1 << 32) if crc >= 1 << 31 else crc


CAPABILITIES = Capabilities(
    venue_dead_mans_switch=False,
    market_buy_in_quote=False,
    ids=IdPolicy(32, ALPHANUMERIC),
    fees=Fees(maker=Decimal("0.0008"), taker=Decimal("0.001")),
    order_types=frozenset(),
    kline_intervals={Interval.M1: "1m"},
    rate_unit="requests",
    book_integrity=Integrity(checksum=crc32_of_top),
)


@dataclass(frozen=True)
class FourthEndpoints(OnOneHost):
    rest: str
    public: str

    @classmethod
    def custom(cls, rest: str, ws: str) -> FourthEndpoints:
        return cls(rest.rstrip("/"), f"{ws.rstrip('/')}/ws/v5/public")


ENVIRONMENTS = {
    "production": FourthEndpoints("https://www.okx.com", "wss://ws.okx.com:8443/ws/v5/public"),
    "eea": FourthEndpoints("https://eea.okx.com", "wss://wseea.okx.com:8443/ws/v5/public"),
    "us": FourthEndpoints("https://us.okx.com", "wss://wsus.okx.com:8443/ws/v5/public"),
}


class FourthDialect:
    """Book channel frames: `{"arg": {"instId": ...}, "data": [{"bids", "asks", "seqId",
    "prevSeqId", "checksum"}]}`."""

    topics_per_request = 10
    request_spacing = 0.0

    def book_topic(self, symbol: str) -> str:
        return f"books:{symbol}"

    def trades_topic(self, symbol: str) -> str:
        return f"trades:{symbol}"

    def candles_topic(self, symbol: str, interval: Interval) -> str:
        return f"candle{interval}:{symbol}"

    def ticker_topics(self, symbol: str) -> list[str]:
        return [f"tickers:{symbol}"]

    def subscribe(self, topics: list[str]) -> list[str]:
        return [json.dumps({"op": "subscribe", "args": topics})]

    def unsubscribe(self, topics: list[str]) -> list[str]:
        return [json.dumps({"op": "unsubscribe", "args": topics})]

    def on_frame(self, frame: str | bytes, feeds: MarketFeeds) -> str | None:
        message = json.loads(frame)
        symbol = message["arg"]["instId"]
        book = feeds.books.get(symbol)
        for data in message["data"]:
            delta = BookDelta(
                symbol,
                data["seqId"],
                data["seqId"],
                [(p, q) for p, q in data["bids"]],
                [(p, q) for p, q in data["asks"]],
                data["prevSeqId"],
                data["checksum"],
            )
            if book is not None:
                book.on_delta(delta)
        return None


class FourthRest:
    """Unsigned JSON requests; the venue's errors are its `code` and `msg`."""

    def prepare(self, request: Request) -> Prepared:
        query = "&".join(f"{k}={v}" for k, v in request.params.items())
        return Prepared(request.path + (f"?{query}" if query else ""), None, {})

    def error(self, status: int, body: bytes, retry_after: float) -> VenueError:
        return VenueError(status, body.decode(errors="replace"))

    def unwrap(self, body: bytes) -> bytes:
        return body

    def observe(self, headers: Mapping[str, str], limiter: Limiter, request: Request) -> None:
        """The venue sends no usage headers."""


class FourthVenue(VenueBasics):
    title = "OKX"
    name = "fourth"
    capabilities = CAPABILITIES
    snapshot_levels = (400,)
    rate_bucket = "public"

    def __init__(self, endpoints: FourthEndpoints, credentials: Credentials | None) -> None:
        super().__init__(endpoints, credentials, {"public": TokenBucket(20, 2.0)})
        self.rest_client(FourthRest())
        self.market = MarketFeeds(FourthDialect())
        self.keep_market(self.market)
        self.add_market_stream(Stream("market", endpoints.public, self.market, StreamRules()))
        self.listed: dict[str, Instrument] = {}
        """The venue's instruments, as the tests have it answer."""
        self.snapshots: list[BookSnapshot] = []
        self.tickers: list[Ticker] = []
        """The book snapshots it answers, in turn."""

    async def _read_instruments(self) -> dict[str, Instrument]:
        return self.listed

    async def _snapshot(self, symbol: str, levels: int) -> BookSnapshot:
        return self.snapshots.pop(0)

    async def _read_tickers(self) -> list[Ticker]:
        return self.tickers


def connect(env: str, rest: str, ws: str, credentials: Credentials | None, api: str) -> Venue:
    endpoints = FourthEndpoints.custom(rest, ws) if env == "custom" else ENVIRONMENTS[env]
    return FourthVenue(endpoints, credentials)


def on_simulator(base_url: str, api: str) -> tuple[Venue, SimAccess]:
    raise ConfigError("the simulator speaks no fourth dialect")


ENTRY = VenueEntry(
    name="fourth",
    environments={name: endpoints.rest for name, endpoints in ENVIRONMENTS.items()},
    connect=connect,
    on_simulator=on_simulator,
    key_fields=("API_KEY", "API_SECRET", "API_PASSPHRASE"),
)
