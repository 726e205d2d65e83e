"""Binance frames decoded by the real handlers: doc-shaped examples and bad input."""

from decimal import Decimal

import msgspec
import pytest

from console.model import Interval, OrderStatus, Side, Top
from console.net.stream import ServerShutdown
from console.venues.binance.signing import HmacSigner
from console.venues.binance.streams import BinanceMarket, WsApiSession
from console.venues.feeds import LiveCandles, LiveTicker, LiveTrades
from console.venues.market import MarketFeeds

TRADE = (
    b'{"stream":"bnbbtc@aggTrade","data":{"e":"aggTrade","E":1672515782136,"s":"BNBBTC",'
    b'"a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":1672515782136,"m":true,"M":true}}'
)
DAY_TICKER = (
    b'{"stream":"bnbbtc@ticker","data":{"e":"24hrTicker","E":1672515782136,"s":"BNBBTC",'
    b'"p":"0.0015","P":"250.00","w":"0.0018","x":"0.0009","c":"0.0025","Q":"10","b":"0.0024",'
    b'"B":"10","a":"0.0026","A":"100","o":"0.0010","h":"0.0025","l":"0.0010","v":"10000",'
    b'"q":"18","O":0,"C":86400000,"F":0,"L":18150,"n":18151}}'
)
BOOK_TICKER = (
    b'{"stream":"bnbbtc@bookTicker","data":{"u":400900217,"s":"BNBBTC","b":"25.35190000",'
    b'"B":"31.21000000","a":"25.36520000","A":"40.66000000"}}'
)
KLINE = (
    b'{"stream":"bnbbtc@kline_1m","data":{"e":"kline","E":1672515782136,"s":"BNBBTC",'
    b'"k":{"t":1672515780000,"T":1672515839999,"s":"BNBBTC","i":"1m","f":100,"L":200,'
    b'"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,'
    b'"q":"1.0000","V":"500","Q":"0.500","B":"123456"}}}'
)
EXECUTION_REPORT = (
    b'{"subscriptionId":0,"event":{"e":"executionReport","E":1499405658658,"s":"ETHBTC",'
    b'"c":"mUvoqJxFIILMdfAW5iGSOW","S":"BUY","o":"LIMIT","f":"GTC","q":"1.00000000",'
    b'"p":"0.10264410","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"TRADE",'
    b'"X":"PARTIALLY_FILLED","r":"NONE","i":4293153,"l":"0.40000000","z":"0.40000000",'
    b'"L":"0.10264410","n":"0.00040000","N":"ETH","T":1499405658657,"t":77,"I":8641984,'
    b'"w":true,"m":false,"M":false,"O":1499405658657,"Z":"0.04105764","Y":"0.04105764",'
    b'"Q":"0.00000000","W":1499405658657,"V":"NONE"}}'
)


def market_with(tape=None, candles=None, ticker=None):
    market = MarketFeeds(BinanceMarket())
    if ticker:
        market.tickers["BNBBTC"] = ticker
    if tape:
        market.tapes["BNBBTC"] = tape
    if candles:
        market.candles[("BNBBTC", Interval.M1)] = candles
    return market


def test_trade_frame_becomes_a_trade_with_the_aggressor_side():
    tape = LiveTrades("BNBBTC")
    market_with(tape=tape).on_frame(TRADE)
    (trade,) = tape.trades
    assert (trade.price, trade.qty, trade.taker_side) == (Decimal("0.001"), Decimal(100), Side.SELL)


def test_aggregate_trade_keeps_its_aggregate_id():
    tape = LiveTrades("BNBBTC")
    market_with(tape=tape).on_frame(TRADE)
    assert tape.trades[0].trade_id == 12345


def test_day_ticker_frame_gives_the_rolling_24_hours():
    ticker = LiveTicker("BNBBTC")
    market_with(ticker=ticker).on_frame(DAY_TICKER)
    assert ticker.day is not None
    assert (ticker.day.last, ticker.day.high, ticker.day.change_percent) == (
        Decimal("0.0025"),
        Decimal("0.0025"),
        Decimal(150),
    )


