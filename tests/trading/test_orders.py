"""The order manager: journal first, refusals final, unknowns reconciled, never resent."""

import time
from dataclasses import replace
from decimal import Decimal

import msgspec
import pytest

from console.errors import (
    AuthError,
    InsufficientFunds,
    InvalidOrder,
    OrderNotFound,
    RateLimited,
    UnknownStatus,
)
from console.model import Fill, OrderStatus, OrderType, Side
from console.trading.journal import Journal, JournalError
from console.trading.orders import OrderManager, ReconcilePolicy, merge
from console.venues.base import ALPHANUMERIC, IdPolicy, OrderRequest
from console.venues.binance.adapter import CAPABILITIES as BINANCE
from tests.fakes import a_buy, until


class ScriptedVenue:
    """Answers each call from a script; records what was sent."""

    capabilities = BINANCE

    def __init__(self):
        self.place_answers, self.lookups, self.sent = [], [], []

    async def place(self, request):
        self.sent.append(request)
        answer = self.place_answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def order(self, symbol, client_order_id):
        answer = self.lookups.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def fills(self, symbol, since_ms):
        return []


def order(client_id, status, filled="0"):
    return a_buy(client_id, status, filled_qty=Decimal(filled), order_id="7")


def request(client_id):
    return OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, client_id, Decimal(1), Decimal(100))


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "orders.db", "binance")
    yield journal
    journal.close()


@pytest.fixture
def venue():
    return ScriptedVenue()


@pytest.fixture
def manager(venue, journal):
    policy = ReconcilePolicy(first_delay=0, max_delay=0, retry_later=0)
    return OrderManager(venue, journal, policy, session_tag="t1")


def test_client_order_ids_are_short_safe_and_unique(manager):
    ids = {manager.new_client_order_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) <= 36 and i.replace("-", "").isalnum() for i in ids)


def test_client_order_ids_follow_a_venue_that_takes_letters_and_digits_only(venue, journal):
    venue.capabilities = replace(BINANCE, ids=IdPolicy(32, ALPHANUMERIC))
    manager = OrderManager(venue, journal, session_tag="0a1b2c3d4e5")
    assert manager.new_client_order_id() == "tc0a1b2c3d4e51"


def test_an_id_the_venue_would_refuse_is_never_made(venue, journal):
    venue.capabilities = replace(BINANCE, ids=IdPolicy(12))
    manager = OrderManager(venue, journal, session_tag="0a1b2c3d4e5")
    with pytest.raises(ValueError, match="breaks the venue's rule"):
        manager.new_client_order_id()


async def test_accepted_order_is_journaled_intent_first(manager, venue, journal):
    venue.place_answers.append(order("a", OrderStatus.NEW))
    placed = await manager.submit(request("a"))
    assert placed.status is OrderStatus.NEW
    assert journal.events("a") == ["intent", "answer"]


async def test_refused_order_ends_rejected_and_the_error_reaches_the_trader(manager, venue):
    venue.place_answers.append(InsufficientFunds(-2010, "insufficient balance"))
    with pytest.raises(InsufficientFunds):
        await manager.submit(request("b"))
    assert manager.orders["b"].status is OrderStatus.REJECTED


async def test_unknown_outcome_is_reconciled_not_resent(manager, venue, journal):
    venue.place_answers.append(UnknownStatus(-1007, "timeout"))
    venue.lookups.append(order("c", OrderStatus.NEW))
    answer = await manager.submit(request("c"))
    assert answer.status is OrderStatus.UNKNOWN
    await manager.settled()
    assert manager.orders["c"].status is OrderStatus.NEW
    assert len(venue.sent) == 1
    assert journal.events("c") == ["intent", "unknown", "reconciled"]


async def test_an_unknown_order_the_venue_never_shows_is_never_seen_once_the_window_ends(
    venue, journal
):
    manager = OrderManager(
        venue, journal, ReconcilePolicy(lookup_window=0.05, first_delay=0.01, max_delay=0.01)
    )
    venue.place_answers.append(UnknownStatus(None, "connection lost"))
    venue.lookups.extend([OrderNotFound(-2013, "Order does not exist.")] * 1000)
    await manager.submit(request("d"))
    assert [o.client_order_id for o in manager.open_orders()] == ["d"]  # open while looked up
    await manager.settled()
    assert manager.orders["d"].status is OrderStatus.NEVER_SEEN
    assert manager.open_orders() == []
    assert 3 <= 1000 - len(venue.lookups) < 1000
    assert journal.events("d") == ["intent", "unknown", "never-seen"]


