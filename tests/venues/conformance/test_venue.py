"""The venue contract, proven the same way on every registered venue."""

import asyncio
import time
from dataclasses import replace
from decimal import Decimal

import pytest

from console.errors import Banned, InvalidOrder, RateLimited
from console.model import Interval, OrderStatus, OrderType, Side, TimeInForce
from console.net.stream import StreamState
from console.sim.exchange import TRADER_ACCOUNT
from console.sim.market import MARKET_ACCOUNT
from console.trading.deadman import DeadMansSwitch, SwitchState
from console.trading.orders import OrderManager, ReconcilePolicy
from console.venues.base import Fees, OrderRequest
from console.venues.feeds import BookState
from tests.fakes import until
from tests.venues.conformance.conftest import BTCUSDT, BUY, QTY, SYMBOL


def limit(client_id, price, qty=QTY, tif=TimeInForce.GTC, type_=OrderType.LIMIT):
    return OrderRequest(SYMBOL, Side.BUY, type_, client_id, qty, price, tif)


UNSTATED_MIN_NOTIONAL = {"weex"}
"""Venues whose symbol list states no minimum order value (WEEX's carries none: the
venue's own refusal is the word on it)."""
BANS_ADDRESSES = {"binance"}
"""Venues that ban an address ignoring their limits (Binance's 418)."""


async def test_instruments_are_the_venues_with_their_filters(harness):
    instruments = await harness.venue.instruments()
    listed = harness.engine.books[SYMBOL].instrument
    mine = instruments[SYMBOL]
    assert (mine.tick_size, mine.lot_size, mine.min_qty) == (
        listed.tick_size,
        listed.lot_size,
        listed.min_qty,
    )
    stated = harness.name not in UNSTATED_MIN_NOTIONAL
    assert mine.min_notional == (listed.min_notional if stated else 0)


async def test_every_symbols_last_price_comes_in_one_request(harness):
    book = harness.exchange.engine.books[SYMBOL]
    await until(lambda: book.last_price is not None, meanwhile=lambda: harness.advance(0.05))
    tickers = await harness.venue.day_tickers()
    assert list(tickers) == [SYMBOL]
    assert tickers[SYMBOL].last == book.last_price


async def test_the_fee_estimate_is_the_rate_the_venue_states_for_the_account(harness):
    engine = harness.engine
    account = engine.accounts.get(TRADER_ACCOUNT) or engine.open_account(TRADER_ACCOUNT)
    account.maker_fee = engine.default_maker_fee = Decimal("0.0002")
    account.taker_fee = engine.default_taker_fee = Decimal("0.0007")
    assert await harness.venue.fee_rates(SYMBOL) == Fees(Decimal("0.0002"), Decimal("0.0007"))


@pytest.mark.slow
async def test_the_book_equals_the_engine_after_100k_updates_through_faults(harness):
    book = harness.venue.book(SYMBOL)
    book.show(5000)  # the whole book, to compare it whole
    await asyncio.wait_for(book.wait_for(BookState.LIVE), 10)
    engine = harness.book()
    start = engine.last_update_id
    chaos = harness.chaos
    faults = {
        25_000: chaos.drop_connections,
        50_000: lambda: chaos.trigger("gap"),
        70_000: chaos.go_dark,  # a stall: no data, no pongs, for a while
        85_000: chaos.come_back,
    }
    book_states = {book.state}
    while engine.last_update_id - start < 100_000:
        harness.advance(0.02)
        done = engine.last_update_id - start
        for at in [at for at in faults if done >= at]:
            faults.pop(at)()
        book_states.add(book.state)
        await asyncio.sleep(0.005)
    await until(
        lambda: book.state is BookState.LIVE and book.book.last_update_id == engine.last_update_id,
        timeout=60,
    )
    lot = BTCUSDT.instrument.lot_size
    for side in Side:
        assert levels(book.book, side, lot) == levels(engine, side, lot)
    assert book.gaps >= 1 and BookState.STALE in book_states


