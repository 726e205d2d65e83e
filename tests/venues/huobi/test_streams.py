"""Huobi frames, shaped as the document shows them, through the real handlers."""

from decimal import ROUND_HALF_EVEN, Decimal

import msgspec
import pytest
from msgspec.structs import replace

from console.model import BookSnapshot, Instrument, Interval, Order, OrderStatus, OrderType, Side
from console.venues.feeds import BookState, LiveBook, LiveCandles, LiveTicker, LiveTrades
from console.venues.huobi import convert
from console.venues.huobi.adapter import CAPABILITIES, HuobiEndpoints, HuobiVenue
from console.venues.huobi.schemas import MarketFrame, Mbp
from console.venues.huobi.streams import AccountSession, HuobiFeed, HuobiMarket
from console.venues.market import MarketFeeds
from tests.fakes import until

TRADE_DETAIL = (
    b'{"ch":"market.btcusdt.trade.detail","ts":1489474082831,"tick":{"id":14650745135,'
    b'"ts":1533265950234,"data":[{"amount":0.0099,"ts":1533265950234,'
    b'"id":146507451359183894799,"tradeId":102043494568,"price":401.74,"direction":"buy"}]}}'
)
KLINE = (
    b'{"ch":"market.btcusdt.kline.1min","ts":1489474082831,"tick":{"id":1489464480,'
    b'"amount":0.0,"count":0,"open":7962.62,"close":7962.62,"low":7962.62,"high":7962.62,'
    b'"vol":0.0}}'
)
DETAIL = (
    b'{"ch":"market.btcusdt.detail","ts":1494496390001,"tick":{"amount":12224.2922,'
    b'"open":9790.52,"close":10195.00,"high":10300.00,"id":1494496390,"count":15195,'
    b'"low":9657.00,"vol":121906001.754751}}'
)
BBO = (
    b'{"ch":"market.btcusdt.bbo","ts":1489474082831,"tick":{"symbol":"btcusdt",'
    b'"quoteTime":"1489474082811","bid":"10008.31","bidSize":"0.01","ask":"10009.54",'
    b'"askSize":"0.3","seqId":"10242474683"}}'
)
MBP = (
    b'{"ch":"market.btcusdt.mbp.150","ts":1573199608679,"tick":{"seqNum":100020146795,'
    b'"prevSeqNum":100020146794,"bids":[],"asks":[[645.14,26.75597395914065]]}}'
)
ORDER_CREATED = (
    b'{"action":"push","ch":"orders#*","data":{"orderSize":"2.000000000000000000",'
    b'"orderCreateTime":1583853365586,"accountId":992701,"orderPrice":"77.000000000000000000",'
    b'"type":"sell-limit","orderId":27163533,"clientOrderId":"abc123","orderSource":"spot-api",'
    b'"orderStatus":"submitted","symbol":"ethbtc","eventType":"creation"}}'
)
ORDER_TRADE = (
    b'{"action":"push","ch":"orders#*","data":{"tradePrice":"76.000000000000000000",'
    b'"tradeVolume":"2.000000000000000000","tradeId":301,"tradeTime":1583854188883,'
    b'"aggressor":true,"remainAmt":"0","execAmt":"2","orderId":27163533,"type":"sell-limit",'
    b'"clientOrderId":"abc123","orderSource":"spot-api","orderPrice":"77","orderSize":"2",'
    b'"orderStatus":"filled","symbol":"ethbtc","eventType":"trade"}}'
)
CLEARING = (
    b'{"ch":"trade.clearing#*#0","action":"push","data":{"eventType":"trade","symbol":"ethbtc",'
    b'"orderId":27163533,"tradePrice":"76","tradeVolume":"2","orderSide":"sell",'
    b'"aggressor":true,"tradeId":301,"tradeTime":1583854188883,"transactFee":"0.304",'
    b'"feeDeduct ":"0","feeDeductType":"","feeCurrency":"btc","accountId":992701,'
    b'"source":"spot-api","orderPrice":"77","orderSize":"2","clientOrderId":"abc123",'
    b'"orderCreateTime":1583853365586,"orderStatus":"filled","orderType":"sell-limit"}}'
)
STOP_DELETED = (
    b'{"action":"push","ch":"orders#ethbtc","data":{"orderSide":"buy",'
    b'"lastActTime":1583853365586,"clientOrderId":"abc123","orderStatus":"canceled",'
    b'"symbol":"ltcbtc","eventType":"deletion"}}'
)
STOP_FAILED = (
    b'{"action":"push","ch":"orders#ethbtc","data":{"orderSide":"buy",'
    b'"lastActTime":1583853365586,"clientOrderId":"abc123","orderStatus":"rejected",'
    b'"symbol":"ltcbtc","eventType":"trigger","errCode":2002,'
    b'"errMessage":"invalid.client.order.id (NT)"}}'
)
BALANCE = (
    b'{"action":"push","ch":"accounts.update#2","data":{"currency":"btc","accountId":33385,'
    b'"balance":"2065.1","available":"2028.6","changeType":"order.match",'
    b'"accountType":"trade","changeTime":1574393385167}}'
)


