"""The trading session: every order rule is applied here, before anything leaves."""

import asyncio
import math
import socket
from dataclasses import replace
from decimal import Decimal

import pytest

from console.config import Config, Locations
from console.errors import InvalidOrder
from console.launch import build
from console.model import OrderStatus, OrderType, Side, Ticker, TimeInForce, Top, Trade
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.session import Ticket
from console.trading.views import Draft, as_ticket
from console.venues.feeds import BookState
from tests.fakes import until


@pytest.fixture
async def session(tmp_path):
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    await launch.start()
    session = launch.session

    await until(
        lambda: (
            session.can_trade
            and session.market.book.state is BookState.LIVE
            and bool(session.orders.balances)
        )
    )
    yield session, launch.server.exchange.engine
    await launch.stop()


async def test_the_embedded_exchanges_port_is_held_from_when_the_run_is_built(tmp_path):
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    port = launch.server.port
    with socket.socket() as other, pytest.raises(OSError):
        other.bind(("127.0.0.1", port))  # another program, between the build and the start
    await launch.start()
    assert launch.server.base_url == f"http://127.0.0.1:{port}"
    await until(lambda: launch.session.market.book.state is BookState.LIVE)
    await launch.stop()


def limit(session, price_offset=Decimal("-100"), qty="0.01"):
    price = session.best(Side.BUY) + price_offset
    return Ticket(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, price, Decimal(qty))


async def test_a_ticket_that_breaks_a_rule_is_refused_before_anything_leaves(session):
    session, engine = session
    off_tick = replace(limit(session), price=session.best(Side.BUY) - Decimal("0.005"))
    with pytest.raises(InvalidOrder, match=r"multiple of the tick 0\.01"):
        await session.submit(off_tick)
    assert session.orders.orders == {}
    assert engine.open_orders(TRADER_ACCOUNT) == []


async def test_an_order_type_the_venue_does_not_take_is_refused(session):
    session, engine = session
    caps = session.venue.capabilities
    session.venue.capabilities = replace(caps, order_types=frozenset({OrderType.MARKET}))
    with pytest.raises(InvalidOrder, match="takes no LIMIT orders"):
        await session.submit(limit(session))
    assert engine.open_orders(TRADER_ACCOUNT) == []


async def test_a_good_ticket_is_journaled_and_rests_at_the_engine(session):
    session, engine = session
    order = await session.submit(limit(session))
    assert order.status is OrderStatus.NEW
    (resting,) = engine.open_orders(TRADER_ACCOUNT)
    assert resting.client_order_id == order.client_order_id


async def test_a_move_is_checked_as_a_new_order_before_anything_leaves(session):
    session, engine = session
    order = await session.submit(limit(session))
    off_tick = order.price - Decimal("0.005")
    with pytest.raises(InvalidOrder, match=r"not moved: .*multiple of the tick 0\.01"):
        await session.move(order.client_order_id, off_tick, order.qty)
    (resting,) = engine.open_orders(TRADER_ACCOUNT)
    assert (resting.client_order_id, resting.price) == (order.client_order_id, order.price)


async def test_a_move_rests_the_new_price_in_place_of_the_old(session):
    session, engine = session
    order = await session.submit(limit(session))
    moved = await session.move(order.client_order_id, order.price - 1, order.qty)
    (resting,) = engine.open_orders(TRADER_ACCOUNT)
    assert moved.new is not None
    assert (resting.client_order_id, resting.price) == (moved.new.client_order_id, order.price - 1)


async def test_an_alert_on_the_symbol_on_screen_fires_on_a_print_between_two_looks(session):
    session, _ = session
    tape = session.market.trades
    last = session.best(Side.BUY)
    session.alerts_on_screen()
    session.add_alert("BTCUSDT", f"above {last + 100}")
    for price in (last + 150, last):  # through the level and back before the next look
        tape.add(Trade("BTCUSDT", 10**9 + int(price), price, Decimal("0.1"), Side.BUY, 1))
    session.alerts_on_screen()
    (fired,) = session.alerts.fired
    assert fired.at == last + 150
    assert session.alerts.waiting == []


async def test_an_alert_off_screen_fires_on_the_boards_last_price(session):
    session, _ = session
    session.board = {"ETHUSDT": Ticker("ETHUSDT", Decimal(3100))}
    session.add_alert("ETHUSDT", "above 3000")
    session.alerts_off_screen()
    assert [f.text for f in session.alerts.fired] == ["ALERT ETHUSDT above 3000: 3100"]


async def test_an_alert_on_a_symbol_not_listed_is_refused(session):
    session, _ = session
    with pytest.raises(ValueError, match="not listed"):
        session.add_alert("BTCUSTD", "above 1")


