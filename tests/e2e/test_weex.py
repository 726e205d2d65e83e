"""The console on the simulator's WEEX dialect, started on its own as a shared simulator
would be: the whole screen at 80x24 with an order placed and cancelled by keys, and a demo
order placed by keys with `--paper`, each checked at the venue over its own REST API."""

import base64
import hashlib
import hmac
import sys
import time
from urllib.parse import urlencode

import httpx
import pytest

from console.sim.exchange import DEMO_API_KEY, DEMO_API_PASSPHRASE, DEMO_API_SECRET
from tests.e2e.simulator import simulator_process
from tests.terminal import PAGE_DOWN, Terminal

CREDENTIALS = {
    "WEEX_CUSTOM_API_KEY": DEMO_API_KEY,
    "WEEX_CUSTOM_API_SECRET": DEMO_API_SECRET,
    "WEEX_CUSTOM_API_PASSPHRASE": DEMO_API_PASSPHRASE,
}


@pytest.fixture
def weex_sim():
    with simulator_process("weex") as rest:
        yield rest


def signed_get(rest, path, **query):
    """A GET signed as WEEX documents it: timestamp + method + path + query, HMAC-SHA256."""
    text = urlencode(query)
    stamp = str(int(time.time() * 1000))
    prehash = f"{stamp}GET{path}?{text}".encode()
    sign = hmac.new(DEMO_API_SECRET.encode(), prehash, hashlib.sha256).digest()
    headers = {
        "ACCESS-KEY": DEMO_API_KEY,
        "ACCESS-SIGN": base64.b64encode(sign).decode(),
        "ACCESS-TIMESTAMP": stamp,
        "ACCESS-PASSPHRASE": DEMO_API_PASSPHRASE,
    }
    answer = httpx.get(f"{rest}{path}?{text}", headers=headers)
    answer.raise_for_status()
    return answer.json()


def console_on(rest, tmp_path, *options):
    ws = rest.replace("http://", "ws://")
    argv = [sys.executable, "-m", "console", "--venue", "weex", "--env", "custom"]
    argv += ["--rest-url", rest, "--ws-url", ws, *options]
    return Terminal(tmp_path, argv, env=CREDENTIALS, size=(80, 24))


def until_at_the_venue(term, check):
    deadline = time.monotonic() + 30
    while not check():
        assert time.monotonic() < deadline, term.text()
        term.pump(0.1)


def test_the_whole_screen_at_80x24_takes_and_cancels_an_order_by_keys(weex_sim, tmp_path):
    term = console_on(weex_sim, tmp_path)
    try:
        screen = term.wait_for(lambda s: "weex" in s and "book LIVE" in s and "DMS ARMED" in s)
        assert "spread" in screen and "─ Trades" in screen
        term.type("p")  # the side panels take turns on a small terminal
        term.wait_for(lambda s: "─ Candles" in s and "1m" in s)
        term.type("p", "p")
        term.wait_for(lambda s: "─ Balances" in s and "USDT" in s)
        term.type("b")
        term.escape()
        term.type("B", PAGE_DOWN, PAGE_DOWN, "\t", "\t", "0.001")
        term.wait_for(lambda _: term.ticket_is_ready())
        term.type("\r")
        until_at_the_venue(
            term, lambda: signed_get(weex_sim, "/api/v3/openOrders", symbol="BTCUSDT")
        )
        (order,) = signed_get(weex_sim, "/api/v3/openOrders", symbol="BTCUSDT")
        assert order["clientOrderId"].startswith("tc-") and order["status"] == "NEW"
        term.escape()
        term.escape()
        term.type("o")
        term.wait_for(lambda s: "Open orders (1)" in s and " 0/0.001 " in s)  # sizes whole
        term.type("x")
        term.wait_for(lambda s: "CANCELED" in s)
        assert signed_get(weex_sim, "/api/v3/openOrders", symbol="BTCUSDT") == []
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_paper_places_a_demo_order_by_keys_and_shows_it(weex_sim, tmp_path):
    term = console_on(weex_sim, tmp_path, "--paper")
    try:
        term.wait_for(lambda s: s.startswith(" PAPER") and "book LIVE" in s)
        term.type("p", "p", "p")
        term.wait_for(lambda s: "─ Balances" in s and "100,000" in s)  # the demo balance
        term.type("b")
        term.escape()
        term.type("t", "t", "t")  # limit, IOC, FOK, market: post-only is not offered
        term.wait_for(lambda s: "BUY  MARKET" in s)
        term.type("\t", "0.001")  # a market order's price field is skipped
        term.wait_for(lambda _: term.ticket_is_ready())
        term.type("\r")
        until_at_the_venue(
            term, lambda: signed_get(weex_sim, "/capi/v3/sim/order/history", symbol="BTCSUSDT")
        )
        (order,) = signed_get(weex_sim, "/capi/v3/sim/order/history", symbol="BTCSUSDT")
        assert (order["status"], order["executedQty"]) == ("FILLED", "0.001")
        term.escape()
        term.escape()
        term.type("o")
        screen = term.wait_for(lambda s: "Orders (0 open)" in s and "FILLED" in s)
        assert screen.startswith(" PAPER")
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()
