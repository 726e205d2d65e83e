"""The Binance spot adapter: the `Venue` protocol over REST and the two streams.

Endpoints are data here; the live hosts are Binance's, the simulator's come from its own
start-up. Orders go over the WebSocket API when a session is logged on (Ed25519), since the
connection is already open, and over REST otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

from console.config import ConfigError, Credentials
from console.errors import AuthError, ClockSkew, InvalidOrder
from console.model import (
    Balance,
    BookSnapshot,
    Candle,
    Fill,
    Instrument,
    Interval,
    Order,
    OrderType,
    Side,
    Ticker,
    TimeInForce,
    Trade,
)
from console.net.stream import Stream, StreamRules, StreamState
from console.venues.base import (
    ALPHANUMERIC,
    Capabilities,
    Fees,
    IdPolicy,
    OrderRequest,
    SimAccess,
    VenueEntry,
)
from console.venues.binance import convert, schemas
from console.venues.binance.rest import (
    DEFAULT_RECV_WINDOW_MS,
    DEPTH_WEIGHTS,
    MY_TRADES_PAGE,
    WEIGHTS,
    BinanceDialect,
    BinanceRest,
    bootstrap_buckets,
    limiter_buckets,
)
from console.venues.binance.signing import Ed25519Signer, HmacSigner, Signer
from console.venues.binance.streams import MARKET_RULES, WS_API_RULES, BinanceMarket, WsApiSession
from console.venues.common import OnOneHost, VenueBasics, all_pages, plain
from console.venues.market import MarketFeeds


@dataclass(frozen=True)
class BinanceEndpoints(OnOneHost):
    rest: str
    streams: str
    """Base of the market streams; the combined stream is `<streams>/stream`."""
    ws_api: str

    @classmethod
    def custom(cls, rest: str, ws: str) -> BinanceEndpoints:
        """A REST base and a WebSocket base laid out as Binance's (`/stream`, `/ws-api/v3`),
        as `trading-console sim` serves them."""
        ws = ws.rstrip("/")
        return cls(rest=rest.rstrip("/"), streams=ws, ws_api=f"{ws}/ws-api/v3")


LIVE = BinanceEndpoints(
    rest="https://api.binance.com",
    streams="wss://stream.binance.com:9443",
    ws_api="wss://ws-api.binance.com:443/ws-api/v3",
)
TESTNET = BinanceEndpoints(
    rest="https://testnet.binance.vision",
    streams="wss://stream.testnet.binance.vision:9443",
    ws_api="wss://ws-api.testnet.binance.vision/ws-api/v3",
)
"""Binance's spot testnet: its own keys, test funds, the same API."""
ENVIRONMENTS = {"production": LIVE, "testnet": TESTNET}
KLINE_INTERVALS = {interval: interval.value for interval in Interval}
"""Binance serves every length and spells each as the console does."""
CAPABILITIES = Capabilities(
    venue_dead_mans_switch=False,
    market_buy_in_quote=False,
    ids=IdPolicy(36, ALPHANUMERIC + "-_.:/"),  # newClientOrderId: ^[\.A-Z\:/a-z0-9_-]{1,36}$
    fees=Fees(maker=Decimal("0.001"), taker=Decimal("0.001")),  # the base tier, VIP 0
    order_types=frozenset(OrderType),
    kline_intervals=KLINE_INTERVALS,
    replaces=True,
    oco=True,
)
log = logging.getLogger(__name__)

SNAPSHOT_LEVELS = tuple(top for top, _ in DEPTH_WEIGHTS)
TAPE_BACKFILL = 100
"""Recent prints fetched when a tape opens (GET /api/v3/aggTrades, weight 4)."""


@dataclass(frozen=True)
class BinanceCredentials:
    api_key: str
    secret: str | None = None
    ed25519_key: Ed25519PrivateKey | None = None

    def signer(self) -> Signer:
        if self.ed25519_key is not None:
            return Ed25519Signer(self.ed25519_key)
        if self.secret:
            return HmacSigner(self.secret)
        raise AuthError(msg="a Binance key needs its HMAC secret or an Ed25519 private key")

    def __repr__(self) -> str:
        return f"BinanceCredentials(api_key={self.api_key[:6]}…)"


