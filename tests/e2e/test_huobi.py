"""The console on the simulator's Huobi dialect, started on its own as a shared simulator
would be: the whole screen at 80x24 with an order placed and cancelled by keys, and the
venue-side dead-man's switch cancelling resting orders after the console is killed."""

import re
import sys
import time
from urllib.parse import quote, urlencode, urlparse

import httpx
import pytest

from console.sim.exchange import DEMO_API_KEY, DEMO_API_SECRET
from tests.e2e.simulator import simulator_process
from tests.sim.test_huobi_raw_client import sign, stamp
from tests.terminal import PAGE_DOWN, Terminal

CREDENTIALS = {"HUOBI_CUSTOM_API_KEY": DEMO_API_KEY, "HUOBI_CUSTOM_API_SECRET": DEMO_API_SECRET}
SWITCH_TIMEOUT = 15.0
"""The dead-man's switch timeout the console arms by default."""


@pytest.fixture
def huobi_sim():
    with simulator_process("huobi") as rest:
        yield rest


def signed_get(rest, path, **query):
    params = {
        "AccessKeyId": DEMO_API_KEY,
        "SignatureMethod": "HmacSHA256",
        "SignatureVersion": "2",
        "Timestamp": stamp(),
        **query,
    }
    params["Signature"] = sign("GET", urlparse(rest).netloc, path, params, DEMO_API_SECRET)
    answer = httpx.get(f"{rest}{path}?{urlencode(params, quote_via=quote)}")
    answer.raise_for_status()
    body = answer.json()
    assert body["status"] == "ok", body
    return body["data"]


def open_orders_at_the_engine(rest):
    (account,) = signed_get(rest, "/v1/account/accounts")
    return signed_get(
        rest, "/v1/order/openOrders", **{"account-id": str(account["id"]), "symbol": "btcusdt"}
    )


def console_on(rest, tmp_path, size):
    ws = rest.replace("http://", "ws://")
    argv = [sys.executable, "-m", "console", "--venue", "huobi", "--env", "custom"]
    argv += ["--rest-url", rest, "--ws-url", ws]
    return Terminal(tmp_path, argv, env=CREDENTIALS, size=size)


def place_resting_buy(term, rest, count):
    """Buy 0.001 twenty ticks under the best bid by keys; back on the book once the engine
    holds `count` orders."""
    term.type("b")
    term.escape()
    term.type("B", PAGE_DOWN, PAGE_DOWN, "\t", "\t", "0.001")
    term.wait_for(lambda _: term.ticket_is_ready())
    term.type("\r")
    deadline = time.monotonic() + 30
    while len(open_orders_at_the_engine(rest)) < count:
        assert time.monotonic() < deadline, term.text()
        term.pump(0.1)
    term.escape()
    term.escape()


def test_the_whole_screen_at_80x24_takes_and_cancels_an_order_by_keys(huobi_sim, tmp_path):
    term = console_on(huobi_sim, tmp_path, (80, 24))
    try:
        screen = term.wait_for(
            lambda s: "huobi" in s and "book LIVE" in s and "DMS ARMED venue-side" in s
        )
        assert "spread" in screen and "─ Trades" in screen
        term.type("p")  # the side panels take turns on a small terminal
        term.wait_for(lambda s: "─ Candles" in s and "1m" in s)
        term.type("p", "p")
        term.wait_for(lambda s: "─ Balances" in s and "USDT" in s)  # the account stream is live
        place_resting_buy(term, huobi_sim, 1)
        (order,) = open_orders_at_the_engine(huobi_sim)
        assert order["client-order-id"].startswith("tc-") and order["state"] == "submitted"
        term.type("o")
        term.wait_for(lambda s: "Open orders (1)" in s and " 0/0.001 " in s)  # sizes whole
        term.type("x")
        term.wait_for(lambda s: "CANCELED" in s)
        assert open_orders_at_the_engine(huobi_sim) == []
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_killed_with_the_switch_armed_every_resting_order_is_cancelled_in_time(huobi_sim, tmp_path):
    term = console_on(huobi_sim, tmp_path, (120, 40))
    try:
        term.wait_for(
            lambda s: (
                "book LIVE" in s and "DMS ARMED venue-side" in s and re.search(r"USDT +100,000 ", s)
            )
        )
        place_resting_buy(term, huobi_sim, 1)
        place_resting_buy(term, huobi_sim, 2)
        assert len(open_orders_at_the_engine(huobi_sim)) == 2
        term.kill()
        killed = time.monotonic()
    finally:
        term.close()
    while open_orders_at_the_engine(huobi_sim):
        assert time.monotonic() - killed < SWITCH_TIMEOUT + 5, "the switch never fired"
        time.sleep(0.2)


def venue_seconds(rest):
    return httpx.get(f"{rest}/v1/common/timestamp").json()["data"] / 1000


def test_quitting_with_keep_disarms_the_venues_switch_so_the_orders_stay(huobi_sim, tmp_path):
    settings = tmp_path / "config" / "trading-console"
    settings.mkdir(parents=True)
    (settings / "config.toml").write_text('on_quit = "keep"\ndeadman_seconds = 5\n')
    term = console_on(huobi_sim, tmp_path, (120, 40))
    try:
        term.wait_for(
            lambda s: (
                "book LIVE" in s and "DMS ARMED venue-side" in s and re.search(r"USDT +100,000 ", s)
            )
        )
        place_resting_buy(term, huobi_sim, 1)
        place_resting_buy(term, huobi_sim, 2)
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()
    quit_at = venue_seconds(huobi_sim)
    while venue_seconds(huobi_sim) < quit_at + 5 + 2:  # past the switch had it stayed armed
        time.sleep(0.2)
    assert len(open_orders_at_the_engine(huobi_sim)) == 2
    log = (tmp_path / "data" / "trading-console" / "console.log").read_text()
    assert "leaving: left on huobi: 2 orders resting\n" in log
