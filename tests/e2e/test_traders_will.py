"""The console in a pseudo-terminal against a simulator started on its own, doing only what
the trader asked: read-only cancels nothing even when the venue freezes, another console's
orders are left alone, SIGINT applies the quit policy, an order the venue lost stops
blocking trading, and a terminal that stops reading does not stop the dead-man's switch."""

import fcntl
import hashlib
import hmac
import os
import re
import signal
import struct
import sys
import termios
import time
from urllib.parse import urlencode

import httpx
import pytest

from console.sim.exchange import DEMO_API_KEY, DEMO_API_SECRET
from tests.e2e.simulator import simulator
from tests.terminal import Terminal

CREDENTIALS = {"BINANCE_CUSTOM_API_KEY": DEMO_API_KEY, "BINANCE_CUSTOM_API_SECRET": DEMO_API_SECRET}
SWITCH_SECONDS = 5


@pytest.fixture
def venue():
    with simulator() as running:
        yield running


def signed(rest, method, path, **params):
    """A request to the simulator as another program on the same account would send it."""
    query = urlencode({**params, "timestamp": int(time.time() * 1000)})
    signature = hmac.new(DEMO_API_SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()
    answer = httpx.request(
        method,
        f"{rest}{path}?{query}&signature={signature}",
        headers={"X-MBX-APIKEY": DEMO_API_KEY},
    )
    answer.raise_for_status()
    return answer.json()


def open_orders_at_the_venue(rest):
    return sorted(order["clientOrderId"] for order in signed(rest, "GET", "/api/v3/openOrders"))


def another_programs_buy(rest, client_order_id):
    book = httpx.get(f"{rest}/api/v3/depth", params={"symbol": "BTCUSDT", "limit": 5}).json()
    price = int(float(book["bids"][0][0])) - 200
    signed(
        rest,
        "POST",
        "/api/v3/order",
        symbol="BTCUSDT",
        side="BUY",
        type="LIMIT",
        timeInForce="GTC",
        quantity="0.01",
        price=str(price),
        newClientOrderId=client_order_id,
    )


def console(venue, home, *flags, config=""):
    """The console on `venue` with its own home (config, data, journal)."""
    settings = home / "config" / "trading-console"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "config.toml").write_text(f"deadman_seconds = {SWITCH_SECONDS}\n{config}")
    ws = venue.rest.replace("http://", "ws://")
    argv = [sys.executable, "-m", "console", "--env", "custom"]
    argv += ["--rest-url", venue.rest, "--ws-url", ws, *flags]
    return Terminal(home, argv, env=CREDENTIALS)


def live(screen):
    """The book and the account stream are live (an orphan's notice, which needs the account
    reconciled, can push the account stream's state off the status bar)."""
    return "book LIVE" in screen and ("user LIVE" in screen or "ORPHAN" in screen)


def place_resting_buy(term, count):
    term.type("b")
    term.escape()
    term.type("B", "\x1b[6~", "\x1b[6~", "\t", "\t", "0.01")
    term.wait_for(lambda _: term.ticket_is_ready())
    term.type("\r")
    term.wait_for(lambda s: f"Open orders ({count})" in s)
    term.escape()
    term.escape()


def log_of(home):
    path = home / "data" / "trading-console" / "console.log"
    return path.read_text() if path.exists() else ""


def wait_until(condition, timeout=60.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.1)


def wait_until_the_terminal_is_full(term):
    """Stop reading the pty and wait until what the console wrote no longer grows: the
    kernel's buffer is full and every further write of the console's would block."""
    held, same_for = -1, 0
    while same_for < 10:
        time.sleep(0.2)
        now = struct.unpack("i", fcntl.ioctl(term.fd, termios.FIONREAD, b"\0" * 4))[0]
        held, same_for = now, same_for + 1 if now == held else 0


def test_read_only_cancels_nothing_when_the_venue_freezes_past_the_switch(venue, tmp_path):
    another_programs_buy(venue.rest, "other-program-1")
    term = console(venue, tmp_path, "--read-only")
    try:
        screen = term.wait_for(lambda s: live(s) and "READ-ONLY" in s)
        assert "DMS off: read-only" in screen
        venue.freeze()
        term.wait_for(lambda s: "STALE" in s)
        term.pump(SWITCH_SECONDS + 2)  # the switch would have tripped by now
        venue.thaw()
        term.wait_for(live)
        assert open_orders_at_the_venue(venue.rest) == ["other-program-1"]
        assert "dead-man's switch fired" not in log_of(tmp_path)
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()
    assert open_orders_at_the_venue(venue.rest) == ["other-program-1"]


