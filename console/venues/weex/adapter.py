"""The WEEX spot adapter: the `Venue` protocol over either of WEEX's REST APIs (v1 as the
seed documents it, v3 as WEEX recommends; `api.py`), its public market stream and its user
data stream.

Books, prints, candles and tickers come from `/v3/ws/public` (the v1 document has no
market stream); orders, deals and balances from the listenKey stream (`/ws?listenKey=`),
its key made over REST for each connection and kept alive while it lasts. Orders go over
REST. WEEX has no dead-man's switch of its own: the console's client-side switch guards
resting orders here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from console.errors import VenueError
from console.model import (
    Balance,
    BookSnapshot,
    Candle,
    Fill,
    Instrument,
    Interval,
    Order,
    OrderType,
    Ticker,
    Trade,
)
from console.net.stream import Stream, StreamRules
from console.venues.base import Capabilities, Fees, IdPolicy, OrderRequest
from console.venues.common import OnOneHost, VenueBasics
from console.venues.market import MarketFeeds
from console.venues.weex.api import APIS, SpotApi
from console.venues.weex.rest import WeexCredentials, WeexDialect, WeexRest, buckets
from console.venues.weex.streams import (
    BOOK_LEVELS,
    KLINE_INTERVALS,
    MARKET_RULES,
    USER_RULES,
    UserSession,
    WeexMarket,
)

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    venue_dead_mans_switch=False,
    market_buy_in_quote=True,
    ids=IdPolicy(36),  # the documents state no rule: Binance's length, no punctuation
    fees=Fees(maker=Decimal("0.001"), taker=Decimal("0.001")),  # the symbol list's example
    # WEEX's spot API places limit and market orders only (no stop, no take-profit)
    order_types=frozenset({OrderType.LIMIT, OrderType.POST_ONLY, OrderType.MARKET}),
    kline_intervals=KLINE_INTERVALS,
    rate_unit="orders",
)
USER_AGENT = {"User-Agent": "trading-console"}
"""WEEX's firewall refuses a WebSocket without a User-Agent (its FAQ's 403)."""
LISTEN_KEY_RENEW = 30 * 60.0
"""A listenKey lives 60 minutes unless kept alive; renewed at half that."""
TAPE_BACKFILL = 100
CANDLE_HISTORY = 500


@dataclass(frozen=True)
class WeexEndpoints(OnOneHost):
    rest: str
    market: str
    user: str

    @classmethod
    def custom(cls, rest: str, ws: str) -> WeexEndpoints:
        ws = ws.rstrip("/")
        return cls(rest.rstrip("/"), f"{ws}/v3/ws/public", f"{ws}/ws")


LIVE = WeexEndpoints(
    "https://api-spot.weex.com",
    "wss://ws-spot.weex.com/v3/ws/public",
    "wss://ws-spot.weex.com/ws",
)
ENVIRONMENTS = {"production": LIVE}


class WeexVenue(VenueBasics):
    title = "WEEX"
    name = "weex"
    capabilities = CAPABILITIES
    snapshot_levels = (BOOK_LEVELS,)
    endpoints: WeexEndpoints

    rate_bucket = "places"
    open_orders_per_symbol = True
    streams_account = True
    """The account has a stream (WEEX's demo has none: it is polled)."""

    def __init__(
        self,
        endpoints: WeexEndpoints = LIVE,
        credentials: WeexCredentials | None = None,
        api: str = next(iter(APIS)),
        market_rules: StreamRules = MARKET_RULES,
        user_rules: StreamRules = USER_RULES,
    ) -> None:
        super().__init__(endpoints, credentials, buckets())
        rest = WeexRest(self.rest_client(WeexDialect(credentials, self.time_sync)))
        self.api: SpotApi = APIS[api](rest)
        self.market_dialect = WeexMarket()
        self.market = MarketFeeds(self.market_dialect)
        self.keep_market(self.market)
        self.market_stream = self.add_market_stream(
            Stream("market", endpoints.market, self.market, market_rules, headers=USER_AGENT)
        )
        self.user_stream: Stream | None = None
        if credentials is not None and self.streams_account:
            user = UserSession()
            self.user_stream = self.add_account_stream(
                user, Stream("user", self._user_address, user, user_rules, headers=USER_AGENT)
            )
        self._listen_key: str | None = None
        self._keepalive: asyncio.Task[None] | None = None

    async def _read_instruments(self) -> dict[str, Instrument]:
        return await self.api.instruments()

    async def _server_time(self) -> int:
        return await self.api.server_time()

    async def _closing(self) -> None:
        """The listenKey is let go, so WEEX need not keep it for its hour."""
        if self._keepalive is not None:
            self._keepalive.cancel()
        if self._listen_key is not None:
            with contextlib.suppress(VenueError):
                await asyncio.wait_for(self.api.rest.close_listen_key(self._listen_key), 2.0)

    # -- market data -------------------------------------------------------------------------

    async def _snapshot(self, symbol: str, levels: int) -> BookSnapshot:
        """The top levels a depth subscription opens with (asked for again if taken)."""
        return await self.market_dialect.snapshot(self.market, symbol)

    async def _recent_trades(self, symbol: str) -> list[Trade]:
        return await self.api.recent_trades(symbol, TAPE_BACKFILL)

    async def _candle_history(self, symbol: str, interval: Interval) -> list[Candle]:
        return await self.api.candles(symbol, interval, CANDLE_HISTORY)

    # -- account -----------------------------------------------------------------------------

    async def _user_address(self) -> str:
        """A listenKey for each connection (the last one closed first), kept alive while
        the connection lasts."""
        if self._keepalive is not None:
            self._keepalive.cancel()
        if self._listen_key is not None:
            with contextlib.suppress(VenueError):
                await self.api.rest.close_listen_key(self._listen_key)
            self._listen_key = None
        self._listen_key = await self.api.rest.create_listen_key()
        self._keepalive = asyncio.create_task(self._keep_alive(self._listen_key))
        return f"{self.endpoints.user}?listenKey={self._listen_key}"

    async def _keep_alive(self, key: str) -> None:
        while True:
            await asyncio.sleep(LISTEN_KEY_RENEW)
            try:
                await self.api.rest.keep_listen_key(key)
            except VenueError as error:
                log.warning("WEEX listenKey not kept alive: %s; reconnecting", error)
                if self.user_stream is not None:
                    self.user_stream.reconnect("listenKey lost")
                return

    async def _read_tickers(self) -> list[Ticker]:
        return await self.api.day_tickers()

    async def fee_rates(self, symbol: str) -> Fees:
        """The rates WEEX's symbol list states for the symbol, read afresh."""
        await self.api.instruments()
        return self.api.fees.get(symbol, self.capabilities.fees)

    async def balances(self) -> list[Balance]:
        return await self.api.balances()

    async def place(self, request: OrderRequest) -> Order:
        self.instrument(request.symbol)
        return await self.api.place(request)

    async def cancel(self, symbol: str, client_order_id: str) -> Order:
        return await self.api.cancel(symbol, client_order_id)

    async def cancel_all(self, symbol: str) -> list[Order]:
        return await self.api.cancel_all(symbol)

    async def order(self, symbol: str, client_order_id: str) -> Order:
        return await self.api.order(symbol, client_order_id)

    async def _open_orders(self, symbol: str | None) -> list[Order]:
        assert symbol is not None, "WEEX lists open orders one symbol at a time"
        return await self.api.open_orders(symbol)

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]:
        return await self.api.fills(symbol, since_ms)
