"""The clients of Binance's own users against the simulator's Binance dialect: python-binance
and Binance's own binance-sdk-spot call the WebSocket API's tickers and `exchangeInfo`,
subscribe to the user data stream on the WebSocket API and hear an order's trade
(`executionReport`, `x = TRADE`), and read the all-market mini ticker stream."""

import contextlib
from decimal import Decimal

import pytest

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from tests.fakes import until

KEY, SECRET = "client-key", "client-secret"


@pytest.fixture
async def server():
    exchange = SimExchange(seed=5, rate=200)
    exchange.add_credential(Credential(KEY, TRADER_ACCOUNT, secret=SECRET.encode()))
    served = SimServer(exchange, "binance")
    await served.start()
    await until(lambda: exchange.tapes["BTCUSDT"])
    exchange.market.rate = 0  # the market holds still while its answers are compared
    yield served
    await served.stop()


def top(server):
    """BTCUSDT's last price and best bid and ask, in Binance's eight decimals."""
    exchange = server.exchange
    l2 = exchange.engine.books["BTCUSDT"].l2
    eight = Decimal("0.00000001")
    bid, ask = l2.prices.value(l2.best_bid), l2.prices.value(l2.best_ask)
    last = exchange.tapes["BTCUSDT"][-1].price
    return tuple(f"{value.quantize(eight)}" for value in (last, bid, ask))


@contextlib.asynccontextmanager
async def python_binance(server):
    from binance import AsyncClient, BinanceSocketManager  # a second to import: not at collection

    urls = server.urls
    pointed = type(
        "SimClient",
        (AsyncClient,),
        {"API_URL": urls["rest"] + "/api", "WS_API_URL": urls["ws_api"]},
    )
    client = await pointed.create(KEY, SECRET)
    client.ws_api.TIMEOUT = 30  # how long a request waits for its answer on a busy machine
    sockets = BinanceSocketManager(client)
    sockets.STREAM_URL = urls["streams"].removesuffix("ws")
    try:
        yield client, sockets
    finally:
        await closed_at_once(client.ws_api)
        await client.close_connection()


async def closed_at_once(socket):
    """python-binance's reader notices it should close only once its wait for a message
    ends (`TIMEOUT`, which is also how long a request waits for its answer): told to leave
    and its socket closed, it leaves now."""
    from binance.ws.reconnecting_websocket import WSListenerState

    if socket.ws is not None:
        socket.ws_state = WSListenerState.EXITING
        await socket.ws.close()


async def test_python_binance_reads_the_tickers_and_exchange_info_on_the_ws_api(server):
    last, bid, ask = top(server)
    async with python_binance(server) as (client, _):
        day = await client.ws_get_ticker(symbol="BTCUSDT")
        price = await client.ws_get_symbol_ticker(symbol="BTCUSDT")
        book = await client.ws_get_orderbook_ticker(symbol="BTCUSDT")
        info = await client.ws_get_exchange_info(symbol="BTCUSDT")
    assert (day["symbol"], day["lastPrice"]) == ("BTCUSDT", last)
    assert price == {"symbol": "BTCUSDT", "price": last}
    assert (book["bidPrice"], book["askPrice"]) == (bid, ask)
    assert [s["symbol"] for s in info["symbols"]] == ["BTCUSDT"]


async def test_python_binance_hears_its_market_orders_trade_on_the_user_data_stream(server):
    async with python_binance(server) as (client, sockets), sockets.user_socket() as user:
        placed = await client.create_order(
            symbol="BTCUSDT", side="SELL", type="MARKET", quantity="0.001"
        )
        reports = []
        while not any(r.get("x") == "TRADE" for r in reports):
            reports.append(await user.recv())
    trade = next(r for r in reports if r.get("x") == "TRADE")
    assert (trade["e"], trade["i"], trade["X"]) == ("executionReport", placed["orderId"], "FILLED")
    assert (trade["l"], trade["L"]) == ("0.00100000", placed["fills"][0]["price"])


async def test_python_binance_reads_the_all_market_mini_tickers(server):
    server.exchange.market.rate = 200  # the stream tells of the symbols that printed
    async with python_binance(server) as (_, sockets), sockets.miniticker_socket() as minis:
        rows = await minis.recv()
    assert {row["e"] for row in rows} == {"24hrMiniTicker"}
    assert {row["s"] for row in rows} <= set(server.exchange.engine.books)


@contextlib.asynccontextmanager
async def binance_sdk(server):
    from binance_common.configuration import (  # a second to import: not at collection
        ConfigurationWebSocketAPI,
        ConfigurationWebSocketStreams,
    )
    from binance_sdk_spot.spot import Spot

    urls = server.urls
    spot = Spot(
        config_ws_api=ConfigurationWebSocketAPI(
            api_key=KEY, api_secret=SECRET, stream_url=urls["ws_api"]
        ),
        config_ws_streams=ConfigurationWebSocketStreams(
            stream_url=urls["combined"].removesuffix("/stream")
        ),
    )
    api = await spot.websocket_api.create_connection()
    try:
        yield spot, api
    finally:
        await api.close_connection()


async def test_binance_sdk_reads_the_tickers_and_exchange_info_on_the_ws_api(server):
    last, bid, ask = top(server)
    async with binance_sdk(server) as (_, api):
        day = (await api.ticker24hr(symbol="BTCUSDT")).data().actual_instance.result
        price = (await api.ticker_price(symbol="BTCUSDT")).data().actual_instance.result
        book = (await api.ticker_book(symbol="BTCUSDT")).data().actual_instance.result
        info = (await api.exchange_info(symbol="BTCUSDT")).data()
    assert (day.symbol, day.last_price, price.price) == ("BTCUSDT", last, last)
    assert (book.bid_price, book.ask_price) == (bid, ask)
    # The SDK's model of this answer is REST's (no `result` field): the symbols land aside.
    symbols = info.additional_properties["result"]["symbols"]
    assert [s["symbol"] for s in symbols] == ["BTCUSDT"]


async def test_binance_sdk_hears_its_market_orders_trade_on_the_user_data_stream(server):
    async with binance_sdk(server) as (_, api):
        subscribed = await api.user_data_stream_subscribe_signature()
        events = []
        subscribed.stream.on("message", events.append)
        placed = (
            (await api.order_place(symbol="BTCUSDT", side="SELL", type="MARKET", quantity=0.001))
            .data()
            .result
        )
        reports = lambda: [e.actual_instance for e in events]  # noqa: E731
        await until(lambda: any(getattr(r, "x", None) == "TRADE" for r in reports()))
    trade = next(r for r in reports() if getattr(r, "x", None) == "TRADE")
    assert (trade.i, trade.X, trade.l) == (placed.order_id, "FILLED", "0.00100000")


async def test_binance_sdk_reads_the_all_market_mini_tickers(server):
    server.exchange.market.rate = 200
    async with binance_sdk(server) as (spot, _):
        streams = await spot.websocket_streams.create_connection()
        try:
            heard = []
            (await streams.all_mini_ticker()).on("message", heard.append)
            await until(lambda: heard)
        finally:
            await streams.close_connection()
    assert {row.e for row in heard[0]} == {"24hrMiniTicker"}