class BinanceVenue(VenueBasics):
    @property
    def key_kind(self) -> str:
        credentials = self.credentials
        if isinstance(credentials, BinanceCredentials) and credentials.ed25519_key is not None:
            return "ed25519"
        return "hmac"

    title = "Binance"
    name = "binance"
    capabilities = CAPABILITIES
    snapshot_levels = SNAPSHOT_LEVELS
    rate_bucket = "weight"

    def __init__(
        self,
        endpoints: BinanceEndpoints = LIVE,
        credentials: BinanceCredentials | None = None,
        recv_window_ms: int = DEFAULT_RECV_WINDOW_MS,
        market_rules: StreamRules = MARKET_RULES,
        user_rules: StreamRules = WS_API_RULES,
    ) -> None:
        super().__init__(endpoints, credentials, bootstrap_buckets())
        signer = credentials.signer() if credentials else None
        dialect = BinanceDialect(
            credentials.api_key if credentials else None, signer, self.time_sync, recv_window_ms
        )
        self.rest = BinanceRest(self.rest_client(dialect))
        self.market = MarketFeeds(BinanceMarket())
        self.keep_market(self.market)
        self.market_stream = self.add_market_stream(
            Stream("market", f"{endpoints.streams}/stream", self.market, market_rules)
        )
        self.ws_api: WsApiSession | None = None
        self.ws_api_stream: Stream | None = None
        if credentials is not None and signer is not None:
            self.ws_api = WsApiSession(
                credentials.api_key, signer, self.time_sync.now_ms, recv_window_ms
            )
            self.ws_api_stream = self.add_account_stream(
                self.ws_api, Stream("user", endpoints.ws_api, self.ws_api, user_rules)
            )
        self._order = schemas.ORDER_ANSWER
        self._orders = schemas.ORDER_ANSWERS

    async def _read_instruments(self) -> dict[str, Instrument]:
        """exchangeInfo: the symbols that trade, and the limits the venue publishes."""
        info = await self.rest.exchange_info()
        self.limiter.buckets.update(limiter_buckets(info.rateLimits))
        return {s.symbol: convert.instrument(s) for s in info.symbols if s.status == "TRADING"}

    async def _server_time(self) -> int:
        return await self.rest.server_time()

    # -- market data -------------------------------------------------------------------------

    async def _snapshot(self, symbol: str, levels: int) -> BookSnapshot:
        return convert.snapshot(symbol, await self.rest.depth(symbol, levels))

    async def _recent_trades(self, symbol: str) -> list[Trade]:
        rows = await self.rest.agg_trades(symbol, TAPE_BACKFILL)
        return [convert.agg_trade(symbol, row) for row in rows]

    async def _candle_history(self, symbol: str, interval: Interval) -> list[Candle]:
        rows = await self.rest.klines(symbol, KLINE_INTERVALS[interval])
        now = self.time_sync.now_ms()
        return [convert.candle_row(symbol, interval, r, now) for r in rows]

    # -- account -----------------------------------------------------------------------------

    async def _read_tickers(self) -> list[Ticker]:
        return [convert.day_ticker(row) for row in await self.rest.day_tickers()]

    async def fee_rates(self, symbol: str) -> Fees:
        """The account's commission rates (the same on every symbol); the base tier
        without a key."""
        if self.credentials is None:
            return self.capabilities.fees
        rates = (await self.rest.account()).commissionRates
        return self.capabilities.fees if rates is None else Fees(rates.maker, rates.taker)

    async def balances(self) -> list[Balance]:
        return convert.account_balances(await self.rest.account())

    async def place(self, request: OrderRequest) -> Order:
        params = self._order_params(request)
        if self._ws_orders():
            costs = {"weight": WEIGHTS["order.post"], **self.rest.order_costs()}
            raw = await self._ws_order_call("order.place", dict(params), costs)
            return convert.order(self._order.decode(raw))
        return convert.order(await self.rest.place(params))

    def _ws_orders(self) -> bool:
        """Orders take the WebSocket API while it is logged on and heard; REST otherwise."""
        return (
            self.ws_api is not None
            and self.ws_api.logged_on
            and self.ws_api_stream is not None
            and self.ws_api_stream.status.state is StreamState.LIVE
        )

    async def _ws_order_call(
        self, method: str, params: dict[str, str], costs: dict[str, int]
    ) -> msgspec.Raw:
        """A WebSocket API request counts against the same IP weight and order counts as
        REST, so it spends from the same limiter first (and, as an order, never queues)."""
        assert self.ws_api is not None
        await self.limiter.acquire(costs, wait=False, priority=True)
        try:
            return await self.ws_api.call(method, params)
        except ClockSkew as error:
            log.warning("%s: %s; measuring the clock again", method, error)
            await self.time_sync.resync()
            await self.limiter.acquire(costs, wait=False, priority=True)
            return await self.ws_api.call(method, params)

    def _order_params(self, request: OrderRequest) -> dict[str, str]:
        params = {
            "symbol": request.symbol,
            "side": request.side.value,
            "type": convert.WIRE_ORDER_TYPES[request.type],
        }
        if request.type in (OrderType.LIMIT, OrderType.STOP_LIMIT, OrderType.TAKE_PROFIT_LIMIT):
            params["timeInForce"] = request.time_in_force.value
        elif request.time_in_force is not TimeInForce.GTC:
            raise InvalidOrder(msg=f"{request.type} orders take no time in force on Binance")
        if request.quote_qty is not None:
            params["quoteOrderQty"] = plain(request.quote_qty)
        elif request.qty is not None:
            params["quantity"] = plain(request.qty)
        if request.price is not None:
            params["price"] = plain(request.price)
        if request.trigger is not None:
            params["stopPrice"] = plain(request.trigger)
        params["newClientOrderId"] = request.client_order_id
        params["newOrderRespType"] = "RESULT"
        return params

    async def cancel(self, symbol: str, client_order_id: str) -> Order:
        if self._ws_orders():
            raw = await self._ws_order_call(
                "order.cancel",
                {"symbol": symbol, "origClientOrderId": client_order_id},
                {"weight": WEIGHTS["order.delete"]},
            )
            return convert.order(self._order.decode(raw))
        return convert.order(await self.rest.cancel(symbol, client_order_id))

    async def replace(self, old: Order, request: OrderRequest) -> tuple[Order, Order]:
        """cancelReplace with STOP_ON_FAILURE and ONLY_NEW: the new order is placed only if
        the old one is cancelled before any of it traded, so a move never adds to a fill
        the trader has not seen."""
        params = {
            **self._order_params(request),
            "cancelReplaceMode": "STOP_ON_FAILURE",
            "cancelOrigClientOrderId": old.client_order_id,
            "cancelRestrictions": "ONLY_NEW",
        }
        if self._ws_orders():
            costs = {"weight": WEIGHTS["order.cancelReplace"], **self.rest.order_costs()}
            raw = await self._ws_order_call("order.cancelReplace", params, costs)
            answer = schemas.REPLACE_ANSWER.decode(raw)
        else:
            answer = await self.rest.cancel_replace(params)
        return convert.order(answer.cancelResponse), convert.order(answer.newOrderResponse)

    async def place_oco(
        self, limit: OrderRequest, stop: OrderRequest, list_id: str
    ) -> tuple[Order, Order]:
        """orderList/oco: the limit leg a LIMIT_MAKER and the stop a STOP_LOSS; a sell's
        limit is the leg above the market, a buy's the one below."""
        if limit.qty is None or limit.price is None or stop.trigger is None:
            raise InvalidOrder(msg="a one-cancels-other pair needs a size, a price and a trigger")
        above, below = (limit, stop) if limit.side is Side.SELL else (stop, limit)
        params = {
            "symbol": limit.symbol,
            "side": limit.side.value,
            "quantity": plain(limit.qty),
            "listClientOrderId": list_id,
            "newOrderRespType": "RESULT",
        }
        for name, leg in (("above", above), ("below", below)):
            if leg is limit:
                params[f"{name}Type"] = "LIMIT_MAKER"
                params[f"{name}Price"] = plain(limit.price)
            else:
                params[f"{name}Type"] = "STOP_LOSS"
                params[f"{name}StopPrice"] = plain(stop.trigger)
            params[f"{name}ClientOrderId"] = leg.client_order_id
        if self._ws_orders():
            costs = {"weight": WEIGHTS["orderList.oco"], **self.rest.order_costs(2)}
            raw = await self._ws_order_call("orderList.place.oco", params, costs)
            answer = schemas.LIST_ANSWER.decode(raw)
        else:
            answer = await self.rest.place_oco(params)
        orders = {o.client_order_id: o for o in map(convert.order, answer.orderReports)}
        return orders[limit.client_order_id], orders[stop.client_order_id]

    async def cancel_all(self, symbol: str) -> list[Order]:
        if self._ws_orders():
            raw = await self._ws_order_call(
                "openOrders.cancelAll", {"symbol": symbol}, {"weight": WEIGHTS["openOrders.delete"]}
            )
            return [convert.order(a) for a in self._orders.decode(raw)]
        return [convert.order(a) for a in await self.rest.cancel_all(symbol)]

    async def order(self, symbol: str, client_order_id: str) -> Order:
        return convert.order(await self.rest.order(symbol, client_order_id))

    async def _open_orders(self, symbol: str | None) -> list[Order]:
        return [convert.order(a) for a in await self.rest.open_orders(symbol)]

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]:
        """From `since_ms` on, then a page at a time from the last trade of the one before:
        from that trade itself, as a trade between two of the account's own orders is two
        rows under one id, which a page may split."""

        def fetch(from_id: int | None) -> Awaitable[list[schemas.MyTrade]]:
            return self.rest.my_trades(symbol, since_ms, from_id)

        rows = await all_pages(
            fetch, MY_TRADES_PAGE, lambda page: max(row.id for row in page), _fill_key
        )
        return [convert.my_trade(row) for row in sorted(rows, key=_fill_key)]


