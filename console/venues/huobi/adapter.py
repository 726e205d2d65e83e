"""The Huobi spot adapter: the `Venue` protocol over REST, two market streams and the
account stream.

The book comes from `/feed` (market by price, kept by seqNum/prevSeqNum), trades, candles
and tickers from `/ws`, orders and balances from `/ws/v2`. Orders go over REST (Huobi spot
takes none on a socket); each answer is the order as the venue then holds it, read back
after the place or cancel. Huobi's own dead-man's switch (the Automated Cancel Order) is
what guards resting orders here.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass
from decimal import Decimal

import msgspec

from console.book import Integrity
from console.config import Credentials
from console.errors import AuthError, InvalidOrder, OrderNotFound, VenueError
from console.model import (
    Balance,
    BookSnapshot,
    Candle,
    Fill,
    Instrument,
    Interval,
    Order,
    OrderStatus,
    OrderType,
    Side,
    Ticker,
    Trade,
)
from console.net.stream import Stream, StreamRules, gzipped
from console.venues.base import (
    Capabilities,
    Fees,
    IdPolicy,
    OrderRequest,
    SimAccess,
    VenueEntry,
)
from console.venues.common import OnOneHost, VenueBasics, all_pages, plain
from console.venues.huobi import convert, schemas
from console.venues.huobi.rest import (
    MATCHES_PAGE,
    PLACE_BUCKET,
    HuobiDialect,
    HuobiRest,
    buckets,
)
from console.venues.huobi.streams import (
    ACCOUNT_RULES,
    BOOK_LEVELS,
    KLINE_PERIODS,
    MARKET_RULES,
    AccountSession,
    HuobiFeed,
    HuobiMarket,
)
from console.venues.market import MarketFeeds

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    venue_dead_mans_switch=True,
    market_buy_in_quote=True,
    ids=IdPolicy(64),  # client-order-id: "maximum 64-character length"
    fees=Fees(maker=Decimal("0.002"), taker=Decimal("0.002")),  # transact-fee-rate's example
    # Stops are stop-limit orders (`buy-stop-limit` with `stop-price` and `operator`, as
    # ccxt's htx places them); the place endpoint takes no stop at market.
    order_types=frozenset(
        {
            OrderType.LIMIT,
            OrderType.POST_ONLY,
            OrderType.MARKET,
            OrderType.STOP_LIMIT,
            OrderType.TAKE_PROFIT_LIMIT,
        }
    ),
    kline_intervals=KLINE_PERIODS,
    rate_unit="orders",
    book_integrity=Integrity(chained=True),  # seqNum follows prevSeqNum; no checksum
    book_size_step=Decimal("1e-18"),  # the seed's book sizes carry 18 decimals
)
DMS_MIN_SECONDS = 5
ORDER_IDS_KEPT = 10_000
MATCH_WINDOW_MS = 48 * 3600_000
"""How far back GET /v1/order/matchresults reaches."""
TAPE_BACKFILL = 100
CANDLE_HISTORY = 500


@dataclass(frozen=True)
class HuobiEndpoints(OnOneHost):
    rest: str
    market: str
    feed: str
    account: str

    @classmethod
    def custom(cls, rest: str, ws: str) -> HuobiEndpoints:
        ws = ws.rstrip("/")
        return cls(rest.rstrip("/"), f"{ws}/ws", f"{ws}/feed", f"{ws}/ws/v2")


LIVE = HuobiEndpoints(
    "https://api.huobi.pro",
    "wss://api.huobi.pro/ws",
    "wss://api.huobi.pro/feed",
    "wss://api.huobi.pro/ws/v2",
)
AWS = HuobiEndpoints(
    "https://api-aws.huobi.pro",
    "wss://api-aws.huobi.pro/ws",
    "wss://api-aws.huobi.pro/feed",
    "wss://api-aws.huobi.pro/ws/v2",
)
"""The same venue by the hosts Huobi recommends to clients running on AWS."""
ENVIRONMENTS = {"production": LIVE, "aws": AWS}


@dataclass(frozen=True)
class HuobiCredentials:
    access_key: str
    secret: str

    def __repr__(self) -> str:
        return f"HuobiCredentials(access_key={self.access_key[:6]}…)"


class HuobiVenue(VenueBasics):
    title = "Huobi"
    name = "huobi"
    capabilities = CAPABILITIES
    snapshot_levels = (BOOK_LEVELS,)

    rate_bucket = PLACE_BUCKET
    open_orders_per_symbol = True

    def __init__(
        self,
        endpoints: HuobiEndpoints = LIVE,
        credentials: HuobiCredentials | None = None,
        market_rules: StreamRules = MARKET_RULES,
        account_rules: StreamRules = ACCOUNT_RULES,
    ) -> None:
        super().__init__(endpoints, credentials, buckets())
        dialect = HuobiDialect(
            endpoints.rest,
            credentials.access_key if credentials else None,
            credentials.secret if credentials else None,
            self.time_sync,
        )
        self.rest = HuobiRest(self.rest_client(dialect))
        self.market = MarketFeeds(HuobiMarket())
        self.feed_dialect = HuobiFeed()
        self.feed = MarketFeeds(self.feed_dialect)
        self.keep_market(self.market, self.feed)
        self.market_stream = self.add_market_stream(
            Stream("market", endpoints.market, self.market, market_rules, framing=gzipped)
        )
        self.feed_stream = self.add_market_stream(
            Stream("feed", endpoints.feed, self.feed, market_rules, framing=gzipped)
        )
        self.account_session: AccountSession | None = None
        if credentials is not None:
            self.account_session = account = AccountSession(
                credentials.access_key, credentials.secret, dialect.host, self.time_sync.now_ms
            )
            self.add_account_stream(
                account, Stream("user", endpoints.account, account, account_rules)
            )
        self.account_id: int | None = None
        self._order_ids: OrderedDict[str, str] = OrderedDict()
        """Client order id -> Huobi's order id of the orders placed here, newest last, so a
        cancel needs no lookup first."""

    async def _read_instruments(self) -> dict[str, Instrument]:
        rows = await self.rest.symbols()
        return {convert.ours(r.symbol): convert.instrument(r) for r in rows if r.state == "online"}

    async def _opened(self) -> None:
        """Orders and balances name the spot account: read its id once."""
        if self.credentials is not None:
            self.account_id = await self._spot_account()

    async def _spot_account(self) -> int:
        accounts = await self.rest.accounts()
        spot = [a.id for a in accounts if a.type == "spot" and a.state == "working"]
        if not spot:
            raise AuthError(msg="this Huobi key has no working spot account")
        return spot[0]

    async def _server_time(self) -> int:
        return await self.rest.timestamp()

    # -- market data -------------------------------------------------------------------------

    async def _snapshot(self, symbol: str, levels: int) -> BookSnapshot:
        """The refresh a `req` on the book's own connection answers."""
        return await self.feed_dialect.refresh(self.feed_stream, symbol)

    async def _recent_trades(self, symbol: str) -> list[Trade]:
        groups = await self.rest.history_trades(convert.symbol(symbol), TAPE_BACKFILL)
        return convert.trades(symbol, groups)

    async def _candle_history(self, symbol: str, interval: Interval) -> list[Candle]:
        period = KLINE_PERIODS[interval]
        bars = await self.rest.klines(convert.symbol(symbol), period, CANDLE_HISTORY)
        return convert.candles(symbol, interval, bars)

    # -- account -----------------------------------------------------------------------------

    def _account_id(self) -> int:
        if self.account_id is None:
            raise AuthError(msg="Huobi orders and balances need an API key")
        return self.account_id

    async def _read_tickers(self) -> list[Ticker]:
        return [convert.ticker(row) for row in await self.rest.tickers()]

    async def fee_rates(self, symbol: str) -> Fees:
        """The account's rates after deductions; the base tier without a key."""
        if self.credentials is None:
            return self.capabilities.fees
        rows = await self.rest.fee_rates(convert.symbol(symbol))
        if not rows:
            return self.capabilities.fees
        return Fees(maker=rows[0].actualMakerRate, taker=rows[0].actualTakerRate)

    async def balances(self) -> list[Balance]:
        return convert.balances((await self.rest.balance(self._account_id())).rows)

    async def place(self, request: OrderRequest) -> Order:
        """Place, then read the order back: the answer is its state at the venue."""
        body = self._order_body(request)
        order_id = await self.rest.place(body)
        self._order_ids[request.client_order_id] = order_id
        while len(self._order_ids) > ORDER_IDS_KEPT:
            self._order_ids.popitem(last=False)
        try:
            return self._heard(convert.order(await self.rest.order(order_id)))
        except VenueError as error:
            log.warning(
                "%s placed as %s; its state is not read yet: %s",
                request.client_order_id,
                order_id,
                error,
            )
            placed = Order(
                symbol=request.symbol,
                client_order_id=request.client_order_id,
                side=request.side,
                type=request.type,
                qty=request.qty or Decimal(0),
                price=request.price,
                time_in_force=request.time_in_force,
                status=OrderStatus.NEW,
                order_id=order_id,
                trigger=request.trigger,
            )
            return self._heard(placed)

    def _order_body(self, request: OrderRequest) -> dict[str, str]:
        market_buy = request.type is OrderType.MARKET and request.side is Side.BUY
        if market_buy and request.quote_qty is None:
            raise InvalidOrder(msg="Huobi sizes market buys in the quote asset: give quote_qty")
        amount = request.quote_qty if market_buy else request.qty
        if amount is None:
            raise InvalidOrder(msg="the order needs a quantity")
        try:
            wire_type = convert.wire_type(request.side, request.type, request.time_in_force)
        except ValueError as error:
            raise InvalidOrder(msg=str(error)) from None
        body = {
            "account-id": str(self._account_id()),
            "symbol": convert.symbol(request.symbol),
            "type": wire_type,
            "amount": plain(amount),
            "source": "spot-api",
            "client-order-id": request.client_order_id,
        }
        if request.price is not None and request.type is not OrderType.MARKET:
            body["price"] = plain(request.price)
        if request.type.triggered:
            if request.trigger is None:
                raise InvalidOrder(msg="a stop order needs its stop price")
            body["stop-price"] = plain(request.trigger)
            body["operator"] = convert.operator(request.side, request.type)
        return body

    def _heard(self, order: Order) -> Order:
        """An open stop order, told to the account stream's session: its pushes name
        neither its stop price nor which way it waits, and its deletion not even its id."""
        if self.account_session is not None and order.type.triggered and order.status.is_open:
            self.account_session.orders[order.client_order_id] = order
        return order

    async def cancel(self, symbol: str, client_order_id: str) -> Order:
        """Cancel by Huobi's order id (known for an order placed here; looked up by client
        order id otherwise), then read the order's state back."""
        order_id = self._order_ids.get(client_order_id)
        if order_id is None:
            row = await self.rest.client_order(client_order_id)
            if not convert.order(row).status.is_open:
                return convert.order(row)
            order_id = str(row.id)
        await self.rest.cancel(order_id)
        return convert.order(await self.rest.order(order_id))

    async def cancel_all(self, symbol: str) -> list[Order]:
        """Cancel the symbol's open orders; those the venue no longer lists come back
        cancelled (their pushes on the account stream follow)."""
        before = await self.open_orders(symbol)
        if not before:
            return []
        await self.rest.cancel_open(self._account_id(), convert.symbol(symbol))
        still_open = {o.client_order_id for o in await self.open_orders(symbol)}
        return [
            msgspec.structs.replace(o, status=OrderStatus.CANCELED)
            for o in before
            if o.client_order_id not in still_open
        ]

    async def order(self, symbol: str, client_order_id: str) -> Order:
        try:
            return self._heard(convert.order(await self.rest.client_order(client_order_id)))
        except OrderNotFound:
            raise
        except InvalidOrder as error:
            raise OrderNotFound(error.code, error.msg) from None

    async def _open_orders(self, symbol: str | None) -> list[Order]:
        assert symbol is not None, "Huobi lists open orders one symbol at a time"
        rows = await self.rest.open_orders(self._account_id(), convert.symbol(symbol))
        return [self._heard(convert.order(row)) for row in rows]

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]:
        """Huobi keeps 48 hours of fills, by its own clock, and lists them newest first, a
        page at a time: each next page ends where the last one's oldest fill was (fills of
        that millisecond are asked for again and counted once)."""
        since = max(since_ms, self.time_sync.now_ms() - MATCH_WINDOW_MS + 60_000)
        wire = convert.symbol(symbol)

        def fetch(end: int | None) -> Awaitable[list[schemas.MatchRow]]:
            return self.rest.match_results(wire, since, end)

        rows = await all_pages(
            fetch, MATCHES_PAGE, lambda page: min(row.created_at for row in page), _row_id
        )
        rows.sort(key=lambda row: (row.created_at, row.id))
        instrument = self.instrument(symbol)
        return [convert.match_fill(row, instrument) for row in rows]

    async def cancel_all_after(self, seconds: float) -> None:
        """Arm or renew Huobi's Automated Cancel Order (at least 5 s), or disarm it with 0."""
        timeout = 0 if seconds <= 0 else max(DMS_MIN_SECONDS, math.ceil(seconds))
        trigger = await self.rest.cancel_all_after(timeout)
        if (trigger == 0) != (timeout == 0):
            wanted = "disarmed" if timeout == 0 else f"armed for {timeout}s"
            raise VenueError(msg=f"the switch was not {wanted}: the venue answered {trigger}")


