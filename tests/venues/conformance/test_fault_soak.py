"""A thousand order requests through every fault a venue throws, on every registered venue:
afterwards the console, its journal and the engine hold exactly the same orders, and every
fill is counted once. Each venue is soaked on its default API: what the soak proves is the
order book-keeping under faults, and each API's own answers to those faults (a timeout, a
late acceptance, a 5xx, a 429) have a conformance test of their own on every API. The soak
takes as long as the venue's order budget makes a thousand requests take: WEEX's hundred
places a minute make it about five minutes there."""

import asyncio
import random
from collections import Counter
from decimal import Decimal

import pytest

from console.errors import RateLimited, VenueError
from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.journal import Journal
from console.trading.orders import OrderManager, ReconcilePolicy
from console.venues.base import OrderRequest
from tests.fakes import until
from tests.venues.conformance.conftest import DEFAULTS, SYMBOL, ids

REQUESTS = 1_000
FAULTS = {"order_timeout": 0.04, "late_accept": 0.01, "http_5xx": 0.03, "http_429": 0.01}
DROP_STREAMS_EVERY = 100
QTY = Decimal("0.001")


async def one_request(harness, manager, rng):
    """A place (one in five crossing the spread), a cancel or a cancel-all, as a trader's
    keys would send them; what the venue answers is the manager's business."""
    l2 = harness.book()
    roll = rng.random()
    cancellable = [o.client_order_id for o in manager.open_orders() if o.order_id is not None]
    if roll < 0.45 or not cancellable:
        crossing = rng.random() < 0.2
        side = rng.choice((Side.BUY, Side.SELL))
        if crossing:
            ticks = l2.best_ask if side is Side.BUY else l2.best_bid
        else:
            away = rng.randint(5, 60)
            ticks = l2.best_bid - away if side is Side.BUY else l2.best_ask + away
        request = OrderRequest(
            SYMBOL,
            side,
            OrderType.LIMIT,
            manager.new_client_order_id(),
            QTY,
            l2.prices.value(ticks),
            TimeInForce.GTC,
        )
        await manager.submit(request)
    elif roll < 0.9:
        await manager.cancel(rng.choice(cancellable))
    else:
        await manager.cancel_all(SYMBOL)


def missing_fills(harness, manager):
    """Each order whose fills the console still lacks: what it holds against what the engine
    has, with the times the catch-up's `startTime` is read against."""
    held = Counter()
    for fill in manager.fills:
        held[fill.order_id] += fill.qty
    engine_fills = harness.engine.accounts[TRADER_ACCOUNT].fills
    return [
        {
            "order": (o.client_order_id, o.order_id, str(o.status), o.filled_qty, o.created_ms),
            "held": held[o.order_id],
            "engine": [
                (f.execution.trade_id, f.execution.qty, f.time_ms)
                for f in engine_fills
                if str(f.order_id) == o.order_id
            ],
        }
        for o in manager.fills_behind()
    ]


@pytest.mark.timeout(420)  # a thousand requests at the venue's own order rate
@pytest.mark.parametrize("harness", DEFAULTS, ids=ids(DEFAULTS), indirect=True)
async def test_a_thousand_order_requests_through_faults_leave_no_order_lost_or_doubled(
    harness, tmp_path
):
    journal = Journal(tmp_path / "orders.db", harness.name)
    manager = OrderManager(
        harness.venue,
        journal,
        ReconcilePolicy(lookup_window=5.0, first_delay=0.05, max_delay=0.5, retry_later=0.5),
    )
    manager.traded.add(SYMBOL)
    await harness.venue.watch_account(manager)
    await until(lambda: manager.user_stream_live)
    chaos, rng, outcomes = harness.chaos, random.Random(12), Counter()
    chaos.accept_delay = 0.3
    for fault, rate in FAULTS.items():
        setattr(chaos, fault, rate)

    for n in range(REQUESTS):
        if n % DROP_STREAMS_EVERY == DROP_STREAMS_EVERY // 2:
            chaos.drop_connections()
        try:
            await one_request(harness, manager, rng)
            outcomes["answered"] += 1
        except RateLimited as limited:
            outcomes["rate limited"] += 1
            await asyncio.sleep(limited.retry_after)  # as the venue asked
        except VenueError as error:
            outcomes[type(error).__name__] += 1
        if n % 5 == 0:
            harness.advance(0.004)
            await asyncio.sleep(0)

    for fault in FAULTS:
        setattr(chaos, fault, 0.0)
    await until(lambda: manager.user_stream_live, timeout=30)
    await until(lambda: not manager.unresolved(), timeout=60)
    await manager.reconcile_all()
    await manager.settled()
    await manager.catch_up_fills()
    try:
        await until(lambda: not manager.fills_behind(), timeout=120)  # after a rate limit's wait
    except TimeoutError:
        pytest.fail(f"fills still missing: {missing_fills(harness, manager)}")

    engine = harness.engine
    unit = engine.books[SYMBOL].unit
    everything = engine.all_orders(TRADER_ACCOUNT, SYMBOL)
    in_journal = journal.latest()
    console_open = {o.client_order_id for o in manager.open_orders()}
    journal_open = {cid for cid, o in in_journal.items() if o.status.is_open}
    engine_open = {o.client_order_id for o in everything if o.is_open}
    assert console_open == journal_open == engine_open
    assert manager.orphans == set()
    ids = Counter(o.client_order_id for o in everything)
    assert [cid for cid, times in ids.items() if times > 1] == []  # nothing sent twice
    assert {o.client_order_id: o.filled_lots * unit for o in everything} == {
        cid: o.filled_qty for cid, o in in_journal.items() if cid in ids
    }
    never_reached = {o.status for cid, o in in_journal.items() if cid not in ids}
    assert never_reached <= {OrderStatus.REJECTED, OrderStatus.NEVER_SEEN}
    engine_fills = {
        (str(f.order_id), str(f.execution.trade_id)) for f in engine.accounts[TRADER_ACCOUNT].fills
    }
    held_fills = [(f.order_id, f.trade_id) for f in manager.fills]
    assert len(held_fills) == len(set(held_fills))
    assert set(held_fills) == engine_fills
    assert outcomes["answered"] > REQUESTS // 2
    journal.close()
