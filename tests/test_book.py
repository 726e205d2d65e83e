"""The L2 book: exact parsing, continuity checks and the views the ladder reads."""

from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.book import SPANNED, ApplyResult, FeedBook, FeedSide, Integrity, OrderBook, Scale
from console.model import BookDelta, BookSnapshot, Side

BOOKS = [OrderBook, FeedBook]
"""The simulator's book (prices kept in order) and a venue's as the console follows it
(best price tracked, order made when read): the same rules, checked on both."""


@pytest.fixture(params=BOOKS, ids=["simulator", "feed"])
def kind(request):
    return request.param


def book_with(bids, asks, update_id=10, integrity=SPANNED, kind=OrderBook):
    book = kind("BTCUSDT", "0.01", "0.001", integrity=integrity)
    book.load_snapshot(
        BookSnapshot("BTCUSDT", update_id, [tuple(b) for b in bids], [tuple(a) for a in asks])
    )
    return book


def fed(book, change):
    """What a LIVE book makes of a change: a feed book `take`s it (one call, handing any
    but the usual one to its `apply`), the simulator's `apply`s it; the verdict either way."""
    if not isinstance(book, FeedBook):
        return book.apply(change)
    verdicts = []
    book.on_unusual = lambda unusual: verdicts.append(book.apply(unusual))
    book.take(change)
    return verdicts[0] if verdicts else ApplyResult.APPLIED


def delta(first, last, bids=(), asks=(), prev=None, checksum=None):
    return BookDelta(
        "BTCUSDT",
        first,
        last,
        [tuple(b) for b in bids],
        [tuple(a) for a in asks],
        prev,
        checksum,
    )


def test_price_text_parses_to_ticks_without_float():
    assert Scale("0.01").parse("65012.34") == 6501234
    assert Scale("0.01").parse("0.29") == 29  # float(0.29) * 100 is 28.999...


def test_trailing_zeros_beyond_the_tick_are_accepted():
    assert Scale("0.01").parse("65012.34000000") == 6501234


def test_price_off_the_tick_grid_is_refused():
    with pytest.raises(ValueError, match="more precision"):
        Scale("0.01").parse("1.001")
    with pytest.raises(ValueError, match=r"multiple of 0\.05"):
        Scale("0.05").parse("1.03")


def test_ticks_turn_back_into_exact_decimals():
    assert Scale("0.01").value(6501234) == Decimal("65012.34")


def test_snapshot_sets_best_bid_ask_spread_and_mid(kind):
    book = book_with([("100.00", "1"), ("99.50", "2")], [("100.10", "3")], kind=kind)
    assert book.best_bid == 10000
    assert book.best_ask == 10010
    assert book.spread == 10
    assert book.mid == Decimal("100.05")


def test_delta_that_continues_the_book_is_applied():
    book = book_with([("100.00", "1")], [("100.10", "3")], update_id=10)
    assert book.apply(delta(11, 12, bids=[("100.05", "0.5")])) is ApplyResult.APPLIED
    assert book.top(Side.BUY, 2) == [(10005, 500), (10000, 1000)]
    assert book.last_update_id == 12


def test_delta_straddling_the_snapshot_id_is_applied():
    book = book_with([("100.00", "1")], [], update_id=10)
    assert book.apply(delta(8, 13, bids=[("100.00", "2")])) is ApplyResult.APPLIED
    assert book.last_update_id == 13


def test_delta_already_covered_is_ignored():
    book = book_with([("100.00", "1")], [], update_id=10)
    assert book.apply(delta(5, 10, bids=[("100.00", "9")])) is ApplyResult.IGNORED
    assert book.top(Side.BUY, 1) == [(10000, 1000)]


def test_gap_is_reported_and_not_applied():
    book = book_with([("100.00", "1")], [], update_id=10)
    assert book.apply(delta(12, 13, bids=[("100.00", "9")])) is ApplyResult.GAP
    assert book.top(Side.BUY, 1) == [(10000, 1000)]
    assert book.last_update_id == 10


def test_chained_delta_checks_the_previous_id_not_the_span(kind):
    chained_rule = Integrity(chained=True)
    book = book_with([("100.00", "1")], [], update_id=155247351, integrity=chained_rule, kind=kind)
    chained = delta(0, 155247355, bids=[("100.00", "2")], prev=155247351)
    assert book.apply(chained) is ApplyResult.APPLIED
    broken = delta(0, 155247360, bids=[("100.00", "3")], prev=155247356)
    assert book.apply(broken) is ApplyResult.GAP
    assert book.top(Side.BUY, 1) == [(10000, 2000)]


