"""What only Binance's adapter does, against the simulator's Binance front over loopback:
its filters, both order paths (REST, and the WebSocket API once logged on), its error and
retry rules, its weights. What every venue does is in `tests/venues/conformance/`."""

import asyncio
import time
from decimal import Decimal

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from console.errors import UnknownStatus
from console.model import OrderStatus, OrderType, Side
from console.net.backoff import Backoff
from console.net.stream import StreamRules
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.market import LISTINGS
from console.sim.server import SimServer
from console.trading.orders import OrderManager, ReconcilePolicy
from console.venues.base import OrderRequest
from console.venues.binance.adapter import BinanceCredentials, BinanceEndpoints, BinanceVenue
from console.venues.feeds import BookState
from tests.fakes import until

BTCUSDT = next(listing for listing in LISTINGS if listing.instrument.symbol == "BTCUSDT")
QUICK = StreamRules(heartbeat_window=1.0, quiet_after=0.5, ping_interval=0.2, max_age=3600)
ED_KEY = Ed25519PrivateKey.generate()


def serving(clock=None) -> SimServer:
    exchange = SimExchange(listings=[BTCUSDT], seed=4, rate=25_000, clock=clock)
    exchange.add_credential(Credential("hmac-key", TRADER_ACCOUNT, secret=b"hmac-secret"))
    exchange.add_credential(Credential("ed-key", TRADER_ACCOUNT, ed25519=ED_KEY.public_key()))
    return SimServer(exchange, flow=False)


@pytest.fixture
async def sim():
    server = serving()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def sim_early_in_a_minute():
    """A simulator whose clock starts a second into a minute, so that the weight window
    of one minute it counts in does not roll over during a test, however busy the machine."""

    def now():
        return int(time.time() * 1000)

    started = now()
    first = started - started % 60_000 + 1_000
    server = serving(clock=lambda: first + now() - started)
    await server.start()
    yield server
    await server.stop()


async def started(sim, credentials):
    venue = BinanceVenue(
        BinanceEndpoints.on(sim.base_url), credentials, market_rules=QUICK, user_rules=QUICK
    )
    await venue.start()
    return venue


@pytest.fixture
async def venue(sim):
    venue = await started(sim, BinanceCredentials("hmac-key", secret="hmac-secret"))
    yield venue
    await venue.close()


@pytest.fixture
async def ed_venue(sim):
    venue = await started(sim, BinanceCredentials("ed-key", ed25519_key=ED_KEY))
    yield venue
    await venue.close()


def recorder(into, method=None, clock=None):
    """An httpx request hook noting each request that goes out (its time, with `clock`)."""

    async def record(request):
        if method is None or request.method == method:
            into.append(clock() if clock else request)

    return record


def engine_book(sim, symbol="BTCUSDT"):
    return sim.exchange.engine.books[symbol].l2


def away_from_touch(sim, ticks=200):
    l2 = engine_book(sim)
    return l2.prices.value(l2.best_bid - ticks)


async def test_instruments_carry_the_binance_filters(venue):
    instruments = await venue.instruments()
    btc = instruments["BTCUSDT"]
    assert (btc.tick_size, btc.lot_size, btc.min_notional, btc.max_notional) == (
        Decimal("0.01"),
        Decimal("0.00001"),
        Decimal(5),
        Decimal(9_000_000),
    )


async def test_logged_on_session_places_orders_over_the_websocket_api(sim, ed_venue):
    manager = OrderManager(ed_venue)
    await ed_venue.watch_account(manager)
    await asyncio.wait_for(ed_venue.ws_api.ready(), 5)
    rest_posts = []
    ed_venue.rest.client.http.event_hooks["request"].append(
        lambda r: rest_posts.append(r) if r.method == "POST" else None
    )
    order = await manager.submit(
        OrderRequest(
            "BTCUSDT",
            Side.BUY,
            OrderType.LIMIT,
            manager.new_client_order_id(),
            Decimal("0.01"),
            away_from_touch(sim),
        )
    )
    assert order.status is OrderStatus.NEW
    assert rest_posts == []
    cancelled = await ed_venue.cancel("BTCUSDT", order.client_order_id)
    assert cancelled.status is OrderStatus.CANCELED