async def test_a_venue_event_settles_an_unknown_order_after_the_lookups_gave_up(venue, journal):
    manager = OrderManager(venue, journal, ReconcilePolicy(lookup_window=0, first_delay=0.01))
    venue.place_answers.append(UnknownStatus(-1007, "timeout"))
    venue.lookups.append(OrderNotFound(-2013, "Order does not exist."))
    await manager.submit(request("d2"))
    await manager.settled()
    manager.on_order(order("d2", OrderStatus.NEW), None)
    assert manager.orders["d2"].status is OrderStatus.NEW
    assert journal.events("d2") == ["intent", "unknown", "never-seen", "update"]


async def test_order_found_on_a_later_lookup_is_not_given_up(manager, venue):
    venue.place_answers.append(UnknownStatus(None, "timeout"))
    venue.lookups.extend([OrderNotFound(-2013, "not yet"), order("e", OrderStatus.FILLED, "1")])
    await manager.submit(request("e"))
    await manager.settled()
    assert manager.orders["e"].status is OrderStatus.FILLED


async def test_a_client_order_id_is_never_used_twice(manager, venue):
    venue.place_answers.append(order("f", OrderStatus.NEW))
    await manager.submit(request("f"))
    with pytest.raises(ValueError, match="already used"):
        await manager.submit(request("f"))
    assert len(venue.sent) == 1


def test_terminal_status_is_never_undone_by_a_late_update():
    filled = order("g", OrderStatus.FILLED, "1")
    assert merge(filled, order("g", OrderStatus.NEW)) is filled


def test_filled_size_never_shrinks():
    half = order("h", OrderStatus.PARTIALLY_FILLED, "0.5")
    assert merge(half, order("h", OrderStatus.PARTIALLY_FILLED, "0.2")) is half


@pytest.mark.parametrize(
    ("later_view", "created"),
    [(1_000_050, 1_000_000), (999_990, 999_990), (0, 1_000_000)],
    ids=["a cancel stamped later", "the venue's clock behind ours", "a view without it"],
)
def test_an_order_was_created_at_the_earliest_time_any_view_gives(later_view, created):
    placed = msgspec.structs.replace(order("c", OrderStatus.NEW), created_ms=1_000_000)
    cancelled = msgspec.structs.replace(order("c", OrderStatus.CANCELED), created_ms=later_view)
    assert merge(placed, cancelled).created_ms == created
    assert merge(placed, cancelled).status is OrderStatus.CANCELED


def test_known_state_is_not_replaced_by_unknown():
    new = order("i", OrderStatus.NEW)
    assert merge(new, order("i", OrderStatus.UNKNOWN)) is new


async def test_stream_updates_move_orders_forward(manager):
    manager.on_order(order("j", OrderStatus.NEW), None)
    manager.on_order(order("j", OrderStatus.PARTIALLY_FILLED, "0.3"), None)
    assert manager.orders["j"].filled_qty == Decimal("0.3")
    assert [o.client_order_id for o in manager.open_orders()] == ["j"]


def a_sell(client_id, status):
    return msgspec.structs.replace(order(client_id, status), side=Side.SELL, price=Decimal(101))


async def test_where_open_orders_rest_is_kept_as_they_come_and_go(manager):
    manager.on_order(order("a", OrderStatus.NEW), None)
    manager.on_order(order("b", OrderStatus.PARTIALLY_FILLED, "0.3"), None)
    manager.on_order(a_sell("c", OrderStatus.NEW), None)
    assert sorted(manager.resting.prices("BTCUSDT")) == [
        (Side.BUY, Decimal(100)),
        (Side.SELL, Decimal(101)),
    ]
    manager.on_order(order("a", OrderStatus.CANCELED), None)
    assert (Side.BUY, Decimal(100)) in manager.resting.prices("BTCUSDT")  # b still rests there
    manager.on_order(order("b", OrderStatus.FILLED, "1"), None)
    manager.on_order(a_sell("c", OrderStatus.CANCELED), None)
    assert manager.resting.prices("BTCUSDT") == []


async def test_unfinished_orders_are_recovered_from_the_journal(venue, journal):
    first = OrderManager(venue, journal, session_tag="t1")
    venue.place_answers.append(UnknownStatus(None, "crash right after sending"))
    first._spawn = lambda coroutine: coroutine.close()  # the process dies before reconciling
    await first.submit(request("k"))
    second = OrderManager(venue, journal, session_tag="t2")
    recovered = second.recover()
    assert [(o.client_order_id, o.status) for o in recovered] == [("k", OrderStatus.UNKNOWN)]
    assert second.resting.prices("BTCUSDT") == [(Side.BUY, Decimal(100))]