def market():
    return MarketFeeds(HuobiMarket())


def test_a_ping_is_answered_with_the_same_number():
    assert market().on_frame(b'{"ping":1492420473027}') == '{"pong":1492420473027}'


def test_trade_detail_reaches_the_tape_with_the_takers_side():
    feeds = market()
    tape = feeds.tapes["BTCUSDT"] = LiveTrades("BTCUSDT")
    feeds.on_frame(TRADE_DETAIL)
    (trade,) = tape.trades
    assert (trade.trade_id, trade.price, trade.qty, trade.taker_side) == (
        102043494568,
        Decimal("401.74"),
        Decimal("0.0099"),
        Side.BUY,
    )


def test_a_candle_push_updates_its_series():
    feeds = market()
    series = feeds.candles[("BTCUSDT", Interval.M1)] = LiveCandles("BTCUSDT", Interval.M1)
    feeds.on_frame(KLINE)
    assert series.candles[-1].open_ms == 1489464480000


def test_details_and_best_bid_and_offer_reach_the_ticker():
    feeds = market()
    ticker = feeds.tickers["BTCUSDT"] = LiveTicker("BTCUSDT", clock=lambda: 1.0)
    feeds.on_frame(DETAIL)
    feeds.on_frame(BBO)
    assert (ticker.day.last, ticker.day.volume) == (Decimal("10195.00"), Decimal("12224.2922"))
    assert (ticker.top.bid, ticker.top.ask_qty) == (Decimal("10008.31"), Decimal("0.3"))


async def never_fetched(levels):
    raise AssertionError("no snapshot is fetched here")


def live_book(feeds, last_seq):
    """A BTCUSDT book live at `last_seq`, its sizes kept as Huobi's adapter keeps them."""
    book = LiveBook(
        "BTCUSDT",
        Decimal("0.01"),
        CAPABILITIES.book_size_step,
        never_fetched,
        size_rounding=ROUND_HALF_EVEN,
        integrity=CAPABILITIES.book_integrity,
    )
    book.book.load_snapshot(BookSnapshot("BTCUSDT", last_seq, [], []))
    book.state = BookState.LIVE
    feeds.books["BTCUSDT"] = book
    return book


async def test_an_increment_that_continues_the_refresh_applies_exactly():
    feeds = MarketFeeds(HuobiFeed())
    book = live_book(feeds, 100020146794)
    feeds.on_frame(MBP)
    assert book.book.top(Side.SELL, 1) == [(64514, 26755973959140650000)]
    assert book.book.last_update_id == 100020146795


async def test_an_increment_that_skips_a_message_resynchronises():
    feeds = MarketFeeds(HuobiFeed())
    book = live_book(feeds, 100020146790)
    feeds.on_frame(MBP)
    assert (book.gaps, book.state) == (1, BookState.STALE)
    book.close()


class Sink:
    def __init__(self):
        self.orders, self.balances = [], []

    def on_order(self, order, fill):
        self.orders.append((order, fill))

    def on_balances(self, balances):
        self.balances.extend(balances)

    def on_user_stream(self, live):
        pass