@pytest.mark.parametrize("path", ["rest", "websocket api"])
async def test_timed_out_order_is_reconciled_to_exactly_one_order(sim, venue, ed_venue, path):
    chosen = venue if path == "rest" else ed_venue
    manager = OrderManager(chosen, policy=ReconcilePolicy(first_delay=0.01, max_delay=0.05))
    if chosen is ed_venue:
        await chosen.watch_account(manager)
        await asyncio.wait_for(chosen.ws_api.ready(), 5)
    sim.exchange.chaos.trigger("order_timeout")
    client_id = manager.new_client_order_id()
    answer = await manager.submit(
        OrderRequest(
            "BTCUSDT", Side.BUY, OrderType.LIMIT, client_id, Decimal("0.01"), away_from_touch(sim)
        )
    )
    assert answer.status in (OrderStatus.UNKNOWN, OrderStatus.NEW)
    await manager.settled()
    assert manager.orders[client_id].status is OrderStatus.NEW
    in_engine = [
        o for o in sim.exchange.engine.open_orders(TRADER_ACCOUNT) if o.client_order_id == client_id
    ]
    assert len(in_engine) == 1


async def test_read_is_retried_after_a_5xx(sim, venue):
    venue.rest.client.backoff = Backoff(base=0.001, cap=0.001)
    sim.exchange.chaos.trigger("5xx")
    assert await venue.server_time() > 0


async def test_order_answered_5xx_is_unknown_and_not_resent(sim, venue):
    sent = []
    venue.rest.client.http.event_hooks["request"].append(recorder(sent, "POST"))
    sim.exchange.chaos.trigger("5xx")
    with pytest.raises(UnknownStatus):
        await venue.place(
            OrderRequest(
                "BTCUSDT",
                Side.BUY,
                OrderType.LIMIT,
                "five-1",
                Decimal("0.01"),
                away_from_touch(sim),
            )
        )
    assert len(sent) == 1


async def test_order_timing_out_on_our_side_is_reconciled(sim, venue):
    venue.rest.client.http.timeout = httpx.Timeout(0.2)
    sim.exchange.chaos.latency = 400
    manager = OrderManager(venue, policy=ReconcilePolicy(first_delay=0.3, max_delay=0.3))
    client_id = manager.new_client_order_id()
    answer = await manager.submit(
        OrderRequest(
            "BTCUSDT", Side.BUY, OrderType.LIMIT, client_id, Decimal("0.01"), away_from_touch(sim)
        )
    )
    assert answer.status is OrderStatus.UNKNOWN
    sim.exchange.chaos.latency = 0
    venue.rest.client.http.timeout = httpx.Timeout(5)
    await manager.settled()
    assert manager.orders[client_id].status is OrderStatus.NEW


async def test_released_symbol_stops_its_streams_and_its_book(sim, venue):
    book = venue.book("BTCUSDT")
    venue.trades("BTCUSDT")
    await venue.candles("BTCUSDT", "1m")
    await asyncio.wait_for(book.wait_for(BookState.LIVE), 10)
    streams = sim.front.streams.subscribers
    await until(lambda: "btcusdt@kline_1m" in streams)
    venue.release("BTCUSDT")
    await until(lambda: not any(name.startswith("btcusdt@") for name in streams))
    assert venue.market.books == {} and venue.market.tapes == {}


async def test_a_restart_after_heavy_use_starts_without_waiting_on_the_limiter(
    sim_early_in_a_minute,
):
    sim = sim_early_in_a_minute
    async with httpx.AsyncClient(base_url=sim.base_url) as raw:
        for _ in range(10):
            await raw.get("/api/v3/depth", params={"symbol": "BTCUSDT", "limit": 5000})
    waits = []
    venue = BinanceVenue(BinanceEndpoints.on(sim.base_url), market_rules=QUICK)

    async def record(seconds):
        waits.append(seconds)

    venue.limiter.sleep = record
    try:
        await venue.start()
        assert venue.limiter.usage("weight")[0] >= 2500
    finally:
        await venue.close()
    assert waits == []


async def test_resyncs_fetch_the_smallest_snapshot_that_covers_the_view(sim, venue):
    depth_limits = []

    async def note_depth(request):
        if request.url.path == "/api/v3/depth":
            depth_limits.append(request.url.params["limit"])

    venue.rest.client.http.event_hooks["request"].append(note_depth)
    book = venue.book("BTCUSDT")
    await asyncio.wait_for(book.wait_for(BookState.LIVE), 10)
    sim.exchange.chaos.trigger("gap")
    while book.gaps == 0:
        sim.exchange.market.advance(0.02)
        await asyncio.sleep(0.005)
    await asyncio.wait_for(book.wait_for(BookState.LIVE), 10)
    book.show(300)
    await asyncio.wait_for(book.wait_for(BookState.LIVE), 10)
    assert depth_limits == ["100", "100", "500"]