def test_quitting_leaves_another_consoles_orders_on_the_same_account(venue, tmp_path):
    first = console(venue, tmp_path / "first")
    try:
        first.wait_for(live)
        place_resting_buy(first, 1)
        (theirs,) = open_orders_at_the_venue(venue.rest)
        second = console(venue, tmp_path / "second")
        try:
            second.wait_for(lambda s: live(s) and "Open orders (1)" in s)
            place_resting_buy(second, 2)
            second.type("q")
            assert second.exit_status() == 0
        finally:
            second.close()
        assert open_orders_at_the_venue(venue.rest) == [theirs]
    finally:
        first.close()


def test_a_second_console_on_the_same_journal_refuses_to_start(venue, tmp_path):
    first = console(venue, tmp_path)
    try:
        first.wait_for(live)
        second = console(venue, tmp_path)
        try:
            second.wait_for(lambda s: "another console (pid" in s)
            assert second.exit_status() == 2
        finally:
            second.close()
        first.type("q")
        assert first.exit_status() == 0
    finally:
        first.close()


def test_sigint_applies_the_quit_policy(venue, tmp_path):
    term = console(venue, tmp_path)
    try:
        term.wait_for(live)
        place_resting_buy(term, 1)
        os.kill(term.pid, signal.SIGINT)
        assert term.exit_status() == 0
    finally:
        term.close()
    assert open_orders_at_the_venue(venue.rest) == []
    assert "SIGINT: closing the session (on_quit = cancel)" in log_of(tmp_path)


def test_an_order_the_restarted_venue_lost_stops_blocking_trading(tmp_path):
    with simulator() as first_run:
        term = console(first_run, tmp_path, config="lookup_seconds = 5\n")
        try:
            term.wait_for(live)
            place_resting_buy(term, 1)
            port = first_run.port
            first_run.process.send_signal(signal.SIGINT)
            first_run.process.wait(10)
            term.wait_for(lambda s: "DMS TRIPPED" in s)
            with simulator(port=port) as second_run:
                screen = term.wait_for(
                    lambda s: live(s) and "Open orders (0)" in s and "DMS ARMED" in s, timeout=60
                )
                assert "TRIPPED" not in screen
                assert open_orders_at_the_venue(second_run.rest) == []
                place_resting_buy(term, 1)  # trading is back
                term.type("q")
                assert term.exit_status() == 0
        finally:
            term.close()
    assert "VANISHED" in log_of(tmp_path)


def test_a_terminal_that_stops_reading_does_not_stop_the_switch(venue, tmp_path):
    term = console(venue, tmp_path)
    try:
        term.wait_for(lambda s: live(s) and "DMS ARMED" in s)
        place_resting_buy(term, 1)
        wait_until_the_terminal_is_full(term)  # from here on the console's writes cannot land
        venue.freeze()
        wait_until(lambda: "dead-man's switch fired" in log_of(tmp_path), what="the switch fire")
        venue.thaw()
        wait_until(lambda: open_orders_at_the_venue(venue.rest) == [], what="the cancel land")
        fired = re.search(r"nothing heard from binance for ([\d.]+)s", log_of(tmp_path))
        assert fired is not None and float(fired.group(1)) >= SWITCH_SECONDS
        term.wait_for(lambda s: "DMS" in s and "Open orders (0)" in s)  # reading again
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_with_stdout_on_a_closed_pipe_the_screen_is_whole_and_sigterm_still_quits(tmp_path):
    """`trading-console | true`: the screen is drawn on the terminal at its own size, and
    the console still leaves by its quit policy."""
    command = f"{sys.executable} -m console --rate 100 | true"
    term = Terminal(tmp_path, ["/bin/sh", "-c", command])
    try:
        screen = term.wait_for(lambda s: "book LIVE" in s and "user LIVE" in s)
        assert "p:  trades" not in screen  # the wide layout of a 120x40 terminal, not 80x24
        os.killpg(term.pid, signal.SIGTERM)
        wait_until(lambda: "leaving: nothing left on the venue" in log_of(tmp_path))
        term.exit_status()
    finally:
        term.close()
    assert "SIGTERM: closing the session" in log_of(tmp_path)
