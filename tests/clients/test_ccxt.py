"""ccxt's clients, as traders already use them, against the simulator's dialects: every
unified spot method a client calls must be served in the venue's words (ccxt's `htx`
against the Huobi dialect, its `weex` against the WEEX one), and ccxt.pro's public and
private watches. The simulator serves TLS here, as the venues do: ccxt's htx signs the path
it cuts from a `wss://` address."""

import asyncio
import contextlib
import importlib
from urllib.parse import urlparse

import pytest

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.fronts.sockets import sockets_base
from console.sim.server import SimServer, lot_parts
from tests.fakes import until
from tests.tls import loopback_certificate

KEY, SECRET, PASSPHRASE = "ccxt-key", "ccxt-secret", "ccxtPass1"
CLIENTS = {
    "htx": (
        "huobi",
        {"fetchMarkets": {"types": {"spot": True, "linear": False, "inverse": False}}},
    ),
    "weex": ("weex", {}),
}


def on(base, urls):
    """Every host of the client's URL table pointed at the simulator."""
    if isinstance(urls, dict):
        return {name: on(base, url) for name, url in urls.items()}
    return base if isinstance(urls, str) and urls.startswith("https://") else urls


def on_sockets(server, urls):
    """Every WebSocket address of the client pointed at the simulator, path kept."""
    if isinstance(urls, dict):
        return {name: on_sockets(server, url) for name, url in urls.items()}
    if isinstance(urls, str) and urls.startswith("wss://") and "{hostname}" not in urls:
        return sockets_base(server.base_url) + urlparse(urls).path
    return on(server.base_url, urls)


@contextlib.asynccontextmanager
async def serving(name, library, folder):
    """The simulator in the client's dialect over TLS, and the client of `library` trusting
    it, with the simulator's key."""
    dialect, options = CLIENTS[name]
    exchange = SimExchange(seed=5, rate=200, lot_parts=lot_parts(dialect))
    credential = Credential(KEY, TRADER_ACCOUNT, secret=SECRET.encode(), passphrase=PASSPHRASE)
    exchange.add_credential(credential)
    tls, authority = loopback_certificate(folder)
    server = SimServer(exchange, dialect, tls=tls)
    await server.start()
    made = getattr(library, name)(
        {
            "apiKey": KEY,
            "secret": SECRET,
            "password": PASSPHRASE,
            "options": options,
            "cafile": str(authority),
        }
    )
    made.urls["api"] = on_sockets(server, made.urls["api"])
    host = server.base_url.removeprefix("https://")
    if isinstance(made.urls.get("hostnames"), dict):  # htx signs with its hostnames
        made.hostname = host
        made.urls["hostnames"] = dict.fromkeys(made.urls["hostnames"], host)
    await until(lambda: exchange.tapes["BTCUSDT"])
    try:
        yield made, server
    finally:
        await made.close()
        await server.stop()


@pytest.fixture(params=sorted(CLIENTS))
async def client(request, tmp_path):
    library = importlib.import_module("ccxt.async_support")  # a second: not at collection
    async with serving(request.param, library, tmp_path) as (made, _):
        yield made


@pytest.fixture(params=sorted(CLIENTS))
async def streaming(request, tmp_path):
    library = importlib.import_module("ccxt.pro")
    async with serving(request.param, library, tmp_path) as served:
        yield served


async def test_markets_currencies_and_the_market_data_methods(client):
    markets = await client.load_markets()
    assert markets["BTC/USDT"]["spot"]
    assert "USDT" in await client.fetch_currencies()
    ticker = await client.fetch_ticker("BTC/USDT")
    assert ticker["last"] > 0
    assert "BTC/USDT" in await client.fetch_tickers()
    book = await client.fetch_order_book("BTC/USDT")
    assert book["bids"][0][0] < book["asks"][0][0]
    assert await client.fetch_trades("BTC/USDT")
    candles = await client.fetch_ohlcv("BTC/USDT", "1m")
    assert candles and len(candles[0]) == 6


async def test_balance_orders_and_trades_of_the_account(client):
    balance = await client.fetch_balance()
    assert balance["USDT"]["free"] > 0
    book = await client.fetch_order_book("BTC/USDT")
    resting = await client.create_order("BTC/USDT", "limit", "buy", 0.001, book["bids"][0][0] - 100)
    assert (await client.fetch_order(resting["id"], "BTC/USDT"))["status"] == "open"
    assert [o["id"] for o in await client.fetch_open_orders("BTC/USDT")] == [resting["id"]]
    await client.cancel_order(resting["id"], "BTC/USDT")
    assert (await client.fetch_order(resting["id"], "BTC/USDT"))["status"] == "canceled"
    sold = await client.create_order("BTC/USDT", "market", "sell", 0.001)
    closed = {o["id"]: o["status"] for o in await client.fetch_closed_orders("BTC/USDT")}
    assert closed[sold["id"]] == "closed"
    trades = await client.fetch_my_trades("BTC/USDT")
    assert sold["id"] in {t["order"] for t in trades}


async def test_the_public_watch_methods_of_ccxt_pro(streaming):
    streaming, _ = streaming
    book = await asyncio.wait_for(streaming.watch_order_book("BTC/USDT"), 30)
    assert book["bids"][0][0] < book["asks"][0][0]
    trades = await asyncio.wait_for(streaming.watch_trades("BTC/USDT"), 30)
    assert trades[0]["price"] > 0
    ticker = await asyncio.wait_for(streaming.watch_ticker("BTC/USDT"), 30)
    assert ticker["symbol"] == "BTC/USDT"
    candles = await asyncio.wait_for(streaming.watch_ohlcv("BTC/USDT", "1m"), 30)
    assert len(candles[-1]) == 6


async def test_the_private_watch_methods_of_ccxt_pro(streaming):
    streaming, server = streaming
    balance = asyncio.ensure_future(streaming.watch_balance())
    orders = asyncio.ensure_future(streaming.watch_orders("BTC/USDT"))
    await until(lambda: private_watchers(server) == 2)
    placed = await streaming.create_order("BTC/USDT", "market", "sell", 0.001)
    seen = await asyncio.wait_for(orders, 30)
    assert (seen[-1]["id"], seen[-1]["side"]) == (placed["id"], "sell")
    heard = await asyncio.wait_for(balance, 30)
    if streaming.id == "htx":
        return  # ccxt 4.5.90's htx reads the spot push's `data` object as a list: no balances
    held = server.exchange.engine.open_account(TRADER_ACCOUNT).holdings["BTC"].free
    while heard.get("BTC", {}).get("free") != float(held):
        heard = await asyncio.wait_for(streaming.watch_balance(), 30)


def private_watchers(server):
    """How many private subscriptions the simulator's private stream holds."""
    stream = getattr(server.front, "private", None) or server.front.account
    return sum(len(session.channels) for session in stream.sessions)