def test_journal_keeps_each_orders_latest_state(journal):
    journal.record("intent", order("l", OrderStatus.PENDING))
    journal.record("answer", order("l", OrderStatus.NEW))
    latest = journal.latest()["l"]
    assert latest.status is OrderStatus.NEW
    assert msgspec.json.encode(latest)


async def test_reconciling_an_unchanged_order_writes_no_new_journal_row(journal):
    class Listing:
        async def open_orders(self, symbol):
            return [order("m", OrderStatus.NEW)]

    journal.record("intent", order("m", OrderStatus.PENDING))
    manager = OrderManager(Listing(), journal, session_tag="t1")
    manager.recover()
    manager.on_order(order("m", OrderStatus.NEW), None)
    await manager.reconcile_all()
    await manager.reconcile_all()
    assert journal.events("m") == ["intent", "update"]


async def test_a_reconciliation_the_venue_refused_for_rate_is_retried_later(journal):
    from console.errors import RateLimited

    class Busy:
        def __init__(self):
            self.refusals = 3

        async def open_orders(self, symbol):
            if self.refusals:
                self.refusals -= 1
                raise RateLimited(1, -1003, "Too much request weight used.")
            return []

        async def order(self, symbol, client_order_id):
            return order(client_order_id, OrderStatus.FILLED, "1")

    venue = Busy()
    policy = ReconcilePolicy(first_delay=0, max_delay=0, open_orders_attempts=2, retry_later=0.01)
    manager = OrderManager(venue, journal, policy, session_tag="t1")
    manager.on_order(order("n", OrderStatus.NEW), None)
    await manager.reconcile_all()
    assert manager.orders["n"].status is OrderStatus.NEW  # both attempts refused
    await manager.settled()
    assert manager.orders["n"].status is OrderStatus.FILLED
    assert venue.refusals == 0


async def test_a_refused_key_stops_reconciliation_and_says_why(journal):
    from console.errors import PermissionDenied

    class Refusing:
        async def open_orders(self, symbol):
            raise PermissionDenied(-2015, "Invalid API-key, IP, or permissions for action.")

    manager = OrderManager(Refusing(), journal, ReconcilePolicy(first_delay=0), session_tag="t1")
    manager.on_order(order("p", OrderStatus.NEW), None)
    await manager.reconcile_all()
    await manager.settled()
    assert manager.problem == (
        "cannot reconcile BTCUSDT: [-2015] Invalid API-key, IP, or permissions for action."
    )


async def test_past_its_limit_the_oldest_finished_order_leaves_the_view(venue, journal):
    for cid in ("open-1", "done-0", "done-1", "done-2"):
        journal.record("intent", order(cid, OrderStatus.PENDING))
    manager = OrderManager(venue, journal, keep_finished=2)
    manager.recover()
    manager.on_order(order("open-1", OrderStatus.NEW), None)
    for n in range(3):
        manager.on_order(order(f"done-{n}", OrderStatus.FILLED, "1"), None)
    assert sorted(manager.orders) == ["done-1", "done-2", "open-1"]


FILL = Fill(
    "BTCUSDT", "7", "o-1", "0", Side.BUY, Decimal(1), Decimal(1), Decimal(0), "BTC", False, 0
)


async def test_the_fills_kept_are_the_newest(venue):
    manager = OrderManager(venue, keep_fills=2)
    fills = [msgspec.structs.replace(FILL, trade_id=str(n)) for n in range(3)]
    for fill in fills:
        manager.on_order(order("o-1", OrderStatus.PARTIALLY_FILLED, "1"), fill)
    assert [f.trade_id for f in manager.fills] == ["1", "2"]


async def test_a_fill_heard_twice_counts_once(venue):
    manager = OrderManager(venue)
    manager.on_order(order("o-1", OrderStatus.PARTIALLY_FILLED, "1"), FILL)
    manager.on_order(order("o-1", OrderStatus.PARTIALLY_FILLED, "1"), FILL)
    assert list(manager.fills) == [FILL]


