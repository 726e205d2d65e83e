"""The console pointed at a simulator started on its own (`--env custom`), as rehearsals on
a shared simulator run: orders placed and cancelled by keys and seen at the engine, doctor
passing there, and SIGHUP (the SSH session gone) applying the quit policy at the engine."""

import hashlib
import hmac
import sys
import time
from urllib.parse import urlencode

import httpx
import pytest

from console.cli import main
from console.model import OrderStatus
from console.sim.exchange import DEMO_API_KEY, DEMO_API_SECRET
from console.trading.journal import Journal
from tests.e2e.simulator import simulator_process
from tests.terminal import PAGE_DOWN, Terminal

CREDENTIALS = {"BINANCE_CUSTOM_API_KEY": DEMO_API_KEY, "BINANCE_CUSTOM_API_SECRET": DEMO_API_SECRET}


@pytest.fixture
def shared_sim():
    """`trading-console sim` in a process of its own; its REST and WebSocket base URLs."""
    with simulator_process() as rest:
        yield rest, rest.replace("http://", "ws://")


def signed_get(rest, path, **query):
    """A GET signed as Binance documents it: the query and a timestamp, HMAC-SHA256."""
    text = urlencode({**query, "timestamp": int(time.time() * 1000)})
    signature = hmac.new(DEMO_API_SECRET.encode(), text.encode(), hashlib.sha256).hexdigest()
    answer = httpx.get(
        f"{rest}{path}?{text}&signature={signature}", headers={"X-MBX-APIKEY": DEMO_API_KEY}
    )
    answer.raise_for_status()
    return answer.json()


def open_orders_at_the_engine(rest):
    return signed_get(rest, "/api/v3/openOrders")


def console_on(shared_sim, tmp_path):
    rest, ws = shared_sim
    argv = [sys.executable, "-m", "console", "--env", "custom", "--rest-url", rest, "--ws-url", ws]
    return Terminal(tmp_path, argv, env=CREDENTIALS)


def place_resting_buy(term, count):
    term.type("b")
    term.escape()
    term.type("B", PAGE_DOWN, PAGE_DOWN, "\t", "\t", "0.01")
    term.wait_for(lambda _: term.ticket_is_ready())
    term.type("\r")
    term.wait_for(lambda s: f"Open orders ({count})" in s)
    term.escape()
    term.escape()


def test_the_console_trades_on_a_separately_started_simulator(shared_sim, tmp_path):
    rest, _ = shared_sim
    term = console_on(shared_sim, tmp_path)
    try:
        term.wait_for(lambda s: "CUSTOM" in s and "book LIVE" in s and "user LIVE" in s)
        place_resting_buy(term, 1)
        (order,) = open_orders_at_the_engine(rest)
        assert order["clientOrderId"].startswith("tc-") and order["origQty"] == "0.01000000"
        term.type("o", "x")
        term.wait_for(lambda s: "Open orders (0)" in s)
        assert open_orders_at_the_engine(rest) == []
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_doctor_passes_on_a_separately_started_simulator(shared_sim, monkeypatch, capsys):
    rest, ws = shared_sim
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    assert main(["doctor", "--env", "custom", "--rest-url", rest, "--ws-url", ws]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"CUSTOM  binance custom at {rest}"
    assert [line.split()[0] for line in lines[1:]] == ["PASS"] * 6


def test_a_lost_ssh_session_cancels_this_consoles_orders_and_flushes_the_journal(
    shared_sim, tmp_path
):
    rest, _ = shared_sim
    term = console_on(shared_sim, tmp_path)
    try:
        term.wait_for(lambda s: "CUSTOM" in s and "book LIVE" in s and "user LIVE" in s)
        place_resting_buy(term, 1)
        place_resting_buy(term, 2)
        assert len(open_orders_at_the_engine(rest)) == 2
        term.hang_up()
        assert term.exit_status() == 0
    finally:
        term.close()
    assert open_orders_at_the_engine(rest) == []
    path = tmp_path / "data" / "trading-console" / "orders-binance-custom.db"
    journal = Journal(path, "binance")
    try:  # the cancel's answer or the stream's word of it, whichever came first
        assert [o.status for o in journal.latest().values()] == [OrderStatus.CANCELED] * 2
    finally:
        journal.close()


def test_a_lost_ssh_session_keeping_its_orders_leaves_cleanly_and_logs_what_stays(
    shared_sim, tmp_path
):
    rest, _ = shared_sim
    settings = tmp_path / "config" / "trading-console"
    settings.mkdir(parents=True)
    (settings / "config.toml").write_text('on_quit = "keep"\n')
    term = console_on(shared_sim, tmp_path)
    try:
        term.wait_for(lambda s: "CUSTOM" in s and "book LIVE" in s and "user LIVE" in s)
        place_resting_buy(term, 1)
        term.hang_up()
        assert term.exit_status() == 0  # the farewell is not printed to the dead terminal
    finally:
        term.close()
    assert len(open_orders_at_the_engine(rest)) == 1
    log = (tmp_path / "data" / "trading-console" / "console.log").read_text()
    assert "closing the session (on_quit = keep)" in log  # on SIGHUP or the output closing
    assert "leaving: left on binance: 1 order resting" in log
