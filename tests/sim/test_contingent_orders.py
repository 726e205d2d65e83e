"""The engine's stop orders, order lists (OCO, OTO, OTOCO), amendments and replacements."""

from decimal import Decimal as D

import pytest

from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.state import (
    ExecType,
    Leg,
    ListChanged,
    ListKind,
    OrderChanged,
    Reject,
    RejectReason,
)
from tests.sim.test_engine import Clock, funded_engine, holding, limit


@pytest.fixture
def engine():
    return funded_engine(Clock())


def trade_at(engine, price):
    """Print one trade at `price`: a maker's offer (or bid) lifted by a taker."""
    limit(engine, "maker", Side.SELL, "0.1", price)
    limit(engine, "taker", Side.BUY, "0.1", price)


def events(engine):
    seen = []
    engine.subscribe(seen.append)
    return seen


def test_a_stop_waits_off_the_book_and_locks_at_its_trigger(engine):
    trade_at(engine, "100.00")
    stop, fills = engine.place(
        "taker",
        "BTCUSDT",
        Side.BUY,
        OrderType.MARKET,
        D("1"),
        stop_price=D("110.00"),
        trigger_above=True,
    )
    assert (stop.status, fills, stop.waiting) == (OrderStatus.NEW, [], True)
    assert engine.books["BTCUSDT"].l2.bids.best() is None
    assert holding(engine, "taker", "USDT")[1] == D("110.00")


def test_a_stop_that_would_fire_at_once_is_refused(engine):
    trade_at(engine, "100.00")
    with pytest.raises(Reject) as refused:
        engine.place(
            "taker", "BTCUSDT", Side.SELL, OrderType.MARKET, D("1"), stop_price=D("101.00")
        )
    assert refused.value.reason is RejectReason.WOULD_TRIGGER


def test_a_stop_loss_sells_when_the_price_falls_to_it(engine):
    trade_at(engine, "100.00")
    stop, _ = engine.place(
        "taker", "BTCUSDT", Side.SELL, OrderType.MARKET, D("0.5"), stop_price=D("95.00")
    )
    limit(engine, "maker", Side.BUY, "1", "94.00")
    trade_at(engine, "95.00")
    assert stop.status is OrderStatus.FILLED
    assert stop.filled_quote == D("47.00")
    assert holding(engine, "taker", "BTC")[1] == 0


def test_a_stop_limit_rests_at_its_price_once_triggered(engine):
    trade_at(engine, "100.00")
    stop, _ = engine.place(
        "taker",
        "BTCUSDT",
        Side.SELL,
        OrderType.LIMIT,
        D("0.5"),
        D("96.00"),
        stop_price=D("97.00"),
    )
    trade_at(engine, "97.00")
    assert (stop.status, stop.waiting) == (OrderStatus.NEW, False)
    assert engine.books["BTCUSDT"].l2.asks.best() == 9600


def oco_sell(engine, qty="1", take="110.00", stop="90.00", stop_limit=None):
    """Take profit with a resting limit-maker above, stop below the last price of 100."""
    below = Leg(
        Side.SELL,
        OrderType.LIMIT if stop_limit else OrderType.MARKET,
        D(qty),
        D(stop_limit) if stop_limit else None,
        stop_price=D(stop),
    )
    above = Leg(Side.SELL, OrderType.POST_ONLY, D(qty), D(take))
    return engine.place_list("taker", "BTCUSDT", ListKind.OCO, [above, below])


def test_an_oco_locks_its_quantity_once(engine):
    trade_at(engine, "100.00")
    before = holding(engine, "taker", "BTC")
    oco_sell(engine)
    after = holding(engine, "taker", "BTC")
    assert (after[0], after[1]) == (before[0] - 1, D(1))


def test_an_oco_whose_limit_leg_trades_expires_its_stop(engine):
    trade_at(engine, "100.00")
    order_list = oco_sell(engine)
    seen = events(engine)
    limit(engine, "maker", Side.BUY, "0.4", "110.00")
    take, stop = order_list.legs
    assert (take.status, stop.status) == (OrderStatus.PARTIALLY_FILLED, OrderStatus.EXPIRED)
    assert holding(engine, "taker", "BTC")[1] == D("0.6")
    assert [e.exec_type for e in seen if isinstance(e, OrderChanged) and e.order is stop] == [
        ExecType.EXPIRED
    ]
    assert engine.books["BTCUSDT"].triggers == []


