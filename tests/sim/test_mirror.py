"""A market held from outside: levels laid, grown behind the orders there, shrunk from the
newest, taken away; a level laid across a resting order trades with it; prints told."""

from decimal import Decimal as D

from console.model import OrderStatus, OrderType, Side
from console.sim.engine import Engine
from console.sim.mirror import MIRROR_ACCOUNT, Mirror
from console.sim.state import TradePrinted
from tests.sim.test_engine import BTCUSDT


def market(lot_parts=1):
    engine = Engine([BTCUSDT], clock=lambda: 1_000, lot_parts=lot_parts)
    engine.open_account("trader", {"BTC": D(10), "USDT": D(1_000_000)})
    return engine, Mirror(engine, "BTCUSDT")


def queue(engine, side, price):
    ticks = engine.books["BTCUSDT"].l2.prices.of(D(price))
    return [
        (o.account, engine.books["BTCUSDT"].l2.sizes.value(o.remaining_lots))
        for o in engine.books["BTCUSDT"].queues.get((side, ticks), [])
    ]


def test_a_level_grows_behind_the_orders_there_and_shrinks_from_its_newest():
    engine, mirror = market()
    mirror.hold({D("100.00"): D("0.002")}, {})
    engine.place("trader", "BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.1"), D("100.00"))
    mirror.hold({D("100.00"): D("0.003")}, {})
    assert queue(engine, Side.BUY, "100.00") == [
        (MIRROR_ACCOUNT, D("0.002")),
        ("trader", D("0.1")),
        (MIRROR_ACCOUNT, D("0.001")),
    ]
    mirror.hold({D("100.00"): D("0.001")}, {})
    assert queue(engine, Side.BUY, "100.00") == [(MIRROR_ACCOUNT, D("0.001")), ("trader", D("0.1"))]


def test_a_level_shrinks_in_place_to_a_size_finer_than_the_lot():
    engine, mirror = market(lot_parts=1000)  # Huobi's sizes, finer than its lot
    mirror.hold({D("100.00"): D("0.002")}, {})
    engine.place("trader", "BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.1"), D("100.00"))
    mirror.hold({D("100.00"): D("0.0015")}, {})
    assert queue(engine, Side.BUY, "100.00") == [
        (MIRROR_ACCOUNT, D("0.0015")),
        ("trader", D("0.1")),
    ]


def test_a_level_the_market_no_longer_has_is_taken_away_whatever_its_size():
    engine, mirror = market()
    mirror.hold({D("99.00"): D("0.001")}, {D("101.00"): D("0.001")})  # under the filters' 5 USDT
    assert engine.books["BTCUSDT"].l2.best_bid is not None
    mirror.hold({}, {D("101.00"): D("0.001")})
    assert engine.books["BTCUSDT"].l2.best_bid is None
    assert queue(engine, Side.SELL, "101.00") == [(MIRROR_ACCOUNT, D("0.001"))]


def test_a_level_laid_across_a_resting_order_trades_with_it_at_the_resting_price():
    engine, mirror = market()
    bid, _ = engine.place("trader", "BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.1"), D("101.00"))
    mirror.hold({}, {D("100.50"): D("1")})
    assert (bid.status, bid.filled_quote) == (OrderStatus.FILLED, D("10.10000"))  # 0.1 at 101
    assert queue(engine, Side.SELL, "100.50") == [(MIRROR_ACCOUNT, D("0.900"))]


def test_a_print_told_goes_on_the_tape_at_its_time_and_is_the_last_price():
    engine, mirror = market()
    printed = []
    engine.subscribe(printed.append)
    mirror.trade(D("100.25"), D("0.5"), Side.SELL, 1_796_220_187_000)
    (trade,) = [e for e in printed if isinstance(e, TradePrinted)]
    assert (trade.price, trade.qty, trade.taker_side, trade.time_ms) == (
        D("100.25"),
        D("0.5"),
        Side.SELL,
        1_796_220_187_000,
    )
    assert engine.books["BTCUSDT"].last_price == D("100.25")


def test_a_print_at_a_resting_orders_price_fills_it_after_the_size_ahead_of_it():
    engine, mirror = market()
    mirror.hold({D("100.00"): D("0.005")}, {D("100.10"): D("1")})
    bid, _ = engine.place("trader", "BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.1"), D("100.00"))
    mirror.trade(D("100.00"), D("0.003"), Side.SELL, 2_000)  # takes from the size ahead
    assert bid.filled_lots == 0
    mirror.trade(D("100.00"), D("0.052"), Side.SELL, 3_000)  # 0.002 ahead, then 0.05 of it
    assert (bid.status, engine.books["BTCUSDT"].l2.sizes.value(bid.filled_lots)) == (
        OrderStatus.PARTIALLY_FILLED,
        D("0.050"),
    )