def levels(book, side, lot):
    """Every level of `side` as (price, size) values on the lot: Huobi sends a level's
    amount as a binary float (`0.6493899999999999` for 0.64939), kept as sent on a finer
    step, so the figures are compared on the instrument's lot, not the step counts."""
    return [
        (book.prices.value(ticks), book.sizes.value(lots).quantize(lot))
        for ticks, lots in book.top(side, 100_000)
    ]


@pytest.mark.slow
async def test_trades_reach_the_tape_and_candles_follow_the_stream(harness):
    tape = harness.venue.trades(SYMBOL)
    series = await harness.venue.candles(SYMBOL, Interval.M1)
    assert len(series.candles) > 0
    version = series.version
    await until(lambda: tape.trades, meanwhile=lambda: harness.advance(0.05))
    printed = harness.exchange.tapes[SYMBOL][-1]
    await until(
        lambda: (tape.trades[-1].time_ms, tape.trades[-1].price) == (printed.time_ms, printed.price)
    )
    await until(lambda: series.version > version)


@pytest.mark.slow
async def test_the_ticker_carries_the_24_hours_and_the_top_of_book(harness):
    ticker = harness.venue.ticker(SYMBOL)
    engine = harness.exchange.engine.books[SYMBOL].l2
    await until(
        lambda: ticker.day is not None and ticker.top is not None,
        meanwhile=lambda: harness.advance(0.05),
    )
    assert ticker.day.low <= ticker.day.last <= ticker.day.high
    bid, ask = engine.prices.value(engine.best_bid), engine.prices.value(engine.best_ask)
    await until(lambda: (ticker.top.bid, ticker.top.ask) == (bid, ask))


@pytest.mark.parametrize(
    ("type_", "tif", "ticks_away", "expected"),
    [
        (OrderType.LIMIT, TimeInForce.GTC, 200, OrderStatus.NEW),
        (OrderType.LIMIT, TimeInForce.IOC, 200, OrderStatus.EXPIRED),
        (OrderType.LIMIT, TimeInForce.FOK, 200, OrderStatus.EXPIRED),
        (OrderType.POST_ONLY, TimeInForce.GTC, 200, OrderStatus.NEW),
        (OrderType.MARKET, TimeInForce.GTC, None, OrderStatus.FILLED),
    ],
)
async def test_every_order_type_the_venue_lists_reaches_it(
    harness, type_, tif, ticks_away, expected
):
    if type_ not in harness.venue.capabilities.order_types:
        pytest.skip(f"{harness.name} takes no {type_} orders")
    price = None if ticks_away is None else harness.bid(ticks_away)
    request = limit(f"type-{type_}-{tif}", price, Decimal("0.001"), tif, type_)
    if type_ is OrderType.MARKET and harness.venue.capabilities.market_buy_in_quote:
        request = replace(request, qty=None, quote_qty=Decimal(100))
    placed = await harness.venue.place(request)
    assert (placed.type, placed.status) == (type_, expected)


async def test_a_market_buy_sized_in_quote_spends_it_as_the_venue_does(harness):
    """Binance's `quoteOrderQty` buys whole lots, spending up to one lot's worth less;
    Huobi's buy-market spends its whole value, trading below the lot."""
    request = OrderRequest(SYMBOL, BUY, OrderType.MARKET, "by-value", None, quote_qty=Decimal(100))
    placed = await harness.venue.place(request)
    ask = harness.book().prices.value(harness.book().best_ask)
    spent = harness.engine.order(TRADER_ACCOUNT, client_order_id="by-value").filled_quote
    if harness.engine.lot_parts > 1:
        assert spent.quantize(Decimal("1E-8")) == Decimal(100)
    else:
        assert Decimal(100) - ask * BTCUSDT.instrument.lot_size < spent <= Decimal(100)
    assert placed.status is OrderStatus.FILLED
    assert placed.filled_quote.quantize(Decimal("1E-8")) == spent.quantize(Decimal("1E-8"))