def test_book_ticker_frame_gives_the_top_of_book():
    ticker = LiveTicker("BNBBTC", clock=lambda: 10.0)
    market_with(ticker=ticker).on_frame(BOOK_TICKER)
    assert ticker.recent_top(3.0) == Top(
        "BNBBTC",
        Decimal("25.35190000"),
        Decimal("31.21000000"),
        Decimal("25.36520000"),
        Decimal("40.66000000"),
    )


def test_kline_frame_updates_the_open_candle():
    series = LiveCandles("BNBBTC", "1m")
    market_with(candles=series).on_frame(KLINE)
    (candle,) = series.candles
    assert (candle.high, candle.close, candle.closed) == (
        Decimal("0.0025"),
        Decimal("0.0020"),
        False,
    )


def test_frame_of_the_wrong_shape_fails_to_decode():
    broken = TRADE.replace(b'"a":12345', b'"a":"12345x"')
    with pytest.raises(msgspec.ValidationError):
        market_with(tape=LiveTrades("BNBBTC")).on_frame(broken)


def test_subscribe_answer_is_not_data():
    assert market_with().on_frame(b'{"result":null,"id":1}') is None


def test_market_shutdown_notice_asks_for_a_reconnect():
    with pytest.raises(ServerShutdown):
        market_with().on_frame(b'{"e":"serverShutdown","E":1700000000000}')


class Sink:
    def __init__(self):
        self.orders, self.balances, self.live = [], [], []

    def on_order(self, order, fill):
        self.orders.append((order, fill))

    def on_balances(self, balances):
        self.balances.append(balances)

    def on_user_stream(self, live):
        self.live.append(live)


def session(sink):
    ws = WsApiSession("key", HmacSigner("secret"), lambda: 0, 5000)
    ws.sink = sink
    return ws


def test_execution_report_becomes_an_order_and_a_fill():
    sink = Sink()
    session(sink).on_frame(EXECUTION_REPORT)
    ((order, fill),) = sink.orders
    assert (order.status, order.filled_qty, order.order_id) == (
        OrderStatus.PARTIALLY_FILLED,
        Decimal("0.4"),
        "4293153",
    )
    assert (fill.qty, fill.fee, fill.fee_asset, fill.is_maker) == (
        Decimal("0.4"),
        Decimal("0.0004"),
        "ETH",
        False,
    )


def test_cancel_report_is_keyed_by_the_original_client_id():
    sink = Sink()
    cancel = (
        EXECUTION_REPORT.replace(b'"C":""', b'"C":"original-1"')
        .replace(b'"x":"TRADE"', b'"x":"CANCELED"')
        .replace(b'"X":"PARTIALLY_FILLED"', b'"X":"CANCELED"')
    )
    session(sink).on_frame(cancel)
    ((order, fill),) = sink.orders
    assert (order.client_order_id, order.status, fill) == ("original-1", OrderStatus.CANCELED, None)


def test_account_position_becomes_balances():
    sink = Sink()
    session(sink).on_frame(
        b'{"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1564034571105,'
        b'"u":1564034571073,"B":[{"a":"ETH","f":"10000.000000","l":"0.000000"}]}}'
    )
    ((balance,),) = sink.balances
    assert (balance.asset, balance.free, balance.locked) == ("ETH", Decimal(10000), Decimal(0))


def test_unknown_user_event_fails_to_decode():
    with pytest.raises(msgspec.ValidationError):
        session(Sink()).on_frame(b'{"subscriptionId":0,"event":{"e":"mystery","E":1}}')


def test_ws_api_shutdown_notice_asks_for_a_reconnect():
    with pytest.raises(ServerShutdown):
        session(Sink()).on_frame(b'{"event":{"e":"serverShutdown","E":1700000000000}}')
