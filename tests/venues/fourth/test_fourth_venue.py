"""The venue contract holds for a venue unlike the three: checksummed books, ids of letters
and digits only, regional hosts, its own fees (the test dialect in `adapter.py`)."""

import json
from decimal import Decimal

import pytest

from console.book import OrderBook
from console.config import Config, Credentials
from console.launch import connect, environment_label
from console.model import BookDelta, BookSnapshot, Instrument, Side
from console.trading.orders import OrderManager
from console.venues import registry
from console.venues.base import Fees
from console.venues.feeds import BookState
from tests.fakes import until
from tests.venues.fourth.adapter import ENTRY, crc32_of_top

SYMBOL = "BTC-USDT"
INSTRUMENT = Instrument(
    SYMBOL,
    "BTC",
    "USDT",
    Decimal("0.1"),
    Decimal("0.00000001"),
    Decimal("0.00001"),
    Decimal(1000),
    Decimal(0),
)


@pytest.fixture
def registered(monkeypatch):
    """The fourth venue in the registry: one line, as a venue package adds it."""
    monkeypatch.setitem(registry.VENUES, ENTRY.name, ENTRY)


class Socket:
    """A market connection that takes what is sent on it."""

    def __init__(self):
        self.sent = []

    async def send(self, frame):
        self.sent.append(frame)


def change(seq, prev, bids, asks, checksum):
    data = {"seqId": seq, "prevSeqId": prev, "bids": bids, "asks": asks, "checksum": checksum}
    return json.dumps({"arg": {"channel": "books", "instId": SYMBOL}, "data": [data]})


def checksum_of(snapshot, *changes):
    """The checksum the venue sends with the last of `changes`: its book's, after them."""
    book = OrderBook(SYMBOL, INSTRUMENT.tick_size, INSTRUMENT.lot_size)
    book.load_snapshot(snapshot)
    for seq, bids, asks in changes:
        levels = ([tuple(b) for b in bids], [tuple(a) for a in asks])
        book.apply(BookDelta(SYMBOL, seq, seq, *levels))
    return crc32_of_top(book)


def best_bid(book):
    ((ticks, lots),) = book.top(Side.BUY, 1)
    return book.prices.value(ticks), book.sizes.value(lots)


@pytest.fixture
async def venue(registered):
    venue = ENTRY.connect("production", "", "", None, "")
    venue.listed = {SYMBOL: INSTRUMENT}
    await venue.instruments()
    return venue


def test_a_named_environment_reaches_the_venues_regional_hosts(registered):
    config = Config(venue="fourth", env="eea")
    venue = connect(config, Credentials({"API_KEY": "k", "API_SECRET": "s", "API_PASSPHRASE": "p"}))
    assert venue.rest_url == "https://eea.okx.com"
    assert venue.endpoints.public == "wss://wseea.okx.com:8443/ws/v5/public"
    assert environment_label(config, sim=False) == "LIVE"


def test_an_environment_the_venue_does_not_name_is_refused(registered):
    with pytest.raises(Exception, match="fourth has no testnet environment"):
        connect(Config(venue="fourth", env="testnet"), None)


def test_client_order_ids_are_letters_and_digits_within_32(registered):
    venue = ENTRY.connect("production", "", "", None, "")
    manager = OrderManager(venue)
    ids = [manager.new_client_order_id() for _ in range(100)]
    assert all(i.isalnum() and len(i) <= 32 for i in ids)
    assert len(set(ids)) == 100


async def test_the_fee_estimate_is_the_venues_own_base_tier(registered):
    venue = ENTRY.connect("production", "", "", None, "")
    assert await venue.fee_rates(SYMBOL) == Fees(Decimal("0.0008"), Decimal("0.001"))


async def subscribed(venue):
    """The symbol's book, once its subscription has gone out on the open connection."""
    socket = Socket()
    await venue.market.on_open(socket)
    book = venue.book(SYMBOL)
    await until(lambda: socket.sent)
    return book


FIRST = BookSnapshot(SYMBOL, 10, [("100.0", "1")], [("100.5", "2")])
AFTER_RESYNC = BookSnapshot(SYMBOL, 20, [("100.2", "0.5")], [("100.5", "2")])


async def test_a_change_whose_checksum_agrees_goes_live(venue):
    venue.snapshots.append(FIRST)
    book = await subscribed(venue)
    bids = [["100.1", "0.5"]]
    venue.market.on_frame(change(11, 10, bids, [], checksum_of(FIRST, (11, bids, []))))
    await until(lambda: book.state is BookState.LIVE)
    assert best_bid(book.book) == (Decimal("100.1"), Decimal("0.5"))
    assert book.corrupt == 0


async def test_a_change_whose_checksum_disagrees_is_counted_and_the_book_resynchronised(venue):
    venue.snapshots += [FIRST, AFTER_RESYNC]
    book = await subscribed(venue)
    bids = [["100.1", "0.5"]]
    venue.market.on_frame(change(11, 10, bids, [], checksum_of(FIRST, (11, bids, []))))
    await until(lambda: book.state is BookState.LIVE)
    venue.market.on_frame(change(12, 11, [["100.2", "0.5"]], [], checksum=12345))
    assert (book.state, book.corrupt) == (BookState.STALE, 1)
    await until(lambda: book.state is BookState.LIVE)
    assert book.book.last_update_id == 20
    assert best_bid(book.book) == (Decimal("100.2"), Decimal("0.5"))