@pytest.mark.parametrize(
    ("type_", "side"),
    [
        (OrderType.STOP_LIMIT, Side.SELL),
        (OrderType.STOP_MARKET, Side.SELL),
        (OrderType.TAKE_PROFIT_LIMIT, Side.BUY),
        (OrderType.TAKE_PROFIT_MARKET, Side.BUY),
    ],
)
async def test_a_stop_or_take_profit_waits_off_the_book_for_its_trigger(harness, type_, side):
    if type_ not in harness.venue.capabilities.order_types:
        pytest.skip(f"{harness.name} takes no {type_} orders")
    trigger = harness.bid(300)  # under the market: a sell's stop, a buy's take-profit
    price = trigger - BTCUSDT.instrument.tick_size * 10 if type_.priced else None
    request = OrderRequest(
        SYMBOL, side, type_, f"trig-{type_}", Decimal("0.001"), price, trigger=trigger
    )
    placed = await harness.venue.place(request)
    assert (placed.type, placed.status, placed.trigger) == (type_, OrderStatus.NEW, trigger)
    waiting = harness.engine.order(TRADER_ACCOUNT, client_order_id=request.client_order_id)
    assert waiting.working_ms is None  # off the book until the last price reaches it
    found = await harness.venue.order(SYMBOL, request.client_order_id)
    assert (found.type, found.trigger) == (type_, trigger)
    assert (await harness.venue.cancel(SYMBOL, request.client_order_id)).status is (
        OrderStatus.CANCELED
    )


async def test_a_stop_the_market_reaches_works_fills_and_is_heard_as_the_stop_it_was(harness):
    if OrderType.STOP_LIMIT not in harness.venue.capabilities.order_types:
        pytest.skip(f"{harness.name} takes no stop-limit orders")
    manager = await harness.watched()
    client_id = manager.new_client_order_id()
    l2 = harness.book()
    (_, _), (second, _), (third, _) = l2.top(Side.SELL, 3)
    trigger, price = l2.prices.value(second), l2.prices.value(third + 50)
    stop = OrderRequest(
        SYMBOL, BUY, OrderType.STOP_LIMIT, client_id, Decimal("0.001"), price, trigger=trigger
    )
    await manager.submit(stop)
    harness.engine.place(  # a buyer takes the asks up to the trigger: the last price reaches it
        MARKET_ACCOUNT, SYMBOL, BUY, OrderType.LIMIT, Decimal(1), trigger, TimeInForce.IOC
    )
    await until(lambda: manager.orders[client_id].status is OrderStatus.FILLED)
    heard = manager.orders[client_id]
    assert (heard.type, heard.trigger, heard.filled_qty) == (
        OrderType.STOP_LIMIT,
        trigger,
        Decimal("0.001"),
    )
    await until(lambda: manager.fills and manager.fills[-1].client_order_id == client_id)


async def test_a_one_cancels_other_pair_rests_both_and_a_cancel_ends_both(harness):
    if not harness.venue.capabilities.oco:
        pytest.skip(f"{harness.name} takes no one-cancels-other pair")
    l2 = harness.book()
    take = l2.prices.value(l2.best_ask + 300)
    trigger = harness.bid(300)
    limit = OrderRequest(SYMBOL, Side.SELL, OrderType.POST_ONLY, "oco-take", QTY, take)
    stop = OrderRequest(SYMBOL, Side.SELL, OrderType.STOP_MARKET, "oco-stop", QTY, trigger=trigger)
    placed = await harness.venue.place_oco(limit, stop, "oco-1")
    assert [(o.client_order_id, o.type, o.status) for o in placed] == [
        ("oco-take", OrderType.POST_ONLY, OrderStatus.NEW),
        ("oco-stop", OrderType.STOP_MARKET, OrderStatus.NEW),
    ]
    assert (placed[0].price, placed[1].trigger) == (take, trigger)
    await harness.venue.cancel(SYMBOL, "oco-take")
    assert harness.resting() == []
    assert (await harness.venue.order(SYMBOL, "oco-stop")).status is not OrderStatus.NEW


