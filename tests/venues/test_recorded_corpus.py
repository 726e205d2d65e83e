"""The recorded corpus through the adapters' own REST calls: each venue's documented or
recorded answer is served as the venue's bytes to the adapter's REST client (the wire's
decoders, the envelope, the conversions), which must come to the values it means, exactly,
with no float on the way. The sources are listed in tests/data/recorded/README.md."""

import json
from decimal import Decimal
from pathlib import Path

import httpx

from console.model import Instrument, Interval, OrderStatus, OrderType, Side
from console.net.clock import TimeSync
from console.net.limiter import Limiter
from console.net.rest import RestClient
from console.venues.binance import convert as binance
from console.venues.binance import schemas as binance_wire
from console.venues.binance.rest import BinanceDialect, BinanceRest, bootstrap_buckets
from console.venues.binance.signing import HmacSigner
from console.venues.binance.streams import BinanceMarket, WsApiSession
from console.venues.huobi import convert as huobi
from console.venues.huobi import rest as huobi_rest
from console.venues.weex import rest as weex_rest
from console.venues.weex.api import V1Api
from console.venues.weex.streams import WeexMarket

DATA = Path(__file__).resolve().parents[1] / "data"
SEED_EXAMPLES = {
    venue: json.loads((DATA / "seeds" / "examples" / f"{venue}.json").read_text())
    for venue in ("huobi", "weex")
}


ETHBTC = Instrument(
    "ETHBTC",
    "ETH",
    "BTC",
    Decimal("0.000001"),
    Decimal("0.0001"),
    Decimal("0.001"),
    Decimal(1000),
    Decimal("0.001"),
)
"""Huobi's ETHBTC, for the fee asset its documented fill leaves unsaid (a buy's: ETH)."""


def recorded(name):
    return json.loads((DATA / "recorded" / name).read_text())["answer"]


def serving(answer, dialect, buckets):
    """A REST client whose venue answers every request with `answer`, as JSON bytes."""
    body = json.dumps(answer).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    return RestClient("https://venue.test", dialect, Limiter(buckets), transport=transport)


def binance_rest(name):
    dialect = BinanceDialect("key", HmacSigner("secret"), TimeSync())
    return BinanceRest(serving(recorded(name), dialect, bootstrap_buckets()))


def huobi_rest_answering(example):
    answer = SEED_EXAMPLES["huobi"][example]["answer"]
    dialect = huobi_rest.HuobiDialect("https://venue.test", "key", "secret", TimeSync())
    return huobi_rest.HuobiRest(serving(answer, dialect, huobi_rest.buckets()))


def weex_api_answering(example):
    answer = SEED_EXAMPLES["weex"][example]["answer"]
    credentials = weex_rest.WeexCredentials("key", "secret", "passphrase")
    dialect = weex_rest.WeexDialect(credentials, TimeSync())
    return V1Api(weex_rest.WeexRest(serving(answer, dialect, weex_rest.buckets())))


# -- Binance: its own documents' examples ----------------------------------------------------


async def test_binances_documented_depth_becomes_a_book_snapshot():
    depth = await binance_rest("binance-doc-depth.json").depth("BNBBTC")
    snapshot = binance.snapshot("BNBBTC", depth)
    assert snapshot.last_update_id == 1027024
    assert snapshot.bids[0] == ("4.00000000", "431.00000000")
    assert snapshot.asks[0] == ("4.00000200", "12.00000000")


async def test_binances_documented_aggregate_trade_decodes_exactly():
    (row,) = await binance_rest("binance-doc-agg-trades.json").agg_trades("BNBBTC")
    trade = binance.agg_trade("BNBBTC", row)
    assert (trade.price, trade.qty, trade.time_ms) == (
        Decimal("0.01633102"),
        Decimal("4.70443515"),
        1498793709153,
    )
    assert trade.taker_side is Side.SELL  # the buyer was the maker


async def test_binances_documented_kline_row_mixes_numbers_and_strings():
    (row,) = await binance_rest("binance-doc-klines.json").klines("BNBBTC", "1m")
    candle = binance.candle_row("BNBBTC", "1m", row, now_ms=1499644800000)
    assert (candle.open, candle.high, candle.low, candle.close) == (
        Decimal("0.01634790"),
        Decimal("0.80000000"),
        Decimal("0.01575800"),
        Decimal("0.01577100"),
    )
    assert (candle.volume, candle.open_ms, candle.closed) == (
        Decimal("148976.11427815"),
        1499040000000,
        True,
    )


async def test_binances_documented_symbol_becomes_an_instrument():
    info = await binance_rest("binance-doc-exchange-info.json").exchange_info()
    instrument = binance.instrument(info.symbols[0])
    assert (instrument.symbol, instrument.base, instrument.quote) == ("ETHBTC", "ETH", "BTC")
    assert (instrument.tick_size, instrument.lot_size) == (
        Decimal("0.00000100"),
        Decimal("0.00100000"),
    )


async def test_binances_documented_account_gives_free_and_locked():
    account = await binance_rest("binance-doc-account.json").account()
    held = {b.asset: (b.free, b.locked) for b in binance.account_balances(account)}
    assert held["BTC"] == (Decimal("4723846.89208129"), Decimal("0.00000000"))
    assert held["LTC"] == (Decimal("4763368.68006011"), Decimal("0.00000000"))