def test_a_chained_delta_naming_the_book_as_previous_but_no_later_is_ignored(kind):
    book = book_with(
        [("100.00", "1")], [], update_id=20, integrity=Integrity(chained=True), kind=kind
    )
    assert book.apply(delta(0, 20, bids=[("100.00", "5")], prev=20)) is ApplyResult.IGNORED
    assert book.top(Side.BUY, 1) == [(10000, 1000)]
    assert book.last_update_id == 20


def test_a_spanning_venues_delta_that_skips_an_id_is_a_gap_whatever_it_names_as_previous():
    book = book_with([("100.00", "1")], [], update_id=10)
    assert book.apply(delta(12, 13, bids=[("100.00", "9")], prev=10)) is ApplyResult.GAP


def best_bid_ticks(book):
    """A toy checksum: the best bid in ticks, as a venue might sum its top levels."""
    return book.best_bid or 0


def test_a_change_the_venues_checksum_agrees_with_applies():
    book = book_with([("100.00", "1")], [], integrity=Integrity(checksum=best_bid_ticks))
    assert book.apply(delta(11, 11, bids=[("101.00", "1")], checksum=10100)) is ApplyResult.APPLIED


def test_a_change_after_which_the_checksum_disagrees_corrupts_the_book_until_a_snapshot():
    book = book_with([("100.00", "1")], [], integrity=Integrity(checksum=best_bid_ticks))
    assert book.apply(delta(11, 11, bids=[("101.00", "1")], checksum=9999)) is ApplyResult.CORRUPT
    assert book.apply(delta(12, 12, bids=[("102.00", "1")])) is ApplyResult.GAP


def test_invalidated_book_accepts_no_delta_until_a_snapshot():
    book = book_with([("100.00", "1")], [], update_id=10)
    book.invalidate()
    assert book.apply(delta(11, 11, bids=[("100.00", "2")])) is ApplyResult.GAP


def test_zero_size_deletes_a_level_and_unknown_deletes_are_harmless(kind):
    book = book_with([("100.00", "1"), ("99.00", "1")], [], update_id=1, kind=kind)
    book.apply(delta(2, 2, bids=[("100.00", "0"), ("50.00", "0")]))
    assert book.top(Side.BUY, 5) == [(9900, 1000)]


def test_depth_accumulates_size_from_the_top(kind):
    book = book_with([], [("101.00", "1"), ("102.00", "2"), ("103.00", "0.5")], kind=kind)
    assert book.depth(Side.SELL, 3) == [
        (10100, 1000, 1000),
        (10200, 2000, 3000),
        (10300, 500, 3500),
    ]


def test_grouping_rounds_bids_down_and_asks_up(kind):
    book = book_with(
        [("100.09", "1"), ("100.01", "1"), ("99.99", "1")],
        [("100.11", "1"), ("100.19", "2"), ("100.21", "1")],
        kind=kind,
    )
    assert book.grouped(Side.BUY, 10, 5) == [(10000, 2000), (9990, 1000)]
    assert book.grouped(Side.SELL, 10, 5) == [(10020, 3000), (10030, 1000)]
    assert book.grouped(Side.SELL, 10, 1) == [(10020, 3000)]


def test_crossed_book_is_detected(kind):
    book = book_with([("100.00", "1")], [("100.00", "1")], kind=kind)
    assert book.is_crossed


def test_snapshot_round_trips_as_decimal_text(kind):
    book = book_with([("100.00", "1.5")], [("100.10", "0.001")], update_id=7, kind=kind)
    snap = book.snapshot()
    assert snap.last_update_id == 7
    assert snap.bids == [("100.00", "1.500")]
    assert snap.asks == [("100.10", "0.001")]


# -- property: the book equals a naive model for any feed --------------------------------

prices = st.integers(min_value=1, max_value=300).map(lambda t: f"{t / 100 + 100:.2f}")
"""Wide enough for gaps past the feed book's step search for its next best level."""
sizes = st.integers(min_value=0, max_value=5).map(lambda lots: f"{lots / 1000:.3f}")
levels = st.lists(st.tuples(prices, sizes), max_size=8)
snapshots = st.builds(lambda u, b, a: ("snapshot", u, b, a), st.integers(0, 50), levels, levels)
deltas = st.builds(
    lambda first, span, b, a: ("delta", first, first + span, b, a),
    st.integers(0, 60),
    st.integers(0, 3),
    levels,
    levels,
)