def test_an_oco_whose_stop_triggers_takes_its_limit_leg_off_the_book(engine):
    trade_at(engine, "100.00")
    order_list = oco_sell(engine)
    limit(engine, "maker", Side.BUY, "2", "89.00")
    trade_at(engine, "90.00")
    take, stop = order_list.legs
    assert (take.status, stop.status) == (OrderStatus.EXPIRED, OrderStatus.FILLED)
    assert engine.books["BTCUSDT"].l2.asks.best() != 11000
    assert not order_list.is_open
    assert holding(engine, "taker", "BTC")[1] == 0


def test_an_oco_with_legs_on_the_wrong_sides_is_refused(engine):
    trade_at(engine, "100.00")
    with pytest.raises(Reject) as refused:
        oco_sell(engine, take="120.00", stop="101.00")
    assert refused.value.reason in (RejectReason.PRICE_RELATIONSHIP, RejectReason.WOULD_TRIGGER)
    with pytest.raises(Reject) as refused:
        oco_sell(engine, take="99.00", stop="90.00")
    assert refused.value.reason is RejectReason.PRICE_RELATIONSHIP


def test_cancelling_one_leg_cancels_the_list_and_frees_its_funds(engine):
    trade_at(engine, "100.00")
    free_before = holding(engine, "taker", "BTC")[0]
    order_list = oco_sell(engine)
    seen = events(engine)
    engine.cancel("taker", "BTCUSDT", order_id=order_list.legs[1].order_id)
    assert [o.status for o in order_list.legs] == [OrderStatus.CANCELED] * 2
    assert holding(engine, "taker", "BTC") == (free_before, 0)
    assert [e.order_list for e in seen if isinstance(e, ListChanged)] == [order_list]


def oto(engine, pending):
    working = Leg(Side.BUY, OrderType.LIMIT, D("1"), D("99.00"))
    return engine.place_list("taker", "BTCUSDT", ListKind.OTO, pending, working=working)


def test_an_oto_places_its_pending_leg_when_the_working_order_fills(engine):
    trade_at(engine, "100.00")
    order_list = oto(engine, [Leg(Side.SELL, OrderType.LIMIT, D("1"), D("120.00"))])
    (pending,) = order_list.legs
    assert (pending.pending, engine.books["BTCUSDT"].l2.asks.best()) == (True, None)
    limit(engine, "maker", Side.SELL, "1", "99.00")
    limit(engine, "maker", Side.BUY, "1", "100.00")
    assert order_list.working.status is OrderStatus.FILLED
    assert (pending.pending, pending.status) == (False, OrderStatus.NEW)
    assert engine.books["BTCUSDT"].l2.asks.best() == 12000


def test_an_oto_whose_working_order_is_cancelled_takes_its_pending_leg(engine):
    trade_at(engine, "100.00")
    order_list = oto(engine, [Leg(Side.SELL, OrderType.LIMIT, D("1"), D("120.00"))])
    engine.cancel("taker", "BTCUSDT", order_id=order_list.working.order_id)
    assert [o.status for o in order_list.orders] == [OrderStatus.CANCELED] * 2
    assert engine.open_orders("taker") == []


def test_an_otoco_places_a_one_cancels_other_pair_after_its_fill(engine):
    trade_at(engine, "100.00")
    pair = [
        Leg(Side.SELL, OrderType.POST_ONLY, D("1"), D("110.00")),
        Leg(Side.SELL, OrderType.MARKET, D("1"), stop_price=D("95.00")),
    ]
    order_list = oto(engine, pair)
    limit(engine, "maker", Side.SELL, "1", "99.00")
    take, stop = order_list.legs
    assert (take.working_ms is not None, stop.waiting) == (True, True)
    limit(engine, "maker", Side.BUY, "1", "110.00")
    assert (take.status, stop.status) == (OrderStatus.FILLED, OrderStatus.EXPIRED)


