"""Paper trading on a venue's live market (here a simulator standing in for the venue, with
no key): a crossing order fills at once, a resting one when the live market comes through
its price, and the venue never sees an order."""

from decimal import Decimal

import pytest

from console.config import Config, Endpoints, Locations, RiskLimits
from console.launch import build
from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT, SimExchange
from console.sim.market import MARKET_ACCOUNT
from console.sim.server import SimServer, lot_parts
from console.trading.session import Ticket
from console.venues.feeds import BookState
from tests.fakes import until


@pytest.fixture(params=["binance", "huobi"])
async def live(request):
    """The "live" venue: a simulator in the venue's dialect, its market moving slowly."""
    venue = request.param
    exchange = SimExchange(seed=3, rate=20, lot_parts=lot_parts(venue))
    server = SimServer(exchange, venue)
    await server.start()
    yield venue, server
    await server.stop()


async def paper_session(tmp_path, venue, server, paper=True, balances=None):
    ws = server.base_url.replace("http://", "ws://")
    config = Config(
        venue=venue,
        env="custom",
        endpoints=Endpoints(server.base_url, ws),
        paper=paper,
        paper_account=balances or {},
        watchlist=[],
        risk=RiskLimits(confirm_above=10_000_000),
    )
    launch = build(config, None, False, Locations(tmp_path, tmp_path))
    await launch.start()
    session = launch.session
    await until(lambda: session.orders.user_stream_live)
    await until(lambda: session.market.book.state is BookState.LIVE)
    await until(lambda: None not in (session.best(Side.BUY), session.best(Side.SELL)))
    return launch


def limit(side, price, qty="0.001"):
    return Ticket(side, OrderType.LIMIT, TimeInForce.GTC, price, Decimal(qty))


async def test_a_crossing_order_fills_at_once_and_the_venue_sees_no_order(tmp_path, live):
    venue, server = live
    launch = await paper_session(tmp_path, venue, server)
    session = launch.session
    assert (session.environment, launch.paper.exchange is not server.exchange) == ("PAPER", True)
    ask = session.best(Side.SELL)
    placed = await session.submit(limit(Side.BUY, ask + 100))
    await until(lambda: session.orders.orders[placed.client_order_id].status is OrderStatus.FILLED)
    assert server.exchange.engine.all_orders(TRADER_ACCOUNT, "BTCUSDT") == []
    await launch.stop()


async def test_a_resting_order_fills_when_the_live_market_comes_through_its_price(tmp_path, live):
    venue, server = live
    launch = await paper_session(tmp_path, venue, server)
    session = launch.session
    bid = session.best(Side.BUY)
    placed = await session.submit(limit(Side.BUY, bid))
    await until(lambda: launch.paper.exchange.engine.open_orders(TRADER_ACCOUNT))
    live_engine = server.exchange.engine  # the live market: a seller takes every bid at it
    live_engine.place(MARKET_ACCOUNT, "BTCUSDT", Side.SELL, OrderType.LIMIT, Decimal(50), bid)
    await until(lambda: session.orders.orders[placed.client_order_id].status is OrderStatus.FILLED)
    assert session.orders.orders[placed.client_order_id].filled_quote == bid / 1000
    assert live_engine.all_orders(TRADER_ACCOUNT, "BTCUSDT") == []
    await launch.stop()


async def test_the_paper_account_holds_the_balances_the_config_sets(tmp_path, live):
    venue, server = live
    launch = await paper_session(tmp_path, venue, server, balances={"usdt": Decimal(5000)})
    balances = launch.session.orders.balances
    await until(lambda: "USDT" in balances)
    assert {asset: b.total for asset, b in balances.items() if b.total} == {"USDT": Decimal(5000)}
    await launch.stop()


async def test_paper_local_mirrors_the_live_market_of_a_venue_with_a_demo_account(tmp_path):
    exchange = SimExchange(seed=3, rate=20)
    server = SimServer(exchange, "weex")
    await server.start()
    launch = await paper_session(tmp_path, "weex", server, paper="local")
    session = launch.session
    ask = session.best(Side.SELL)
    placed = await session.submit(limit(Side.BUY, ask + 100))
    await until(lambda: session.orders.orders[placed.client_order_id].status is OrderStatus.FILLED)
    assert exchange.engine.all_orders(TRADER_ACCOUNT, "BTCUSDT") == []
    await launch.stop()
    await server.stop()