async def test_a_post_only_order_that_would_take_is_refused(harness):
    l2 = harness.book()
    with pytest.raises(InvalidOrder):
        await harness.venue.place(
            limit("po-1", l2.prices.value(l2.best_ask), type_=OrderType.POST_ONLY)
        )


async def test_an_order_is_placed_found_and_cancelled(harness):
    venue = harness.venue
    placed = await venue.place(limit("life-1", harness.bid(200)))
    assert (placed.status, placed.client_order_id) == (OrderStatus.NEW, "life-1")
    assert [o.client_order_id for o in await venue.open_orders(SYMBOL)] == ["life-1"]
    assert (await venue.order(SYMBOL, "life-1")).qty == QTY
    cancelled = await venue.cancel(SYMBOL, "life-1")
    assert cancelled.status is OrderStatus.CANCELED
    assert harness.resting() == []


async def test_an_order_placed_by_another_program_is_cancelled_by_its_client_id(harness):
    harness.engine.place(
        TRADER_ACCOUNT,
        SYMBOL,
        BUY,
        OrderType.LIMIT,
        QTY,
        harness.bid(200),
        client_order_id="elsewhere-1",
    )
    cancelled = await harness.venue.cancel(SYMBOL, "elsewhere-1")
    assert (cancelled.status, cancelled.client_order_id) == (OrderStatus.CANCELED, "elsewhere-1")
    assert harness.resting() == []


async def test_cancel_all_cancels_every_order_on_the_symbol(harness):
    for i in range(3):
        await harness.venue.place(limit(f"all-{i}", harness.bid(200 + i)))
    cancelled = await harness.venue.cancel_all(SYMBOL)
    assert sorted(o.client_order_id for o in cancelled) == ["all-0", "all-1", "all-2"]
    assert harness.resting() == []


async def test_a_resting_order_moves_to_a_new_price_and_size(harness):
    manager = await harness.watched()
    old_id = manager.new_client_order_id()
    await manager.submit(limit(old_id, harness.bid(200)))
    moved = await manager.move(old_id, harness.bid(300), Decimal("0.02"))
    assert moved.problem == ""
    assert moved.old.status is OrderStatus.CANCELED
    assert moved.new is not None and moved.new.status is OrderStatus.NEW
    unit = harness.engine.books[SYMBOL].unit
    assert [(o.client_order_id, o.price, o.qty_lots * unit) for o in harness.resting()] == [
        (moved.new.client_order_id, harness.bid(300), Decimal("0.02"))
    ]


async def test_an_order_that_traded_since_it_was_seen_is_not_replaced(harness):
    manager = OrderManager(harness.venue)  # no account stream: the fill goes unseen
    old_id = manager.new_client_order_id()
    l2 = harness.book()
    await manager.submit(limit(old_id, l2.prices.value(l2.best_bid + 1)))
    harness.engine.place(MARKET_ACCOUNT, SYMBOL, Side.SELL, OrderType.MARKET, Decimal("0.004"))
    moved = await manager.move(old_id, harness.bid(300), QTY)
    assert moved.new is None or moved.new.status is OrderStatus.REJECTED
    assert moved.old.filled_qty == Decimal("0.004")
    assert all(o.client_order_id == old_id for o in harness.resting())
    assert moved.text.startswith(("not moved", "cancelled, not replaced"))


