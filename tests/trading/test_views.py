"""What the panels show is decided below the screen: valuation, own-order marks on grouped
levels, 24 h statistics, and a quote-sized ticket as a base quantity."""

from decimal import Decimal as D

from console.model import (
    Balance,
    BookDelta,
    BookSnapshot,
    Candle,
    Instrument,
    Interval,
    Order,
    OrderStatus,
    OrderType,
    Side,
    TimeInForce,
)
from console.trading import views
from console.trading.orders import Resting
from console.trading.session import Market
from console.venues.base import Fees
from console.venues.feeds import BookState, LiveBook, LiveCandles, LiveTicker, LiveTrades

BTC = Instrument("BTCUSDT", "BTC", "USDT", D("0.01"), D("0.001"), D("0.001"), D(100), D(5))


async def no_snapshot(levels):
    raise AssertionError("the book is loaded by the test")


def market(bids=(("99.00", "1"),), asks=(("101.00", "2"),)):
    book = LiveBook("BTCUSDT", BTC.tick_size, BTC.lot_size, no_snapshot)
    book.book.load_snapshot(
        BookSnapshot("BTCUSDT", 1, [tuple(b) for b in bids], [tuple(a) for a in asks])
    )
    book.state = BookState.LIVE
    fees = Fees(D("0.001"), D("0.001"))
    return Market(BTC, book, LiveTrades("BTCUSDT"), LiveTicker("BTCUSDT"), fees)


def test_the_account_is_valued_at_each_assets_price_and_what_has_none_is_named():
    rows = (
        views.BalanceRow("BTC", D(1), D(0), D(1)),
        views.BalanceRow("ETH", D(2), D(0), D(2)),
        views.BalanceRow("USDT", D(50), D(50), D(100)),
    )
    prices = {("BTC", "USDT"): D(100), ("USDT", "USDT"): D(1)}
    value = views.value_in_quote(rows, "USDT", lambda asset, quote: prices.get((asset, quote)))
    assert value == (D(200), ("ETH",))


def test_own_orders_mark_the_grouped_level_a_buy_below_a_sell_above():
    levels = views.own_levels([(Side.BUY, D("99.07")), (Side.SELL, D("101.03"))], market(), 5)
    assert levels == {(Side.BUY, 9905), (Side.SELL, 10105)}


def test_the_day_comes_from_hourly_candles_until_the_venues_ticker_arrives():
    shown = market()
    hours = LiveCandles("BTCUSDT", Interval.H1)
    hours.load(
        [
            Candle(
                "BTCUSDT",
                Interval.H1,
                h * 3_600_000,
                D(100 + h),
                D(110 + h),
                D(90),
                D(101 + h),
                D(1),
            )
            for h in range(30)  # the last 24: opened at 106, closed at 130
        ]
    )
    shown.candles[Interval.H1] = hours
    day = views.day_stats(shown)
    assert (day.open, day.last, day.high, day.low, day.volume) == (
        D(106),
        D(130),
        D(139),
        D(90),
        D(24),
    )


class Session:
    """What a ticket is read against: the market, and its best prices."""

    def __init__(self, shown):
        self.market = shown

    def best(self, side):
        book = self.market.book.book
        ticks = book.best_bid if side is Side.BUY else book.best_ask
        return book.prices.value(ticks)


def draft(order_type, price=None, size=D(250)):
    return views.Draft(Side.BUY, order_type, TimeInForce.GTC, price, size, size_in_quote=True)


def test_a_limit_sized_in_quote_buys_what_it_pays_for_at_its_price_on_the_lot():
    ticket = views.as_ticket(Session(market()), draft(OrderType.LIMIT, D(99)))
    assert (ticket.price, ticket.qty, ticket.quote_qty) == (D(99), D("2.525"), None)


def test_a_market_buy_sized_in_quote_is_read_at_the_best_ask_and_keeps_its_quote_amount():
    ticket = views.as_ticket(Session(market()), draft(OrderType.MARKET))
    assert (ticket.price, ticket.qty, ticket.quote_qty) == (None, D("2.475"), D(250))


class Account:
    def __init__(self, heard):
        self.balances = {"USDT": Balance("USDT", D(100), D(0))}
        self.user_stream_live = heard


class Unheard:
    """A session whose account stream (or demo poll) has gone quiet."""

    market = None
    orders = Account(heard=False)


def test_balances_not_heard_from_are_shown_as_the_last_known_not_as_current():
    view = views.balances(Unheard())
    assert (view.rows[0].total, view.current) == (D(100), False)


def test_a_size_switched_to_quote_is_what_it_is_worth_and_back_on_the_lot_below():
    assert views.in_other_unit(D("0.001"), D("65000.00"), BTC, to_quote=True) == D("65.00")
    assert views.in_other_unit(D("65.00"), D("65000.00"), BTC, to_quote=False) == D("0.001")
    assert views.in_other_unit(D("100"), D("65000.00"), BTC, to_quote=False) == D("0.001")


class Orders:
    """A session's order manager, as far as the ladder reads it."""

    def __init__(self):
        self.resting = Resting()


class Shown:
    def __init__(self, shown):
        self.market = shown
        self.orders = Orders()


def resting_buy(price):
    return Order("BTCUSDT", "c1", Side.BUY, OrderType.LIMIT, D(1), D(price), status=OrderStatus.NEW)


def test_a_ladder_asked_again_of_an_unchanged_book_is_the_one_built_before():
    ladders = views.Ladders(Shown(market()))
    assert ladders(5, 5, 1) is ladders(5, 5, 1)


def test_a_ladder_is_built_again_once_the_book_changes():
    session = Shown(market())
    ladders = views.Ladders(session)
    before = ladders(5, 5, 1)
    session.market.book.on_delta(BookDelta("BTCUSDT", 2, 2, [("99.00", "3")], []))
    after = ladders(5, 5, 1)
    assert (before.bids[0].size, after.bids[0].size) == (D(1), D(3))


def test_a_ladder_is_built_again_once_an_order_comes_to_rest_or_leaves():
    session = Shown(market())
    ladders = views.Ladders(session)
    assert not ladders(5, 5, 1).bids[0].own
    session.orders.resting.change(None, resting_buy("99.00"))
    assert ladders(5, 5, 1).bids[0].own
    session.orders.resting.change(resting_buy("99.00"), None)
    assert not ladders(5, 5, 1).bids[0].own


def test_a_ladder_asked_for_other_rows_or_another_step_is_built_for_them():
    session = Shown(market(bids=(("99.00", "1"), ("98.00", "1"))))
    ladders = views.Ladders(session)
    assert len(ladders(5, 1, 1).bids) == 1
    assert len(ladders(5, 2, 1).bids) == 2
    assert ladders(5, 2, 200).bids[0].size == D(2)  # both in one group of 2.00


def test_a_ladder_follows_the_market_shown_when_another_replaces_it():
    session = Shown(market())
    ladders = views.Ladders(session)
    ladders(5, 5, 1)
    session.market = market(bids=(("97.00", "4"),))
    assert ladders(5, 5, 1).bids[0].price == D("97.00")