async def test_binances_documented_order_with_its_fills_decodes_exactly():
    answer = recorded("binance-doc-new-order-full.json")
    order = binance.order(binance_wire.ORDER_ANSWER.decode(json.dumps(answer)))
    assert (order.symbol, order.side, order.type, order.status) == (
        "BTCUSDT",
        Side.SELL,
        OrderType.MARKET,
        OrderStatus.FILLED,
    )
    assert (order.filled_qty, order.filled_quote) == (
        Decimal("10.00000000"),
        Decimal("10.00000000"),
    )


async def test_binances_documented_account_trade_becomes_a_fill():
    (row,) = await binance_rest("binance-doc-my-trades.json").my_trades("BNBBTC", 0)
    fill = binance.my_trade(row)
    assert (fill.price, fill.qty, fill.fee, fill.fee_asset) == (
        Decimal("4.00000100"),
        Decimal("12.00000000"),
        Decimal("10.10000000"),
        "BNB",
    )
    assert (fill.trade_id, fill.is_maker) == ("28457", False)


# -- Huobi: the seed document's examples -----------------------------------------------------


async def test_huobis_documented_symbol_with_number_limits_becomes_an_instrument():
    dialect = huobi_rest.HuobiDialect("https://venue.test", "key", "secret", TimeSync())
    answer = recorded("huobi-doc-symbols.json")
    (row,) = await huobi_rest.HuobiRest(serving(answer, dialect, huobi_rest.buckets())).symbols()
    instrument = huobi.instrument(row)
    assert (instrument.symbol, instrument.tick_size, instrument.lot_size) == (
        "BTCUSDT",
        Decimal("0.01"),
        Decimal("0.000001"),
    )
    assert (instrument.min_qty, instrument.max_qty, instrument.min_notional) == (
        Decimal("0.0001"),
        Decimal(1000),
        Decimal(5),
    )


async def test_huobis_documented_klines_with_float_numbers_decode_exactly():
    (bar,) = await huobi_rest_answering("market/history/kline").klines("ethbtc", "1day", 1)
    candle = huobi.candle("ETHBTC", Interval("1d"), bar)
    assert (candle.open, candle.close, candle.low, candle.high) == (
        Decimal("1935.2"),
        Decimal("1879.0"),
        Decimal("1856.0"),
        Decimal("1940.0"),
    )
    assert candle.volume == Decimal("37593.0266")


async def test_huobis_documented_trade_with_an_id_wider_than_64_bits_decodes_exactly():
    groups = await huobi_rest_answering("market/history/trade").history_trades("ethbtc", 1)
    (trade,) = huobi.trades("ETHBTC", groups)
    assert (trade.price, trade.qty, trade.taker_side) == (
        Decimal("94.69"),
        Decimal("9.0"),
        Side.SELL,
    )
    assert trade.trade_id == 102043495672


async def test_huobis_documented_open_order_decodes_exactly():
    (row,) = await huobi_rest_answering("v1/order/openOrders").open_orders(30925, "ethbtc")
    order = huobi.order(row)
    assert (order.symbol, order.side, order.type, order.status) == (
        "ETHBTC",
        Side.SELL,
        OrderType.LIMIT,
        OrderStatus.NEW,
    )
    assert (order.price, order.qty) == (Decimal("0.453"), Decimal(1))


async def test_huobis_documented_match_result_becomes_a_fill():
    rest = huobi_rest_answering("v1/order/matchresults")
    (row,) = await rest.match_results("ethbtc", 0)
    fill = huobi.match_fill(row, ETHBTC)
    assert (fill.price, fill.qty, fill.fee) == (
        Decimal("100.1000000000"),
        Decimal("9.1155000000"),
        Decimal("0.0182310000"),
    )
    assert (fill.order_id, fill.is_maker, fill.fee_asset) == ("59378", True, "ETH")


# -- WEEX: the seed document's examples, through the v1 API ----------------------------------


async def test_weexs_documented_products_become_instruments_from_their_scales():
    instruments = await weex_api_answering("GET /api/spot/v1/public/products").instruments()
    btc = instruments["BTCUSDT"]
    assert (btc.tick_size, btc.lot_size, btc.min_qty) == (
        Decimal("0.0001"),
        Decimal("0.00000001"),
        Decimal("0.0001"),
    )


async def test_weexs_documented_market_fills_become_trades_oldest_first():
    api = weex_api_answering("GET /api/spot/v1/market/fills")
    trades = await api.recent_trades("BFTUSDT", 2)
    assert [(t.price, t.qty, t.taker_side) for t in trades] == [
        (Decimal("2.38649"), Decimal("3239.7976"), Side.SELL),
        (Decimal("2.38735"), Decimal("2470.6224"), Side.BUY),
    ]


async def test_weexs_documented_candles_decode_exactly():
    api = weex_api_answering("GET /api/spot/v1/market/candles")
    first, _ = await api.candles("BFTUSDT", Interval("1m"), 2)
    assert (first.open, first.close, first.volume, first.open_ms) == (
        Decimal("2.34517"),
        Decimal("2.34555"),
        Decimal("80862.6823"),
        1622091360000,
    )