async def test_the_account_stream_reports_the_fill_and_the_balances(harness):
    manager = await harness.watched()
    client_id = manager.new_client_order_id()
    l2 = harness.book()
    top = l2.prices.value(l2.best_bid + 1)
    await manager.submit(limit(client_id, top, Decimal("0.001")))
    order = harness.engine.order("trader", client_order_id=client_id)
    while order.is_open:
        harness.advance(0.01)
        await asyncio.sleep(0)
    await until(lambda: manager.orders[client_id].status is OrderStatus.FILLED)
    assert manager.fills[-1].client_order_id == client_id
    await until(lambda: manager.balances.get("BTC") is not None)
    assert manager.balances["BTC"].free == Decimal(1) + Decimal("0.001") - manager.fills[-1].fee


async def test_fills_the_account_stream_never_delivered_are_fetched_once(harness):
    manager = OrderManager(harness.venue)  # no account stream: every fill is missed
    client_id = manager.new_client_order_id()
    l2 = harness.book()
    await manager.submit(limit(client_id, l2.prices.value(l2.best_bid + 1), Decimal("0.001")))
    order = harness.engine.order("trader", client_order_id=client_id)
    while order.is_open:
        harness.advance(0.01)
        await asyncio.sleep(0)
    await manager.reconcile_all()
    assert manager.orders[client_id].status is OrderStatus.FILLED
    assert await manager.catch_up_fills() >= 1
    assert await manager.catch_up_fills() == 0
    engine_fills = [
        f for f in harness.engine.accounts["trader"].fills if f.order_id == order.order_id
    ]
    assert sorted(f.trade_id for f in manager.fills) == sorted(
        str(f.execution.trade_id) for f in engine_fills
    )
    assert {f.client_order_id for f in manager.fills} == {client_id}
    assert sum(f.qty for f in manager.fills) == Decimal("0.001")


async def test_both_sides_of_a_self_trade_are_fetched_as_two_fills(harness):
    """One trade between two of the account's own orders is a fill of each: the venue lists
    both under the one trade id, and neither may hide the other."""
    engine, l2 = harness.engine, harness.book()
    inside = l2.prices.value(l2.best_bid + 1)  # inside the spread: only our orders meet there
    sell, _ = engine.place(TRADER_ACCOUNT, SYMBOL, Side.SELL, OrderType.LIMIT, QTY, inside)
    buy, _ = engine.place(TRADER_ACCOUNT, SYMBOL, Side.BUY, OrderType.LIMIT, QTY, inside)
    fills = await harness.venue.fills(SYMBOL, 0)
    assert sorted((f.order_id, f.side, f.qty) for f in fills) == sorted(
        [(str(sell.order_id), Side.SELL, QTY), (str(buy.order_id), Side.BUY, QTY)]
    )
    assert len({f.trade_id for f in fills}) == 1


@pytest.mark.slow
async def test_more_fills_than_one_page_are_all_fetched(harness):
    """Beyond what one request returns (Huobi 500, Binance 1,000): every fill, once."""
    engine = harness.engine
    for _ in range(1_100):
        engine.place("trader", SYMBOL, Side.BUY, OrderType.MARKET, Decimal("0.0001"))
        if not engine.books[SYMBOL].l2.asks.best():
            harness.advance(0.05)
    fills = await harness.venue.fills(SYMBOL, 0)
    expected = {str(f.execution.trade_id) for f in engine.accounts["trader"].fills}
    assert len(expected) >= 1_100
    assert sorted(f.trade_id for f in fills) == sorted(expected)


async def test_an_order_timing_out_after_the_engine_acted_is_neither_lost_nor_doubled(harness):
    manager = await harness.watched()
    harness.chaos.trigger("order_timeout")
    client_id = manager.new_client_order_id()
    answer = await manager.submit(limit(client_id, harness.bid(200)))
    assert answer.status in (OrderStatus.UNKNOWN, OrderStatus.NEW)
    await until(lambda: manager.orders[client_id].status is OrderStatus.NEW)
    assert [o.client_order_id for o in harness.resting()] == [client_id]