class Account:
    """A venue that lists open orders and fills as scripted."""

    def __init__(self, open_orders=(), fills=()):
        self.listed, self.trades, self.asked = list(open_orders), list(fills), []

    async def open_orders(self, symbol=None):
        return [o for o in self.listed if symbol is None or o.symbol == symbol]

    async def order(self, symbol, client_order_id):
        raise OrderNotFound(-2013, "Order does not exist.")

    async def fills(self, symbol, since_ms):
        self.asked.append((symbol, since_ms))
        return [f for f in self.trades if f.symbol == symbol and f.time_ms >= since_ms]


async def test_an_open_order_the_console_did_not_place_is_an_orphan_and_not_journaled(journal):
    manager = OrderManager(Account([order("by-hand", OrderStatus.NEW)]), journal)
    manager.traded.add("BTCUSDT")
    await manager.reconcile_all()
    assert manager.orphans == {"by-hand"}
    assert [o.client_order_id for o in manager.open_orders()] == ["by-hand"]
    assert journal.events("by-hand") == []
    assert manager.reconciled_at is not None


async def test_an_adopted_orphan_is_journaled_and_known_after_a_restart(journal, tmp_path):
    venue = Account([order("by-hand", OrderStatus.NEW)])
    manager = OrderManager(venue, journal)
    manager.traded.add("BTCUSDT")
    await manager.reconcile_all()
    manager.adopt("by-hand")
    assert manager.orphans == set()
    assert journal.events("by-hand") == ["adopted"]
    restarted = OrderManager(venue, journal)
    restarted.recover()
    await restarted.reconcile_all()
    assert restarted.orphans == set()
    assert "by-hand" in restarted.orders


async def test_fills_the_stream_missed_are_fetched_and_counted_once(journal):
    missed = [
        msgspec.structs.replace(FILL, order_id="7", client_order_id="", trade_id=str(n), time_ms=n)
        for n in (1, 2)
    ]
    venue = Account(fills=missed)
    journal.record("intent", order("mine", OrderStatus.PENDING))
    manager = OrderManager(venue, journal)
    manager.recover()
    manager.on_order(order("mine", OrderStatus.PARTIALLY_FILLED, "1"), missed[0])
    manager.on_order(order("mine", OrderStatus.FILLED, "2"), None)  # the second fill was missed
    assert await manager.catch_up_fills() == 1
    assert await manager.catch_up_fills() == 0
    assert [(f.trade_id, f.client_order_id) for f in manager.fills] == [("1", ""), ("2", "mine")]


def two_fills():
    return [
        msgspec.structs.replace(FILL, client_order_id="", trade_id=str(n), time_ms=n)
        for n in (1, 2)
    ]


def behind_by_a_lost_frame(venue, journal):
    """A manager whose live stream brought an order's first fill, then lost the frame with
    the second: the order's next update says it filled 2, with no fill of its own."""
    journal.record("intent", order("mine", OrderStatus.PENDING))
    manager = OrderManager(venue, journal, ReconcilePolicy(retry_later=0.01))
    manager.recover()
    first, _ = venue.trades
    manager.on_order(order("mine", OrderStatus.PARTIALLY_FILLED, "1"), first)
    manager.on_order(order("mine", OrderStatus.FILLED, "2"), None)
    return manager


async def test_a_fill_the_live_stream_lost_is_fetched_without_waiting_for_a_reconnect(journal):
    venue = Account(fills=two_fills())
    manager = behind_by_a_lost_frame(venue, journal)
    await until(lambda: not manager.fills_behind())
    assert [(f.trade_id, f.client_order_id) for f in manager.fills] == [("1", ""), ("2", "mine")]
    assert len(venue.asked) == 1


async def test_a_fill_the_stream_brings_late_is_not_fetched(journal):
    venue = Account(fills=two_fills())
    manager = behind_by_a_lost_frame(venue, journal)
    manager.on_order(order("mine", OrderStatus.FILLED, "2"), venue.trades[1])  # late, not lost
    await manager.settled()
    assert venue.asked == []
    assert [f.trade_id for f in manager.fills] == ["1", "2"]


async def test_a_lookup_finding_an_order_filled_further_fetches_its_fills(journal):
    class Venue(Account):
        async def order(self, symbol, client_order_id):
            return order(client_order_id, OrderStatus.FILLED, "2")

    venue = Venue(fills=two_fills())
    journal.record("intent", order("mine", OrderStatus.PENDING))
    manager = OrderManager(venue, journal, ReconcilePolicy(retry_later=0.01))
    manager.recover()
    manager.on_order(order("mine", OrderStatus.NEW), None)
    await manager.reconcile_all()  # not among the open orders: looked up, found filled
    await until(lambda: not manager.fills_behind())
    assert sorted(f.trade_id for f in manager.fills) == ["1", "2"]