async def test_a_share_preset_is_a_share_of_the_free_balance_on_the_lot(session):
    session, _ = session
    sell = session.preset_size("25%", Side.SELL, OrderType.LIMIT, None)
    assert sell == Decimal("0.25000")  # of 1 BTC
    assert session.preset_size("0.003", Side.BUY, OrderType.LIMIT, None) == Decimal("0.003")
    bought = session.preset_size("10%", Side.BUY, OrderType.LIMIT, Decimal(50_000))
    assert bought == Decimal("0.19980")  # 10,000 of 100,000 USDT with 0.1% fee at 50,000


async def test_a_market_buy_preset_is_what_the_share_buys_walking_the_asks_with_the_fee(
    session,
):
    session, _ = session
    book = session.market.book.book
    asks = [(book.prices.value(t), book.sizes.value(lots)) for t, lots in book.top(Side.SELL, 500)]

    def cost_of(qty):
        cost = Decimal(0)
        for price, available in asks:
            taken = min(qty, available)
            cost, qty = cost + taken * price * Decimal("1.001"), qty - taken
        return cost

    lot = session.market.instrument.lot_size
    for preset in ("25%", "100%"):
        size = session.preset_size(preset, Side.BUY, OrderType.MARKET, Decimal(1))
        budget = session.orders.balances["USDT"].free * Decimal(preset[:-1]) / 100
        assert size > 0 and cost_of(size) <= budget < cost_of(size + lot)


async def test_the_screen_offers_the_candle_lengths_the_venue_serves(session):
    from console.model import Interval

    session, _ = session
    caps = session.venue.capabilities
    session.venue.capabilities = replace(caps, kline_intervals={Interval.M1: "1min"})
    assert session.candle_intervals() == [Interval.M1]


async def test_a_market_buy_sized_in_base_is_refused_where_the_venue_sizes_them_in_quote(session):
    session, engine = session
    caps = session.venue.capabilities
    session.venue.capabilities = replace(caps, market_buy_in_quote=True)
    in_base = Ticket(Side.BUY, OrderType.MARKET, TimeInForce.GTC, None, Decimal("0.01"))
    assert session.check(in_base).problems[-1] == (
        "binance sizes market buys in USDT: switch the size unit"
    )
    with pytest.raises(InvalidOrder, match="sizes market buys in USDT"):
        await session.submit(in_base)
    assert engine.open_orders(TRADER_ACCOUNT) == []


async def test_a_resyncing_book_takes_its_best_prices_from_the_top_of_book_stream(session):
    session, _ = session
    market = session.market
    ticker = market.ticker
    ticker.on_top(Top("BTCUSDT", Decimal("64000.00"), Decimal(1), Decimal("64000.10"), Decimal(2)))
    market.book.state = BookState.STALE
    assert (session.best(Side.BUY), session.best(Side.SELL)) == (
        Decimal("64000.00"),
        Decimal("64000.10"),
    )


async def test_a_live_book_keeps_its_own_best_prices(session):
    session, engine = session
    session.market.ticker.on_top(
        Top("BTCUSDT", Decimal("1.00"), Decimal(1), Decimal("2.00"), Decimal(1))
    )
    l2 = engine.books["BTCUSDT"].l2
    assert session.best(Side.BUY) == l2.prices.value(l2.best_bid)