def account():
    session = AccountSession("key", "secret", "api.huobi.pro", lambda: 0)
    session.sink = Sink()
    return session


def test_the_account_socket_answers_its_pings():
    reply = account().on_frame(b'{"action":"ping","data":{"ts":1575537778295}}')
    assert msgspec.json.decode(reply) == {"action": "pong", "data": {"ts": 1575537778295}}


def test_order_pushes_accumulate_fills_on_the_order():
    session = account()
    session.on_frame(ORDER_CREATED)
    session.on_frame(ORDER_TRADE)
    (created, _), (traded, fill) = session.sink.orders
    assert (created.status, created.qty, created.price) == (
        OrderStatus.NEW,
        Decimal(2),
        Decimal(77),
    )
    assert (traded.status, traded.filled_qty, traded.filled_quote, fill) == (
        OrderStatus.FILLED,
        Decimal(2),
        Decimal(152),
        None,
    )


def test_a_trade_push_heard_after_a_reconnect_takes_its_filled_size_from_the_venue():
    session = account()
    partial = ORDER_TRADE.replace(b'"tradeVolume":"2.000000000000000000"', b'"tradeVolume":"0.5"')
    session.on_frame(partial)  # the creation and the earlier fills came while disconnected
    ((traded, _),) = session.sink.orders
    assert (traded.status, traded.filled_qty) == (OrderStatus.FILLED, Decimal(2))


def resting_stop():
    """A take-profit buy waiting under the market, as the adapter reported it."""
    return Order(
        "LTCBTC",
        "abc123",
        Side.BUY,
        OrderType.TAKE_PROFIT_LIMIT,
        Decimal(2),
        Decimal("0.0021"),
        status=OrderStatus.NEW,
        order_id="27163533",
        trigger=Decimal("0.002"),
    )


@pytest.mark.parametrize(
    ("frame", "ended"), [(STOP_DELETED, OrderStatus.CANCELED), (STOP_FAILED, OrderStatus.REJECTED)]
)
def test_a_stop_orders_end_before_it_works_is_told_from_what_was_known_of_it(frame, ended):
    session = account()
    session.orders["abc123"] = resting_stop()
    session.on_frame(frame)
    ((order, fill),) = session.sink.orders
    assert order == replace(resting_stop(), status=ended, updated_ms=1583853365586)
    assert fill is None and "abc123" not in session.orders


def test_the_deletion_of_a_stop_order_never_heard_of_changes_nothing():
    session = account()
    session.on_frame(STOP_DELETED)
    assert session.sink.orders == []


def test_a_push_of_a_stop_order_keeps_its_stop_price_and_kind():
    session = account()
    session.orders["abc123"] = resting_stop()
    trade = ORDER_TRADE.replace(b'"type":"sell-limit"', b'"type":"buy-stop-limit"')
    session.on_frame(trade)
    ((order, _),) = session.sink.orders
    assert (order.type, order.trigger, order.status) == (
        OrderType.TAKE_PROFIT_LIMIT,
        Decimal("0.002"),
        OrderStatus.FILLED,
    )


@pytest.mark.parametrize(
    ("wire", "operator", "kind"),
    [
        ("buy-stop-limit", "gte", OrderType.STOP_LIMIT),
        ("buy-stop-limit", "lte", OrderType.TAKE_PROFIT_LIMIT),
        ("sell-stop-limit", "lte", OrderType.STOP_LIMIT),
        ("sell-stop-limit-fok", "gte", OrderType.TAKE_PROFIT_LIMIT),
    ],
)
def test_a_stop_limit_type_is_a_stop_or_a_take_profit_by_its_operator(wire, operator, kind):
    assert convert.split_type(wire, operator)[1] is kind
    side = convert.split_type(wire)[0]
    assert convert.operator(side, kind) == operator


def test_a_clearing_push_is_a_fill_with_its_fee():
    session = account()
    session.on_frame(CLEARING)
    ((order, fill),) = session.sink.orders
    assert (fill.qty, fill.fee, fill.fee_asset, fill.is_maker, fill.client_order_id) == (
        Decimal(2),
        Decimal("0.304"),
        "BTC",
        False,
        "abc123",
    )
    assert order.client_order_id == "abc123"