class ReferenceBook:
    """The rules stated as plainly as possible: dicts, sorted only when read."""

    def __init__(self):
        self.bids, self.asks, self.last = {}, {}, None

    def snapshot(self, update_id, bids, asks):
        self.bids, self.asks = {}, {}
        self._write(bids, asks)
        self.last = update_id

    def delta(self, first, last, bids, asks):
        if self.last is None:
            return ApplyResult.GAP
        if last <= self.last:
            return ApplyResult.IGNORED
        if first > self.last + 1:
            return ApplyResult.GAP
        self._write(bids, asks)
        self.last = last
        return ApplyResult.APPLIED

    def _write(self, bids, asks):
        for side, changes in ((self.bids, bids), (self.asks, asks)):
            for p, q in changes:
                if Decimal(q):
                    side[p] = q
                else:
                    side.pop(p, None)

    def view(self, side):
        levels = self.bids if side is Side.BUY else self.asks
        ordered = sorted(levels, key=Decimal, reverse=side is Side.BUY)
        return [(round(Decimal(p) * 100), round(Decimal(levels[p]) * 1000)) for p in ordered]


@pytest.mark.parametrize("kind", BOOKS, ids=["simulator", "feed"])
@given(st.lists(st.one_of(snapshots, deltas), max_size=40))
def test_book_matches_reference_model_for_any_feed(kind, feed):
    book = kind("BTCUSDT", "0.01", "0.001")
    reference = ReferenceBook()
    for event in feed:
        if event[0] == "snapshot":
            _, update_id, bids, asks = event
            book.load_snapshot(
                BookSnapshot("X", update_id, [tuple(b) for b in bids], [tuple(a) for a in asks])
            )
            reference.snapshot(update_id, bids, asks)
        else:
            _, first, last, bids, asks = event
            assert fed(book, delta(first, last, bids, asks)) is reference.delta(
                first, last, bids, asks
            )
        bids, asks = reference.view(Side.BUY), reference.view(Side.SELL)
        assert book.top(Side.BUY, 100) == bids and book.top(Side.SELL, 100) == asks
        assert book.top(Side.BUY, 1) == bids[:1] and book.top(Side.SELL, 1) == asks[:1]
        assert (book.best_bid, book.best_ask) == (
            bids[0][0] if bids else None,
            asks[0][0] if asks else None,
        )
        assert book.last_update_id == reference.last


def test_levels_sent_as_json_numbers_keep_every_digit_and_round_by_the_venues_rule():
    import msgspec

    from console.venues.huobi.convert import levels

    rows = msgspec.json.decode(
        b"[[650.59, 14.909733438479636]]", type=list[tuple[msgspec.Raw, msgspec.Raw]]
    )
    assert levels(rows) == [("650.59", "14.909733438479636")]
    book = OrderBook("htusdt", "0.01", "0.00000001", size_rounding=ROUND_HALF_EVEN)
    book.load_snapshot(BookSnapshot("htusdt", 1, levels(rows), []))
    assert book.top(Side.BUY, 1) == [(65059, 1490973344)]
    assert book.sizes.value(1490973344) == Decimal("14.90973344")


def test_a_venue_that_sends_whole_lots_refuses_a_finer_size():
    book = OrderBook("BTCUSDT", "0.01", "0.001")
    with pytest.raises(ValueError, match="more precision"):
        book.load_snapshot(BookSnapshot("BTCUSDT", 1, [("1.00", "0.0015")], []))


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("0.00000100", 100),  # trailing zeros, as Binance pads
        ("1e-06", 100),  # a JSON number in exponent form
        ("1E-6", 100),
        ("1.0E-6", 100),
        ("2.5e-5", 2500),
        ("0.000001000000000000", 100),
    ],
)
def test_every_form_of_a_number_a_venue_sends_reads_exactly(text, steps):
    assert Scale("0.00000001").parse(text) == steps