def test_amending_keeps_the_queue_place_and_frees_the_difference(engine):
    first, _ = limit(engine, "taker", Side.BUY, "1", "100.00")
    limit(engine, "maker", Side.BUY, "1", "100.00")
    amended = engine.amend("taker", "BTCUSDT", first.order_id, None, D("0.4"))
    assert holding(engine, "taker", "USDT")[1] == D("40.00")
    limit(engine, "maker", Side.SELL, "0.4", "100.00")
    assert amended.status is OrderStatus.FILLED


def test_amending_upwards_is_refused(engine):
    first, _ = limit(engine, "taker", Side.BUY, "1", "100.00")
    with pytest.raises(Reject) as refused:
        engine.amend("taker", "BTCUSDT", first.order_id, None, D("2"))
    assert refused.value.reason is RejectReason.NOT_AMENDABLE


def test_cancel_replace_swaps_an_order_in_one_step(engine):
    first, _ = limit(engine, "taker", Side.BUY, "1", "100.00")
    canceled, placed = engine.cancel_replace(
        "taker",
        "BTCUSDT",
        first.order_id,
        None,
        lambda: limit(engine, "taker", Side.BUY, "1", "101.00"),
        allow_failure=False,
    )
    assert canceled is first and first.status is OrderStatus.CANCELED
    assert placed[0].price == D("101.00")
    assert holding(engine, "taker", "USDT")[1] == D("101.00")


def test_cancel_replace_stops_when_the_cancel_fails(engine):
    tries = []
    canceled, placed = engine.cancel_replace(
        "taker", "BTCUSDT", 999, None, lambda: tries.append(1), allow_failure=False
    )
    assert (canceled.reason, placed, tries) == (RejectReason.UNKNOWN_ORDER, None, [])


def test_validate_checks_without_placing(engine):
    engine.validate("taker", "BTCUSDT", Side.BUY, OrderType.LIMIT, D("1"), D("100.00"))
    with pytest.raises(Reject) as refused:
        engine.validate("taker", "BTCUSDT", Side.BUY, OrderType.LIMIT, D("1"), D("100.001"))
    assert refused.value.reason is RejectReason.PRICE_FILTER
    assert engine.open_orders("taker") == []


def test_fills_are_kept_in_the_account_history(engine):
    trade_at(engine, "100.00")
    (fill,) = engine.accounts["taker"].fills
    assert (fill.side, fill.execution.price, fill.execution.is_maker) == (
        Side.BUY,
        D("100.00"),
        False,
    )


def test_an_ioc_pending_leg_works_once_and_expires_what_is_left(engine):
    trade_at(engine, "100.00")
    leg = Leg(Side.SELL, OrderType.LIMIT, D("1"), D("99.00"), time_in_force=TimeInForce.IOC)
    order_list = oto(engine, [leg])
    limit(engine, "maker", Side.SELL, "1", "99.00")
    (pending,) = order_list.legs
    assert pending.status is OrderStatus.EXPIRED
    assert not order_list.is_open


def test_an_account_remembers_its_newest_finished_orders_only(engine):
    engine.finished_kept = 3
    placed = [limit(engine, "taker", Side.BUY, "0.1", "100.00")[0] for _ in range(5)]
    for order in placed:
        engine.cancel("taker", "BTCUSDT", order_id=order.order_id)
    kept = [o.order_id for o in engine.all_orders("taker", "BTCUSDT")]
    assert kept == [o.order_id for o in placed[-3:]]


def test_a_switch_that_fires_cancels_at_most_its_limit_oldest_first(engine):
    placed = [limit(engine, "taker", Side.BUY, "0.1", f"{90 + i}.00")[0] for i in range(3)]
    engine.cancel_all_after("taker", 1, most=2)
    engine.clock.now += 5
    assert engine.fire_deadlines() == ["taker"]
    assert [o.status for o in placed] == [
        OrderStatus.CANCELED,
        OrderStatus.CANCELED,
        OrderStatus.NEW,
    ]