@pytest.mark.slow
async def test_an_order_accepted_late_stays_unknown_until_the_venue_shows_it(harness):
    harness.chaos.accept_delay = 2.0
    manager = await harness.watched(ReconcilePolicy(first_delay=0.1, max_delay=0.3))
    harness.chaos.trigger("late_accept")
    client_id = manager.new_client_order_id()
    answer = await manager.submit(limit(client_id, harness.bid(200)))
    assert answer.status is OrderStatus.UNKNOWN
    assert [o.client_order_id for o in manager.open_orders()] == [client_id]
    await until(lambda: manager.orders[client_id].status is OrderStatus.NEW)
    assert [o.client_order_id for o in harness.resting()] == [client_id]


@pytest.mark.slow
async def test_a_rate_limit_answer_holds_the_next_request_for_its_retry_after(harness):
    harness.chaos.trigger("429")
    with pytest.raises(RateLimited) as limited:
        await harness.venue.server_time()
    refused_at = time.monotonic()
    await harness.venue.server_time()
    assert time.monotonic() - refused_at >= limited.value.retry_after * 0.9


async def test_a_ban_refuses_every_request_until_it_ends(harness):
    if harness.name not in BANS_ADDRESSES:
        pytest.skip(f"{harness.name} bans no addresses")
    harness.chaos.trigger("418")
    with pytest.raises(Banned):
        await harness.venue.server_time()
    with pytest.raises(Banned):
        await harness.venue.server_time()


@pytest.mark.slow
async def test_heartbeat_loss_is_shown_at_once_and_recovered_within_the_window(harness):
    venue = harness.venue
    book = venue.book(SYMBOL)
    await asyncio.wait_for(book.wait_for(BookState.LIVE), 10)
    (market,) = [s for s in venue.streams if s.name == "market"]
    reconnects = market.reconnects
    harness.chaos.stall_connections()
    await until(lambda: market.state is StreamState.STALE and book.state is BookState.STALE)
    assert market.reconnects == reconnects  # the quiet threshold, not the heartbeat window
    await until(lambda: market.reconnects > reconnects, timeout=60)
    await asyncio.wait_for(book.wait_for(BookState.LIVE), 30)


@pytest.mark.slow
async def test_the_dead_mans_switch_cancels_when_the_venue_goes_silent(harness):
    manager = await harness.watched()
    for i in range(2):
        await manager.submit(limit(manager.new_client_order_id(), harness.bid(200 + i)))
    switch = DeadMansSwitch(harness.venue, manager, grace=5)
    task = asyncio.create_task(switch.run())
    try:
        harness.chaos.go_dark()
        await until(lambda: switch.state is SwitchState.TRIPPED, timeout=20)
        harness.chaos.come_back()
        await until(lambda: harness.resting() == [], timeout=30)
        await until(lambda: switch.state is SwitchState.ARMED, timeout=60)
    finally:
        task.cancel()
        await manager.stop()
    assert manager.open_orders() == []


async def test_the_rate_usage_the_status_bar_shows_reads_before_and_after_an_order(harness):
    moment = harness.venue.limiter.clock()
    harness.venue.limiter.clock = lambda: moment  # nothing refills between the order and the read
    before = harness.venue.rate_usage()
    await harness.venue.place(limit("usage-1", harness.bid(200)))
    used, allowed = harness.venue.rate_usage()
    assert before is None or before[1] == allowed
    assert 0 < used <= allowed


async def test_a_venue_clock_moved_mid_session_is_measured_again_and_orders_still_go(harness):
    manager = await harness.watched()
    harness.chaos.skew = 10 * 60_000  # ten minutes: past every venue's timestamp window
    client_id = manager.new_client_order_id()
    answer = await manager.submit(limit(client_id, harness.bid(200)))
    assert answer.status is OrderStatus.NEW
    assert harness.venue.clock_offset_ms >= 9 * 60_000
    cancelled = await manager.cancel(client_id)
    assert cancelled.status is OrderStatus.CANCELED
    assert manager.problem is None