def test_a_size_past_a_venues_stated_step_rounds_half_even_and_is_never_refused():
    sizes = Scale(Decimal("1e-18"), ROUND_HALF_EVEN)
    assert sizes.parse("26.755973959140651643") == 26_755_973_959_140_651_643
    assert sizes.parse("1.00000000000000000050") == 1_000_000_000_000_000_000  # half to even
    assert sizes.parse("4.3e-21") == 0


def test_a_number_that_is_not_one_is_refused_in_any_form():
    for text in ("1e-3x", "nan", "inf", "1,5"):
        with pytest.raises(ValueError):
            Scale("0.001").parse(text)


ODD_FORMS = ["", "-0.00100", "+0.00100", "1_0.00100", " 0.00100", "0.001", "1e-3", "0.00100001",
             "0.0010", "12", "١.00100", "nan", "0.00100,0.00100"]  # fmt: skip


@given(
    st.lists(st.integers(0, 10**15), min_size=1, max_size=30),
    st.integers(0, 4),
    st.none() | st.tuples(st.integers(0, 29), st.sampled_from(ODD_FORMS)),
)
def test_a_snapshots_values_read_together_read_as_each_alone(units, padding, odd):
    """Values written alike (the lot's five decimals, the same zeros past them) are read in
    one pass; one written otherwise sends them all the long way, with the same result or
    the same refusal as reading each alone."""
    sizes = Scale("0.00001")
    texts = [f"{u // 10**5}.{u % 10**5:05d}" + "0" * padding for u in units]
    if odd is not None:
        texts[odd[0] % len(texts)] = odd[1]
    try:
        alone = [sizes.parse(text) for text in texts]
    except ValueError:
        with pytest.raises(ValueError):
            sizes.parse_all(texts)
        return
    assert sizes.parse_all(texts) == alone


# -- the feed book: a window of the best prices in order, sizes read from their digits ------


def feed_book(lot="0.00001", **options):
    return FeedBook("BTCUSDT", "0.01", lot, **options)


def test_a_feed_book_takes_the_next_change_itself_and_hands_any_other_to_its_owner():
    book, handed = feed_book(), []
    book.on_unusual = handed.append
    book.load_snapshot(BookSnapshot("BTCUSDT", 10, [("100.00", "1.00000000")], []))
    following, straddling = delta(11, 12, [("100.01", "2.00000000")]), delta(12, 14)
    old, gap = delta(5, 14), delta(16, 17)
    for change in (following, straddling, old, gap):
        book.take(change)
    assert handed == [old, gap]
    assert (book.last_update_id, book.taken) == (14, 2)
    assert book.top(Side.BUY, 2) == [(10001, 200_000), (10000, 100_000)]


def test_a_feed_book_with_a_checksum_hands_every_change_to_its_owner():
    book, handed = feed_book(integrity=Integrity(checksum=lambda book: 0)), []
    book.on_unusual = handed.append
    book.load_snapshot(BookSnapshot("BTCUSDT", 10, [], []))
    book.take(change := delta(11, 11, [("100.01", "2.00000000")], checksum=0))
    assert handed == [change]
    assert book.taken == 0


def test_a_feed_book_reads_sizes_padded_past_the_lot_as_whole_lots():
    book = feed_book()
    book.load_snapshot(BookSnapshot("BTCUSDT", 1, [], []))
    book.apply(delta(2, 2, bids=[("100.00", "0.10685000")], asks=[("100.01", "3")]))
    assert book.top(Side.BUY, 1) == [(10000, 10685)]
    assert book.top(Side.SELL, 1) == [(10001, 300000)]


@pytest.mark.parametrize(
    ("size", "why"), [("0.10685001", "more precision"), ("-0.10000000", "not a size")]
)
def test_a_feed_book_refuses_a_size_finer_than_the_lot_or_below_zero_when_it_is_read(size, why):
    book, told = feed_book(), []
    book.on_broken = lambda reason, malformed: told.append((reason, malformed))
    book.load_snapshot(BookSnapshot("BTCUSDT", 1, [], [("100.02", "1.00000000")]))
    book.apply(delta(2, 2, bids=[("100.01", "1.00000000"), ("100.00", size)]))
    assert book.best_ask == 10002  # the read takes the changes in, and refuses the size
    assert book.last_update_id is None
    assert [(why in reason, malformed) for reason, malformed in told] == [(True, True)]