async def test_weexs_documented_assets_become_balances():
    (usdt,) = await weex_api_answering("GET /api/spot/v1/account/assets").balances()
    assert (usdt.asset, usdt.free, usdt.locked) == ("USDT", Decimal(0), Decimal(0))


async def test_weexs_documented_order_decodes_exactly():
    api = weex_api_answering("POST /api/spot/v1/trade/orderInfo")
    order = await api.order("BTCUSDT", "xxxxxxx")
    assert (order.client_order_id, order.side, order.status) == (
        "xxxxxxx",
        Side.BUY,
        OrderStatus.NEW,
    )
    assert (order.price, order.qty) == (Decimal("34245.12"), Decimal(1))


async def test_weexs_documented_fill_decodes_exactly():
    (fill,) = await weex_api_answering("POST /api/spot/v1/trade/fills").fills("BTCUSDT", 0)
    assert (fill.price, fill.qty, fill.fee, fill.fee_asset) == (
        Decimal("38293.12"),
        Decimal(1),
        Decimal("0.0001"),
        "BTC",
    )


# -- Binance's documented frames, through the stream handlers --------------------------------


class Heard:
    """Whatever a stream handler hands on: a book's delta, a ticker's figures, a candle,
    orders, fills and balances."""

    def __init__(self):
        self.got = []
        self.books = self.tickers = self.tapes = self.candles = self

    def get(self, key, default=None):
        return self

    def __getattr__(self, name):  # on_delta, on_day, on_top, update, add, on_order, ...
        return lambda *values: self.got.append((name, *values))


def combined(stream, name):
    """The documented event as the combined stream carries it."""
    return json.dumps({"stream": stream, "data": recorded(name)})


def test_binances_documented_depth_diff_becomes_a_delta():
    heard = Heard()
    BinanceMarket().on_frame(combined("bnbbtc@depth@100ms", "binance-doc-depth-update.json"), heard)
    ((_, delta),) = heard.got
    assert (delta.symbol, delta.first_update_id, delta.last_update_id) == ("BNBBTC", 157, 160)
    assert delta.bids == [("0.0024", "10")]


def test_binances_documented_ticker_and_book_ticker_decode_exactly():
    heard = Heard()
    market = BinanceMarket()
    market.on_frame(combined("bnbbtc@ticker", "binance-doc-ticker-event.json"), heard)
    market.on_frame(combined("bnbusdt@bookTicker", "binance-doc-book-ticker.json"), heard)
    (_, day), (_, top) = heard.got
    assert (day.last, day.open, day.volume) == (
        Decimal("0.0025"),
        Decimal("0.0010"),
        Decimal(10000),
    )
    assert (top.bid, top.bid_qty, top.ask, top.ask_qty) == (
        Decimal("25.35190000"),
        Decimal("31.21000000"),
        Decimal("25.36520000"),
        Decimal("40.66000000"),
    )


def test_binances_documented_kline_push_becomes_a_candle():
    heard = Heard()
    BinanceMarket().on_frame(combined("bnbbtc@kline_1m", "binance-doc-kline-event.json"), heard)
    ((_, candle),) = heard.got
    assert (candle.open_ms, candle.open, candle.close, candle.closed) == (
        1672515780000,
        Decimal("0.0010"),
        Decimal("0.0020"),
        False,
    )


def test_binances_documented_user_events_become_an_order_its_fill_and_balances():
    session = WsApiSession("key", HmacSigner("secret"), lambda: 0, 5000)
    session.sink = heard = Heard()
    session.on_frame(json.dumps(recorded("binance-doc-execution-report.json")))
    session.on_frame(json.dumps(recorded("binance-doc-account-position.json")))
    (_, order, fill), (_, balances) = heard.got
    assert (order.symbol, order.client_order_id, order.side, order.status) == (
        "ETHBTC",
        "mUvoqJxFIILMdfAW5iGSOW",
        Side.BUY,
        OrderStatus.NEW,
    )
    assert (order.price, order.qty, fill) == (Decimal("0.10264410"), Decimal("1.00000000"), None)
    assert {b.asset: b.free for b in balances}["ETH"] == Decimal("10000.000000")


# -- WEEX's recorded stream frames, through the market stream handler ------------------------


def test_weexs_recorded_depth_push_becomes_a_delta_with_its_span():
    heard = Heard()
    WeexMarket().on_frame(json.dumps(recorded("weex-v3-depth-changed.json")), heard)
    ((_, delta),) = heard.got
    assert (delta.symbol, delta.first_update_id, delta.last_update_id) == (
        "ETHUSDT",
        14181847790,
        14181847802,
    )
    assert delta.bids == [
        ("2227.21", "0"),
        ("2227.20", "46.519"),
    ]


def test_weexs_recorded_ping_with_a_string_time_is_answered():
    answer = WeexMarket().on_frame(json.dumps(recorded("weex-v3-ping.json")), Heard())
    assert json.loads(answer)["method"] == "PONG"