def _row_id(row: schemas.MatchRow) -> int:
    return row.id


def credentials_from(credentials: Credentials) -> HuobiCredentials:
    secret = credentials.get("API_SECRET")
    if not secret:
        raise AuthError(msg="a Huobi key needs its secret (HUOBI_API_SECRET)")
    return HuobiCredentials(credentials.api_key, secret)


def connect(
    env: str, rest: str, ws: str, credentials: Credentials | None, api: str = ""
) -> HuobiVenue:
    endpoints = HuobiEndpoints.custom(rest, ws) if env == "custom" else ENVIRONMENTS[env]
    return HuobiVenue(endpoints, credentials_from(credentials) if credentials else None)


SIM_ACCESS_KEY = "console-sim-huobi"


def on_simulator(base_url: str, api: str = "") -> tuple[HuobiVenue, SimAccess]:
    """Signed in to the simulator with a fresh secret of its own."""
    secret = secrets.token_urlsafe(32)
    venue = HuobiVenue(HuobiEndpoints.on(base_url), HuobiCredentials(SIM_ACCESS_KEY, secret))
    return venue, SimAccess(SIM_ACCESS_KEY, hmac_secret=secret.encode())


ENTRY = VenueEntry(
    name="huobi",
    environments={name: endpoints.rest for name, endpoints in ENVIRONMENTS.items()},
    connect=connect,
    on_simulator=on_simulator,
)
