"""The matching engine: priority, order types, funds, fees, filters and the dead-man's switch."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.model import Instrument, OrderStatus, OrderType, Side, TimeInForce
from console.sim.engine import Engine
from console.sim.state import ExecType, OrderChanged, Reject, RejectReason

BTCUSDT = Instrument(
    "BTCUSDT",
    "BTC",
    "USDT",
    tick_size=D("0.01"),
    lot_size=D("0.001"),
    min_qty=D("0.001"),
    max_qty=D("100"),
    min_notional=D("5"),
)


class Clock:
    def __init__(self):
        self.now = 1_000_000

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


def funded_engine(clock):
    """An engine with one symbol and two well-funded accounts, maker and taker."""
    engine = Engine([BTCUSDT], clock=clock)
    engine.open_account("maker", {"BTC": D(10), "USDT": D(1_000_000)})
    engine.open_account("taker", {"BTC": D(10), "USDT": D(1_000_000)})
    return engine


@pytest.fixture
def engine(clock):
    return funded_engine(clock)


def limit(engine, account, side, qty, price, tif=TimeInForce.GTC, **kw):
    return engine.place(account, "BTCUSDT", side, OrderType.LIMIT, D(qty), D(price), tif, **kw)


def holding(engine, account, asset):
    h = engine.accounts[account].holding(asset)
    return h.free, h.locked


def test_resting_buy_locks_its_quote(engine):
    order, fills = limit(engine, "maker", Side.BUY, "1", "100.00")
    assert (order.status, fills) == (OrderStatus.NEW, [])
    assert holding(engine, "maker", "USDT") == (D("999900.00"), D("100.00"))


def test_earlier_order_at_a_price_fills_first(engine):
    first, _ = limit(engine, "maker", Side.SELL, "1", "100.00")
    second, _ = limit(engine, "maker", Side.SELL, "1", "100.00")
    limit(engine, "taker", Side.BUY, "1.5", "100.00")
    assert (first.status, second.status) == (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)
    assert second.filled_lots == 500


def test_better_price_fills_before_earlier_time(engine):
    limit(engine, "maker", Side.SELL, "1", "101.00")
    cheaper, _ = limit(engine, "maker", Side.SELL, "1", "100.00")
    _, fills = limit(engine, "taker", Side.BUY, "1", "101.00")
    assert [f.price for f in fills] == [D("100.00")]
    assert cheaper.status is OrderStatus.FILLED


def test_fill_at_a_better_price_unlocks_the_difference(engine):
    limit(engine, "maker", Side.SELL, "1", "100.00")
    limit(engine, "taker", Side.BUY, "1", "105.00")
    # paid 100.00, fee 0.1% of the BTC received
    assert holding(engine, "taker", "USDT") == (D("999900.00"), D(0))
    assert holding(engine, "taker", "BTC") == (D("10.999"), D(0))


def test_maker_and_taker_pay_their_own_fee_rates(engine):
    engine.accounts["maker"].maker_fee = D("0.0002")
    engine.accounts["taker"].taker_fee = D("0.0005")
    limit(engine, "maker", Side.SELL, "2", "100.00")
    _, fills = limit(engine, "taker", Side.BUY, "2", "100.00")
    assert (fills[0].fee, fills[0].fee_asset) == (D("0.001"), "BTC")
    assert engine.fees_collected == {"USDT": D("0.04"), "BTC": D("0.001")}


def test_ioc_remainder_expires_and_releases_funds(engine):
    limit(engine, "maker", Side.SELL, "1", "100.00")
    order, _ = limit(engine, "taker", Side.BUY, "3", "100.00", TimeInForce.IOC)
    assert (order.status, order.filled_lots) == (OrderStatus.EXPIRED, 1000)
    assert holding(engine, "taker", "USDT")[1] == 0


def test_fok_that_cannot_fill_whole_does_not_trade(engine):
    maker, _ = limit(engine, "maker", Side.SELL, "1", "100.00")
    order, fills = limit(engine, "taker", Side.BUY, "2", "100.00", TimeInForce.FOK)
    assert (order.status, fills, maker.status) == (OrderStatus.EXPIRED, [], OrderStatus.NEW)


def test_fok_that_can_fill_whole_fills(engine):
    limit(engine, "maker", Side.SELL, "1", "100.00")
    limit(engine, "maker", Side.SELL, "1", "100.50")
    order, fills = limit(engine, "taker", Side.BUY, "2", "100.50", TimeInForce.FOK)
    assert order.status is OrderStatus.FILLED
    assert len(fills) == 2


def test_post_only_that_would_take_is_refused(engine):
    limit(engine, "maker", Side.SELL, "1", "100.00")
    with pytest.raises(Reject) as refused:
        engine.place("taker", "BTCUSDT", Side.BUY, OrderType.POST_ONLY, D(1), D("100.00"))
    assert refused.value.reason is RejectReason.WOULD_TAKE


def test_market_buy_by_quote_spends_no_more_than_asked(engine):
    limit(engine, "maker", Side.SELL, "1", "100.00")
    order, fills = engine.place(
        "taker", "BTCUSDT", Side.BUY, OrderType.MARKET, quote_qty=D("50.05")
    )
    assert order.status is OrderStatus.FILLED
    assert fills[0].qty == D("0.500")
    assert holding(engine, "taker", "USDT") == (D("999950.00"), D(0))


def test_a_venue_trading_below_its_lot_spends_a_quote_sized_buy_whole(clock):
    engine = Engine([BTCUSDT], clock=clock, lot_parts=10**8)
    engine.open_account("maker", {"BTC": D(10)})
    engine.open_account("taker", {"USDT": D(1000)})
    limit(engine, "maker", Side.SELL, "1", "100.00")
    limit(engine, "maker", Side.SELL, "1", "101.00")
    order, fills = engine.place(
        "taker", "BTCUSDT", Side.BUY, OrderType.MARKET, quote_qty=D("150.55")
    )
    assert order.status is OrderStatus.FILLED
    assert [(f.price, f.qty) for f in fills] == [
        (D("100.00"), D("1.000")),
        (D("101.00"), D("0.50049504950")),  # 50.55 / 101, below the lot of 0.001
    ]
    assert order.filled_quote.quantize(D("1E-8")) == D("150.55")
    (rest,) = engine.open_orders("maker")
    assert engine.books["BTCUSDT"].l2.sizes.value(rest.remaining_lots) == D("0.49950495050")


def test_a_venue_trading_below_its_lot_still_takes_orders_in_whole_lots(clock):
    engine = Engine([BTCUSDT], clock=clock, lot_parts=10**8)
    engine.open_account("maker", {"BTC": D(10)})
    with pytest.raises(Reject) as refused:
        limit(engine, "maker", Side.SELL, "1.0005", "100.00")
    assert refused.value.reason is RejectReason.LOT_SIZE


def test_market_sell_walks_the_bids(engine):
    limit(engine, "maker", Side.BUY, "1", "100.00")
    limit(engine, "maker", Side.BUY, "1", "99.00")
    order, fills = engine.place("taker", "BTCUSDT", Side.SELL, OrderType.MARKET, D("1.5"))
    assert order.status is OrderStatus.FILLED
    assert [(f.price, f.qty) for f in fills] == [
        (D("100.00"), D("1.000")),
        (D("99.00"), D("0.500")),
    ]


def test_market_order_larger_than_the_book_expires_the_rest(engine):
    limit(engine, "maker", Side.BUY, "1", "100.00")
    order, _ = engine.place("taker", "BTCUSDT", Side.SELL, OrderType.MARKET, D(2))
    assert (order.status, order.filled_lots) == (OrderStatus.EXPIRED, 1000)
    assert holding(engine, "taker", "BTC") == (D(9), D(0))


@pytest.mark.parametrize(
    ("qty", "price", "reason"),
    [
        ("1", "100.001", RejectReason.PRICE_FILTER),
        ("1.0005", "100.00", RejectReason.LOT_SIZE),
        ("0.0001", "100.00", RejectReason.LOT_SIZE),
        ("101", "100.00", RejectReason.LOT_SIZE),
        ("0.01", "100.00", RejectReason.NOTIONAL),
        ("50", "100000.00", RejectReason.INSUFFICIENT_BALANCE),
    ],
)
def test_order_outside_the_filters_is_refused_with_no_effect(engine, qty, price, reason):
    with pytest.raises(Reject) as refused:
        limit(engine, "taker", Side.BUY, qty, price)
    assert refused.value.reason is reason
    assert holding(engine, "taker", "USDT") == (D(1_000_000), D(0))


def test_client_order_id_of_an_open_order_cannot_be_reused(engine):
    limit(engine, "taker", Side.BUY, "1", "90.00", client_order_id="abc")
    with pytest.raises(Reject) as refused:
        limit(engine, "taker", Side.BUY, "1", "91.00", client_order_id="abc")
    assert refused.value.reason is RejectReason.DUPLICATE_ORDER


def test_cancel_releases_the_lock_and_removes_the_level(engine):
    order, _ = limit(engine, "taker", Side.BUY, "1", "90.00")
    engine.cancel("taker", "BTCUSDT", client_order_id=order.client_order_id)
    assert order.status is OrderStatus.CANCELED
    assert holding(engine, "taker", "USDT") == (D(1_000_000), D(0))
    assert engine.books["BTCUSDT"].l2.best_bid is None


def test_cancel_of_a_finished_order_is_refused(engine):
    limit(engine, "maker", Side.SELL, "1", "100.00")
    order, _ = limit(engine, "taker", Side.BUY, "1", "100.00")
    with pytest.raises(Reject):
        engine.cancel("taker", "BTCUSDT", order_id=order.order_id)


def test_cancel_all_after_cancels_when_not_refreshed(engine, clock):
    limit(engine, "taker", Side.BUY, "1", "90.00")
    limit(engine, "maker", Side.BUY, "1", "91.00")
    engine.cancel_all_after("taker", 10_000)
    clock.now += 9_999
    assert engine.fire_deadlines() == []
    clock.now += 1
    assert engine.fire_deadlines() == ["taker"]
    assert engine.open_orders("taker") == []
    assert len(engine.open_orders("maker")) == 1


def test_cancel_all_after_zero_disarms(engine, clock):
    limit(engine, "taker", Side.BUY, "1", "90.00")
    engine.cancel_all_after("taker", 10_000)
    engine.cancel_all_after("taker", 0)
    clock.now += 60_000
    assert engine.fire_deadlines() == []


def test_every_change_is_published_with_consecutive_book_ids(engine):
    events = []
    engine.subscribe(events.append)
    limit(engine, "maker", Side.SELL, "1", "100.00")
    limit(engine, "taker", Side.BUY, "1", "100.00")
    book_ids = [e.update_id for e in events if type(e).__name__ == "BookChanged"]
    assert book_ids == [1, 2]
    trades = [e for e in events if isinstance(e, OrderChanged) and e.exec_type is ExecType.TRADE]
    assert {e.order.account for e in trades} == {"maker", "taker"}


# -- properties over random order flow --------------------------------------------------

ACCOUNTS = ["a", "b", "c"]
DEPOSITS = {"BTC": D(5), "USDT": D(50_000)}

orders = st.tuples(
    st.sampled_from(ACCOUNTS),
    st.sampled_from(list(Side)),
    st.sampled_from([OrderType.LIMIT, OrderType.MARKET, OrderType.POST_ONLY]),
    st.sampled_from(list(TimeInForce)),
    st.integers(1, 3000),  # lots of 0.001
    st.integers(9900, 10100),  # ticks of 0.01 around 100.00
)
actions = st.lists(
    st.one_of(orders, st.tuples(st.just("cancel"), st.integers(0, 50))), min_size=10, max_size=60
)


def total(engine, asset):
    held = sum(
        h.free + h.locked
        for a in engine.accounts.values()
        for name, h in a.holdings.items()
        if name == asset
    )
    return held + engine.fees_collected.get(asset, D(0))


@settings(max_examples=150, deadline=None)
@given(actions)
def test_random_flow_conserves_assets_never_crosses_and_never_overfills(flow):
    engine = Engine([BTCUSDT])
    for name in ACCOUNTS:
        engine.open_account(name, dict(DEPOSITS))
    placed = []
    for action in flow:
        if action[0] == "cancel":
            open_orders = [o for o in placed if o.is_open]
            if open_orders:
                victim = open_orders[action[1] % len(open_orders)]
                engine.cancel(victim.account, "BTCUSDT", order_id=victim.order_id)
        else:
            account, side, type, tif, lots, ticks = action
            price = None if type is OrderType.MARKET else D(ticks) / 100
            try:
                order, _ = engine.place(account, "BTCUSDT", side, type, D(lots) / 1000, price, tif)
            except Reject:
                continue
            placed.append(order)
        l2 = engine.books["BTCUSDT"].l2
        assert not l2.is_crossed
        assert total(engine, "BTC") == 3 * DEPOSITS["BTC"]
        assert total(engine, "USDT") == 3 * DEPOSITS["USDT"]
        for order in placed:
            assert 0 <= order.filled_lots <= order.qty_lots
        for account in engine.accounts.values():
            for holding_ in account.holdings.values():
                assert holding_.free >= 0 and holding_.locked >= 0
            locked_base = sum(o.locked for o in account.open_orders.values() if o.side is Side.SELL)
            assert account.holding("BTC").locked == locked_base
        resting = {}
        for (side, ticks), queue in engine.books["BTCUSDT"].queues.items():
            resting[(side, ticks)] = sum(o.remaining_lots for o in queue)
        assert resting == {(s, t): lots for s in Side for t, lots in l2.top(s, 10_000)}


def test_order_above_the_maximum_notional_is_refused():
    capped = Instrument(
        "BTCUSDT",
        "BTC",
        "USDT",
        D("0.01"),
        D("0.001"),
        D("0.001"),
        D(100),
        D(5),
        max_notional=D(1000),
    )
    engine = Engine([capped])
    engine.open_account("taker", {"USDT": D(1_000_000)})
    with pytest.raises(Reject) as refused:
        engine.place("taker", "BTCUSDT", Side.BUY, OrderType.LIMIT, D(11), D("100.00"))
    assert refused.value.reason is RejectReason.NOTIONAL


def test_the_simulators_catalogue_holds_dozens_of_pairs_each_on_its_own_scale():
    from console.sim.market import LISTINGS

    instruments = {listing.instrument.symbol: listing.instrument for listing in LISTINGS}
    assert len(instruments) >= 24
    assert len({i.tick_size for i in instruments.values()}) >= 6
    assert len({i.lot_size for i in instruments.values()}) >= 5
    assert {i.quote for i in instruments.values()} == {"USDT", "BTC"}
    for listing in LISTINGS:  # every opening price sits on its tick, every limit on its lot
        inst = listing.instrument
        assert listing.opening_price % inst.tick_size == 0
        assert inst.max_qty % inst.lot_size == 0 and inst.min_qty == inst.lot_size


def test_the_majors_take_most_of_the_flow():
    from console.sim.exchange import SimExchange
    from console.sim.market import LISTINGS

    exchange = SimExchange(LISTINGS, seed=9, rate=0)
    counts = {}
    for flow in exchange.market.flows:
        original = flow.step
        flow.step = lambda flow=flow, original=original: (
            counts.__setitem__(flow.instrument.symbol, counts.get(flow.instrument.symbol, 0) + 1),
            original(),
        )
    exchange.market._step(4000)
    assert counts["BTCUSDT"] > counts["ETHUSDT"] > counts["SOLUSDT"] > counts["BCHUSDT"]