def test_a_feed_book_says_when_its_changes_cross_it():
    book, told = feed_book(), []
    book.on_broken = lambda reason, malformed: told.append((reason, malformed))
    book.load_snapshot(BookSnapshot("BTCUSDT", 1, [], [("100.02", "1.00000000")]))
    book.apply(delta(2, 2, bids=[("100.02", "1.00000000")]))
    assert told == []  # nothing read yet
    assert book.best_bid == 10002
    assert told == [("crossed book", False)]


def test_a_feed_book_holds_the_last_change_of_each_price_made_between_two_reads():
    book = feed_book()
    book.load_snapshot(BookSnapshot("BTCUSDT", 1, [("100.00", "1.00000000")], []))
    book.apply(delta(2, 2, bids=[("100.01", "2.00000000")]))
    book.apply(delta(3, 3, bids=[("100.01", "0.00000000"), ("100.00", "3.00000000")]))
    book.apply(delta(4, 4, bids=[("100.01", "4.00000000")]))
    assert book.top(Side.BUY, 5) == [(10001, 400_000), (10000, 300_000)]


def test_a_snapshot_with_a_size_below_zero_is_refused():
    book = feed_book()
    with pytest.raises(ValueError, match="below zero"):
        book.load_snapshot(BookSnapshot("BTCUSDT", 1, [("100.00", "-0.10000000")], []))


def test_a_snapshot_on_a_fine_size_step_keeps_every_digit_sent():
    book = feed_book(lot="1e-18", size_rounding=ROUND_HALF_EVEN)
    sizes = ["14.909733438479636", "0.5", "26.755973959140651643", "1e-08"]
    book.load_snapshot(
        BookSnapshot("BTCUSDT", 1, [], [(f"100.0{n}", q) for n, q in enumerate(sizes)])
    )
    assert [book.sizes.value(lots) for _, lots in book.top(Side.SELL, 4)] == [
        Decimal(q) for q in sizes
    ]


def test_a_feed_book_on_a_fine_size_step_keeps_every_digit_sent():
    book = feed_book(lot="1e-18", size_rounding=ROUND_HALF_EVEN)
    book.load_snapshot(BookSnapshot("BTCUSDT", 1, [], []))
    book.apply(delta(2, 2, asks=[("100.01", "14.909733438479636")]))
    assert book.sizes.value(book.top(Side.SELL, 1)[0][1]) == Decimal("14.909733438479636")


def test_a_feed_book_deep_in_changes_agrees_with_the_simulators_everywhere():
    """Thousands of levels, changes near the touch and far from it, reads shallow and deep:
    the window of best prices comes, overflows, empties and is made again."""
    import random

    rng = random.Random(11)
    ours, plain = FeedBook("X", "0.01", "0.001"), OrderBook("X", "0.01", "0.001")
    levels = [(f"{(100_000 - i * rng.randint(1, 9)) / 100:.2f}", "1.000") for i in range(1, 2000)]
    for book in (ours, plain):
        book.load_snapshot(BookSnapshot("X", 1, levels, []))
    for update in range(2, 6000):
        best = plain.best_bid
        far = rng.random() < 0.1
        ticks = best - int(rng.expovariate(1 / (3000 if far else 4))) + (rng.random() < 0.2)
        size = "0.000" if rng.random() < 0.45 else f"{rng.randint(1, 9) / 1000:.3f}"
        change = delta(update, update, bids=[(f"{ticks / 100:.2f}", size)])
        assert fed(ours, change) is plain.apply(change)
        assert ours.best_bid == plain.best_bid
        if update % 97 == 0:
            depth = rng.choice([1, 20, 300, 700, None])
            assert ours.side(Side.BUY).prices(depth) == plain.side(Side.BUY).prices(depth)
            assert ours.grouped(Side.BUY, 25, 10) == plain.grouped(Side.BUY, 25, 10)


def test_a_feed_side_makes_its_window_again_when_the_best_levels_are_all_gone():
    side = FeedSide(Side.SELL)
    side.replace({ticks: 1 for ticks in range(1000, 6000)})
    assert side.prices(3) == [1000, 1001, 1002]  # the best few, picked without a full sort
    for ticks in range(1000, 1600):  # past the whole window
        side.set(ticks, 0)
    assert side.best() == 1600
    assert side.prices(2000)[-1] == 3599  # deeper than the window: sorted as far as asked
    side.set(999, 5)
    assert side.top(2) == [(999, 5), (1600, 1)]