def _fill_key(row: schemas.MyTrade) -> tuple[int, int]:
    """A fill is a trade of one order: a self-trade is one trade id for two fills."""
    return row.id, row.orderId


def credentials_from(credentials: Credentials) -> BinanceCredentials:
    """The configured key: an Ed25519 private key file (needed for session.logon) or an
    HMAC secret."""
    key_file = credentials.get("ED25519_KEY_FILE")
    if key_file is not None:
        try:
            key = load_pem_private_key(Path(key_file).read_bytes(), password=None)
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot read {key_file}: {error}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(f"{key_file} is not an Ed25519 private key")
        return BinanceCredentials(credentials.api_key, ed25519_key=key)
    return BinanceCredentials(credentials.api_key, secret=credentials.get("API_SECRET"))


def connect(
    env: str, rest: str, ws: str, credentials: Credentials | None, api: str = ""
) -> BinanceVenue:
    endpoints = BinanceEndpoints.custom(rest, ws) if env == "custom" else ENVIRONMENTS[env]
    return BinanceVenue(endpoints, credentials_from(credentials) if credentials else None)


def on_simulator(base_url: str, api: str = "") -> tuple[BinanceVenue, SimAccess]:
    """Logged on to the simulator with a fresh Ed25519 key, as on Binance with session.logon."""
    key = Ed25519PrivateKey.generate()
    venue = BinanceVenue(
        BinanceEndpoints.on(base_url), BinanceCredentials(SIM_API_KEY, ed25519_key=key)
    )
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return venue, SimAccess(SIM_API_KEY, ed25519_public=public)


SIM_API_KEY = "console-sim-ed25519"
ENTRY = VenueEntry(
    name="binance",
    environments={name: endpoints.rest for name, endpoints in ENVIRONMENTS.items()},
    key_fields=("API_KEY", "API_SECRET|ED25519_KEY_FILE"),
    connect=connect,
    on_simulator=on_simulator,
)