async def read_only_session(tmp_path, on_quit="cancel"):
    config = Config(read_only=True, on_quit=on_quit)
    launch = build(config, None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    await launch.start()
    await until_live(launch.session)
    return launch


async def until_live(session):
    await until(
        lambda: session.orders.user_stream_live and session.market.book.state is BookState.LIVE
    )


async def test_read_only_sends_no_order_and_no_cancel(tmp_path):
    launch = await read_only_session(tmp_path)
    session, engine = launch.session, launch.server.exchange.engine
    try:
        with pytest.raises(InvalidOrder, match="read-only"):
            await session.submit(limit(session))
        with pytest.raises(InvalidOrder, match="read-only"):
            await session.cancel_all("BTCUSDT")
        with pytest.raises(InvalidOrder, match="read-only"):
            await session.panic()
        assert engine.open_orders(TRADER_ACCOUNT) == []
    finally:
        await launch.stop()


def another_consoles_order(session, engine):
    """An order another console on the account placed: its id looks like ours."""
    theirs, _ = engine.place(
        TRADER_ACCOUNT,
        "BTCUSDT",
        Side.BUY,
        OrderType.LIMIT,
        Decimal("0.01"),
        session.best(Side.BUY) - 100,
        client_order_id="tc-other-1",
    )
    return theirs


async def test_read_only_quitting_leaves_another_programs_orders_alone(tmp_path):
    launch = await read_only_session(tmp_path)
    session, engine = launch.session, launch.server.exchange.engine
    theirs = another_consoles_order(session, engine)
    await session.orders.reconcile_all()
    assert [o.client_order_id for o in session.orders.open_orders()] == ["tc-other-1"]
    await launch.stop()
    assert [o.order_id for o in engine.open_orders(TRADER_ACCOUNT)] == [theirs.order_id]
    assert session.deadman.describe() == "DMS off: read-only"


async def test_quitting_cancels_this_consoles_orders_and_not_another_consoles(session):
    session, engine = session
    theirs = another_consoles_order(session, engine)
    ours = await session.submit(limit(session))
    await session.orders.reconcile_all()
    await session.close()
    assert [o.client_order_id for o in engine.open_orders(TRADER_ACCOUNT)] == ["tc-other-1"]
    assert session.orders.orders[ours.client_order_id].status is OrderStatus.CANCELED
    assert theirs.is_open


async def test_quitting_with_keep_on_huobi_disarms_its_switch_and_leaves_the_orders(tmp_path):
    config = Config(venue="huobi", on_quit="keep")
    launch = build(config, None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    await launch.start()
    session, engine = launch.session, launch.server.exchange.engine
    guard = asyncio.create_task(session.deadman.run())
    await until_live(session)
    account = engine.accounts[TRADER_ACCOUNT]
    await until(lambda: account.cancel_deadline_ms is not None)
    await session.submit(limit(session, qty="0.001"))
    await launch.stop()
    assert account.cancel_deadline_ms is None  # disarmed before the client closed
    assert len(engine.open_orders(TRADER_ACCOUNT)) == 1
    assert session.left_behind() == "left on huobi: 1 order resting"
    assert guard.done()


async def test_a_market_buy_of_50_usdt_on_huobi_spends_50_usdt(tmp_path):
    launch = build(Config(venue="huobi"), None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    await launch.start()
    session, engine = launch.session, launch.server.exchange.engine
    await until_live(session)
    draft = Draft(Side.BUY, OrderType.MARKET, TimeInForce.GTC, None, Decimal(50), True)
    placed = await session.submit(as_ticket(session, draft))  # the ticket as the screen fills it
    await until(lambda: session.orders.orders[placed.client_order_id].status is OrderStatus.FILLED)
    seen = session.orders.orders[placed.client_order_id]
    at_engine = engine.order(TRADER_ACCOUNT, client_order_id=placed.client_order_id)
    assert seen.filled_qty == engine.books["BTCUSDT"].unit * at_engine.filled_lots
    assert seen.filled_quote.quantize(Decimal("0.00000001")) == Decimal(50)  # to the cent
    await launch.stop()


async def test_a_symbol_the_venue_does_not_list_is_refused_at_start(tmp_path):
    config = Config(symbol="NOPEUSDT")
    launch = build(config, None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    with pytest.raises(InvalidOrder, match="symbol NOPEUSDT is not listed on binance"):
        await launch.start()
    await launch.stop()


async def test_a_symbol_not_listed_is_refused_with_the_listed_ones_that_come_closest(tmp_path):
    config = Config(symbol="BTCUSTD")
    launch = build(config, None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    with pytest.raises(
        InvalidOrder, match="BTCUSTD is not listed on binance; the closest: BTCUSDT"
    ):
        await launch.start()
    await launch.stop()


@pytest.mark.slow  # the board comes with the all-symbols ticker, pushed once a second
async def test_every_asset_held_is_priced_from_the_board_of_every_symbols_ticker(tmp_path):
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    await launch.start()
    session = launch.session
    await until(lambda: session.board)
    eth = session.board["ETHUSDT"].last
    assert session.price("ETH", "USDT") == eth
    assert session.price("USDT", "ETH") == 1 / eth
    assert session.price("USDT", "USDT") == 1
    assert session.price("NOPE", "USDT") is None
    await launch.stop()


async def test_size_presets_come_from_the_symbols_minimum_order_value_unless_configured(tmp_path):
    config = Config(presets={"ETHUSDT": ["0.5", "50%"]})
    launch = build(config, None, True, Locations(tmp_path, tmp_path), seed=2, rate=0)
    await launch.start()
    session = launch.session
    await until(lambda: session.mid() is not None)
    mid = session.mid()  # twice the minimum of 5 USDT at the mid, on BTCUSDT's lot of 0.00001
    least = math.ceil(10 / mid / Decimal("0.00001")) * Decimal("0.00001")
    assert session.presets() == [
        f"{least.normalize():f}",
        f"{(least * 10).normalize():f}",
        "25%",
        "100%",
    ]
    await session.follow("ETHUSDT")
    assert session.presets() == ["0.5", "50%"]
    session.config.size_presets = ["0.001", "0.01"]  # the config's for every symbol
    await session.follow("SOLUSDT")
    assert session.presets() == ["0.001", "0.01"]
    await launch.stop()