async def test_a_fill_just_before_the_cancel_answered_is_fetched_from_the_orders_creation(
    journal,
):
    """Binance answers a cancel with the cancel's time (`transactTime`), after the fill the
    stream missed: the fills are fetched from when the order was created, not from then."""

    class Venue(Account):
        async def cancel(self, symbol, client_order_id):
            answer = order(client_order_id, OrderStatus.CANCELED, "1")
            return msgspec.structs.replace(answer, created_ms=1_000_010)

    venue = Venue(fills=[msgspec.structs.replace(FILL, client_order_id="", time_ms=1_000_005)])
    journal.record("intent", order("mine", OrderStatus.PENDING))
    manager = OrderManager(venue, journal)
    manager.recover()
    placed = msgspec.structs.replace(order("mine", OrderStatus.NEW), created_ms=1_000_000)
    manager.on_order(placed, None)
    await manager.cancel("mine")
    assert await manager.catch_up_fills() == 1
    assert venue.asked == [("BTCUSDT", 1_000_000)]


class Refusing(Account):
    """Lists the fills only after refusing `refusals` times with `error`."""

    def __init__(self, error, refusals, fills):
        super().__init__(fills=fills)
        self.error, self.refusals = error, refusals

    async def fills(self, symbol, since_ms):
        if self.refusals:
            self.refusals -= 1
            self.asked.append((symbol, since_ms))
            raise self.error
        return await super().fills(symbol, since_ms)


def missed_a_fill(venue, journal):
    """A manager that heard its order fill while the stream missed the fill itself."""
    journal.record("intent", order("mine", OrderStatus.PENDING))
    manager = OrderManager(venue, journal, ReconcilePolicy(retry_later=0.01))
    manager.recover()
    manager.on_order(order("mine", OrderStatus.FILLED, "1"), None)
    return manager


async def test_fills_the_venue_would_not_list_for_a_rate_limit_are_fetched_after_its_wait(journal):
    fill = msgspec.structs.replace(FILL, order_id="7", client_order_id="", time_ms=1)
    venue = Refusing(RateLimited(0.05, -1003, "Too much request weight used"), 2, [fill])
    manager = missed_a_fill(venue, journal)
    assert await manager.catch_up_fills() == 0
    await until(lambda: not manager.fills_behind())
    assert [(f.trade_id, f.client_order_id) for f in manager.fills] == [(FILL.trade_id, "mine")]
    assert len(venue.asked) == 3


async def test_fills_refused_for_the_key_are_not_asked_for_again(journal):
    fill = msgspec.structs.replace(FILL, order_id="7", client_order_id="", time_ms=1)
    venue = Refusing(AuthError(-2015, "Invalid API-key"), 1, [fill])
    manager = missed_a_fill(venue, journal)
    assert await manager.catch_up_fills() == 0
    await manager.settled()
    assert len(venue.asked) == 1
    assert [o.client_order_id for o in manager.fills_behind()] == ["mine"]


async def test_an_order_filled_short_of_its_size_is_looked_up_again_on_reconciling(journal):
    class Venue(Account):
        async def order(self, symbol, client_order_id):
            return order(client_order_id, OrderStatus.FILLED, "1")

    journal.record("intent", order("short", OrderStatus.PENDING))
    manager = OrderManager(Venue(), journal)
    manager.recover()
    manager.on_order(order("short", OrderStatus.FILLED, "0"), None)  # its size was lost
    await manager.reconcile_all()
    assert manager.orders["short"].filled_qty == 1
    assert manager.filled_short() == []


class CancellingVenue(ScriptedVenue):
    """Also takes cancels, and says what it was asked to cancel."""

    def __init__(self):
        super().__init__()
        self.cancelled = []

    async def cancel(self, symbol, client_order_id):
        self.cancelled.append(client_order_id)
        return order(client_order_id, OrderStatus.CANCELED)

    async def cancel_all(self, symbol):
        self.cancelled.append(f"all {symbol}")
        return []


async def test_read_only_refuses_every_order_and_cancel_whoever_asks(journal):
    venue = CancellingVenue()
    manager = OrderManager(venue, journal, read_only=True)
    manager.on_order(order("theirs", OrderStatus.NEW), None)
    with pytest.raises(InvalidOrder, match="read-only"):
        await manager.submit(request("a"))
    with pytest.raises(InvalidOrder, match="read-only"):
        await manager.cancel("theirs")
    with pytest.raises(InvalidOrder, match="read-only"):
        await manager.cancel_all("BTCUSDT")
    assert venue.sent == [] and venue.cancelled == []