def test_a_balance_push_splits_available_and_the_rest():
    session = account()
    session.on_frame(BALANCE)
    (balance,) = session.sink.balances
    assert (balance.asset, balance.free, balance.locked) == (
        "BTC",
        Decimal("2028.6"),
        Decimal("36.5"),
    )


@pytest.mark.parametrize("frame", [b"not json", b'{"ch":"market.btcusdt.bbo","tick":{"bid":"x"}}'])
def test_a_malformed_market_frame_is_refused_not_crashed_on(frame):
    feeds = market()
    feeds.tickers["BTCUSDT"] = LiveTicker("BTCUSDT")
    with pytest.raises((msgspec.DecodeError, ValueError)):
        feeds.on_frame(frame)


# The seed's own refresh answer (its `req` example), and its increments' bodies: full float
# digits and 18-place forms, renumbered to continue the refresh's seqNum.
SEED_REFRESH = (
    b'{"id":"id2","rep":"market.btcusdt.mbp.150","status":"ok","data":{"seqNum":100020142010,'
    b'"bids":[[618.37,71.594],[423.33,77.726],[223.18,47.997],[219.34,24.82],[210.34,94.463]],'
    b'"asks":[[650.59,14.909733438479636],[650.63,97.996],[650.77,97.465],[651.23,83.973],'
    b"[651.42,34.465]]}}"
)


def seed_increment(seq, asks):
    return (
        b'{"ch":"market.btcusdt.mbp.150","ts":1573199608679,"tick":{"seqNum":%d,'
        b'"prevSeqNum":%d,"bids":[],"asks":[%s]}}' % (seq, seq - 1, asks)
    )


async def test_the_huobi_book_goes_and_stays_live_on_the_seeds_float_sized_frames():
    venue = HuobiVenue(HuobiEndpoints.on("http://127.0.0.1:9"))
    venue._instruments = {
        "BTCUSDT": Instrument(
            "BTCUSDT",
            "BTC",
            "USDT",
            Decimal("0.01"),
            Decimal("0.000001"),
            Decimal("0.0001"),
            Decimal(1000),
            Decimal(5),
        )
    }

    async def the_seeds_refresh(symbol, levels):
        rep = msgspec.json.decode(SEED_REFRESH, type=MarketFrame)
        return convert.snapshot(symbol, msgspec.json.decode(rep.data, type=Mbp))

    venue._snapshot = the_seeds_refresh
    book = venue.book("BTCUSDT")
    venue.feed.on_frame(
        seed_increment(100020142011, b"[645.140000000000000000,26.755973959140651643]")
    )
    await until(lambda: book.state is BookState.LIVE)
    venue.feed.on_frame(seed_increment(100020142012, b"[650.59,1.4909733438479636e1]"))
    venue.feed.on_frame(seed_increment(100020142013, b"[651.23,0]"))
    assert (book.state, book.malformed, book.gaps) == (BookState.LIVE, 0, 0)
    asks = [
        (book.book.prices.value(t), book.book.sizes.value(s))
        for t, s in book.book.top(Side.SELL, 3)
    ]
    assert [(str(p), s.normalize()) for p, s in asks] == [
        ("645.14", Decimal("26.755973959140651643")),
        ("650.59", Decimal("14.909733438479636")),
        ("650.63", Decimal("97.996")),
    ]
    await venue.close()


async def test_a_change_the_book_cannot_take_is_counted_and_resynchronised_not_fatal():
    feeds = MarketFeeds(HuobiFeed())
    book = live_book(feeds, 100020146794)
    feeds.on_frame(
        b'{"ch":"market.btcusdt.mbp.150","ts":1,"tick":{"seqNum":100020146795,'
        b'"prevSeqNum":100020146794,"bids":[],"asks":[["not a price",1]]}}'
    )
    assert book.state is BookState.STALE  # found on the first read
    assert book.malformed == 1
    book.close()
