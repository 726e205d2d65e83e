"""A one-cancels-other pair: both intents journaled before it goes, sent once, both
answers or the uncertainty recorded."""

from decimal import Decimal

import pytest

from console.errors import InsufficientFunds, UnknownStatus
from console.model import OrderStatus, OrderType, Side
from console.trading.journal import Journal
from console.trading.orders import OrderManager, ReconcilePolicy
from console.venues.base import OrderRequest
from console.venues.binance.adapter import CAPABILITIES as BINANCE
from tests.fakes import a_buy

LIMIT = OrderRequest("BTCUSDT", Side.SELL, OrderType.POST_ONLY, "take", Decimal(1), Decimal(110))
STOP = OrderRequest(
    "BTCUSDT", Side.SELL, OrderType.STOP_MARKET, "stop", Decimal(1), trigger=Decimal(90)
)


class PairVenue:
    capabilities = BINANCE

    def __init__(self, answer):
        self.answer, self.sent = answer, []

    async def place_oco(self, limit, stop, list_id):
        self.sent.append((limit.client_order_id, stop.client_order_id, list_id))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    async def order(self, symbol, client_order_id):
        raise UnknownStatus(msg="still no answer")


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "orders.db", "binance")
    yield journal
    journal.close()


def manager_of(venue, journal):
    return OrderManager(venue, journal, ReconcilePolicy(first_delay=0, max_delay=0), "t1")


async def test_a_pair_is_journaled_intent_first_and_sent_once(journal):
    answer = (a_buy("take", OrderStatus.NEW), a_buy("stop", OrderStatus.NEW))
    venue = PairVenue(answer)
    manager = manager_of(venue, journal)
    await manager.submit_oco(LIMIT, STOP)
    assert venue.sent == [("take", "stop", "take-oco")]
    assert journal.events("take") == ["intent", "answer"]
    assert journal.events("stop") == ["intent", "answer"]
    assert manager.orders["stop"].trigger == Decimal(90)  # kept from the intent


async def test_a_refused_pair_ends_both_rejected(journal):
    manager = manager_of(PairVenue(InsufficientFunds(-2010, "insufficient balance")), journal)
    with pytest.raises(InsufficientFunds):
        await manager.submit_oco(LIMIT, STOP)
    assert [manager.orders[cid].status for cid in ("take", "stop")] == [OrderStatus.REJECTED] * 2


async def test_a_pair_without_an_answer_leaves_both_unknown_never_resent(journal):
    venue = PairVenue(UnknownStatus(msg="timed out"))
    manager = manager_of(venue, journal)
    await manager.submit_oco(LIMIT, STOP)
    assert [manager.orders[cid].status for cid in ("take", "stop")] == [OrderStatus.UNKNOWN] * 2
    assert len(venue.sent) == 1
    await manager.stop()
