"""Moving a resting order: one action, both outcomes, and nothing placed the trader did not
see coming. The venues' own paths (Binance's cancel-replace, a cancel then a place
elsewhere) are proven against the simulator in the conformance suite."""

import asyncio
from dataclasses import replace
from decimal import Decimal

import msgspec
import pytest

from console.errors import InvalidOrder, UnknownStatus
from console.model import OrderStatus
from console.trading.journal import Journal
from console.trading.orders import OrderManager, ReconcilePolicy
from console.venues.binance.adapter import CAPABILITIES as BINANCE
from tests.fakes import a_buy, until


class MovingVenue:
    """Answers cancels and replaces from a script; records what was asked."""

    def __init__(self, replaces=True):
        self.capabilities = replace(BINANCE, replaces=replaces)
        self.asked: list[str] = []
        self.cancel_answer = None
        self.replace_answer = None
        self.lookup = None

    async def place(self, request):
        self.asked.append(f"place {request.client_order_id} {request.price} {request.qty}")
        return a_buy(request.client_order_id, price=request.price, qty=request.qty)

    async def cancel(self, symbol, client_order_id):
        self.asked.append(f"cancel {client_order_id}")
        return self.cancel_answer

    async def replace(self, old, request):
        self.asked.append(f"replace {old.client_order_id} by {request.client_order_id}")
        if isinstance(self.replace_answer, Exception):
            raise self.replace_answer
        return self.replace_answer

    async def order(self, symbol, client_order_id):
        return self.lookup


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "orders.db", "binance")
    yield journal
    journal.close()


def manager_of(venue, journal, read_only=False):
    policy = ReconcilePolicy(first_delay=0, max_delay=0)
    manager = OrderManager(venue, journal, policy, session_tag="t1", read_only=read_only)
    manager.orders["old"] = a_buy("old", OrderStatus.NEW, order_id="1")
    return manager


async def test_a_move_in_one_request_journals_the_new_orders_intent_before_it_goes(journal):
    venue = MovingVenue()
    manager = manager_of(venue, journal)
    new_id = "tc-t1-1"
    venue.replace_answer = (
        a_buy("old", OrderStatus.CANCELED),
        a_buy(new_id, OrderStatus.NEW, price=Decimal(99)),
    )
    moved = await manager.move("old", Decimal(99), Decimal(1))
    assert venue.asked == [f"replace old by {new_id}"]
    assert journal.events(new_id) == ["intent", "answer"]
    assert manager.orders["old"].status is OrderStatus.CANCELED
    assert moved.text == f"moved to 99: {new_id} NEW"


async def test_a_partly_filled_order_moves_by_a_cancel_then_a_place(journal):
    venue = MovingVenue()
    manager = manager_of(venue, journal)
    manager.orders["old"] = a_buy("old", OrderStatus.PARTIALLY_FILLED, filled_qty=Decimal("0.4"))
    venue.cancel_answer = a_buy("old", OrderStatus.CANCELED, filled_qty=Decimal("0.4"))
    moved = await manager.move("old", Decimal(98), Decimal("0.6"))
    assert venue.asked == ["cancel old", "place tc-t1-1 98 0.6"]
    assert moved.new is not None and moved.new.status is OrderStatus.NEW


async def test_a_cancel_answered_before_the_order_is_off_the_book_waits_for_its_end(journal):
    venue = MovingVenue(replaces=False)
    manager = manager_of(venue, journal)
    venue.cancel_answer = a_buy("old", OrderStatus.NEW)  # Huobi's `canceling`
    moving = asyncio.create_task(manager.move("old", Decimal(98), Decimal(1)))
    await until(lambda: venue.asked == ["cancel old"])
    assert not moving.done()
    manager.on_order(a_buy("old", OrderStatus.CANCELED, updated_ms=2), None)
    moved = await moving
    assert venue.asked == ["cancel old", "place tc-t1-1 98 1"]
    assert moved.new is not None


async def test_an_order_that_filled_before_the_cancel_is_not_replaced(journal):
    venue = MovingVenue(replaces=False)
    manager = manager_of(venue, journal)
    venue.cancel_answer = a_buy("old", OrderStatus.FILLED, filled_qty=Decimal(1))
    moved = await manager.move("old", Decimal(98), Decimal(1))
    assert venue.asked == ["cancel old"]
    assert moved.new is None
    assert moved.text == "FILLED before the move: it ended before the cancel: nothing placed"


async def test_a_move_without_an_answer_leaves_both_orders_looked_up_never_resent(journal):
    venue = MovingVenue()
    manager = manager_of(venue, journal)
    venue.replace_answer = UnknownStatus(msg="timed out")
    venue.lookup = a_buy("old", OrderStatus.NEW)
    moved = await manager.move("old", Decimal(98), Decimal(1))
    assert moved.new is not None and moved.new.status is OrderStatus.UNKNOWN
    assert moved.text == "no answer: both orders are being looked up"
    assert venue.asked == ["replace old by tc-t1-1"]
    await manager.stop()


async def test_a_refused_replace_looks_the_old_order_up_and_places_nothing(journal):
    venue = MovingVenue()
    manager = manager_of(venue, journal)
    venue.replace_answer = InvalidOrder(-2021, "Order cancel-replace partially failed.")
    venue.lookup = a_buy("old", OrderStatus.CANCELED, updated_ms=3)
    moved = await manager.move("old", Decimal(98), Decimal(1))
    assert manager.orders["tc-t1-1"].status is OrderStatus.REJECTED
    assert moved.text == "cancelled, not replaced: Order cancel-replace partially failed."


@pytest.mark.parametrize(
    ("status", "problem"),
    [(OrderStatus.PENDING, "not resting"), (OrderStatus.FILLED, "not resting")],
)
async def test_only_a_resting_order_moves(journal, status, problem):
    venue = MovingVenue()
    manager = manager_of(venue, journal)
    manager.orders["old"] = msgspec.structs.replace(manager.orders["old"], status=status)
    with pytest.raises(InvalidOrder, match=problem):
        await manager.move("old", Decimal(98), Decimal(1))
    assert venue.asked == []


async def test_read_only_moves_nothing(journal):
    venue = MovingVenue()
    manager = manager_of(venue, journal, read_only=True)
    with pytest.raises(InvalidOrder, match="read-only"):
        await manager.move("old", Decimal(98), Decimal(1))
    assert venue.asked == []