async def test_another_consoles_order_is_not_placed_here_though_its_id_looks_like_ours(
    venue, journal
):
    ours = OrderManager(venue, journal, session_tag="us")
    venue.place_answers.append(order("tc-us-1", OrderStatus.NEW))
    await ours.submit(request("tc-us-1"))
    ours.on_order(order("tc-them-1", OrderStatus.NEW), None)  # another console's, heard
    assert [ours.placed_here(o) for o in ours.open_orders()] == [True, False]


async def test_an_order_recovered_from_this_consoles_journal_is_placed_here(venue, journal):
    journal.record("answer", order("tc-earlier-1", OrderStatus.NEW))
    manager = OrderManager(venue, journal)
    manager.recover()
    assert manager.placed_here(manager.orders["tc-earlier-1"])


class FullDisk:
    """A journal whose disk filled up: every write fails."""

    def record(self, kind, order):
        raise JournalError("the order journal orders.db cannot be written: disk is full")


async def test_a_journal_that_cannot_be_written_stops_new_orders_before_they_leave():
    venue = CancellingVenue()
    manager = OrderManager(venue, FullDisk())
    with pytest.raises(InvalidOrder, match="disk is full"):
        await manager.submit(request("a"))
    assert venue.sent == [] and "a" not in manager.orders
    assert "disk is full" in manager.journal_failed


async def test_cancels_still_go_when_the_journal_cannot_be_written():
    venue = CancellingVenue()
    manager = OrderManager(venue, FullDisk())
    manager.orders["a"] = order("a", OrderStatus.NEW)
    cancelled = await manager.cancel("a")
    assert venue.cancelled == ["a"] and cancelled.status is OrderStatus.CANCELED
    assert manager.journal_failed is not None


class VenueThatLostItsOrders(CancellingVenue):
    """A venue restarted with its state lost: it lists nothing and knows no id."""

    async def open_orders(self, symbol):
        return []

    async def order(self, symbol, client_order_id):
        raise OrderNotFound(-2013, "Order does not exist.")


def placed_ago(client_id, seconds):
    placed = order(client_id, OrderStatus.NEW)
    at = int((time.time() - seconds) * 1000)
    return msgspec.structs.replace(placed, created_ms=at, updated_ms=at)


async def test_an_order_the_venue_no_longer_knows_ends_vanished_once_its_window_is_over(journal):
    manager = OrderManager(VenueThatLostItsOrders(), journal, ReconcilePolicy(lookup_window=60))
    manager.orders["old"] = placed_ago("old", 61)
    await manager.reconcile_all()
    assert manager.orders["old"].status is OrderStatus.VANISHED
    assert manager.open_orders() == []
    assert journal.events("old") == ["vanished"]


async def test_a_young_order_the_venue_does_not_list_is_looked_up_until_its_window_ends(journal):
    policy = ReconcilePolicy(lookup_window=0.3, first_delay=0.01, max_delay=0.05)
    manager = OrderManager(VenueThatLostItsOrders(), journal, policy)
    manager.orders["young"] = placed_ago("young", 0)
    await manager.reconcile_all()
    assert manager.orders["young"].status is OrderStatus.NEW  # a miss proves nothing yet
    await manager.settled()
    assert manager.orders["young"].status is OrderStatus.VANISHED


async def test_an_intent_from_a_run_long_gone_is_settled_at_the_first_miss(journal):
    stale = msgspec.structs.replace(placed_ago("tc-gone-1", 600), status=OrderStatus.PENDING)
    journal.record("intent", stale)
    manager = OrderManager(VenueThatLostItsOrders(), journal, ReconcilePolicy(lookup_window=300))
    manager.recover()
    await manager.reconcile_all()
    assert manager.orders["tc-gone-1"].status is OrderStatus.NEVER_SEEN
    assert manager.open_orders() == []


async def test_a_vanished_order_comes_back_when_the_venue_speaks_of_it(journal):
    manager = OrderManager(VenueThatLostItsOrders(), journal, ReconcilePolicy(lookup_window=60))
    manager.orders["old"] = placed_ago("old", 61)
    await manager.reconcile_all()
    manager.on_order(order("old", OrderStatus.CANCELED), None)
    assert manager.orders["old"].status is OrderStatus.CANCELED
