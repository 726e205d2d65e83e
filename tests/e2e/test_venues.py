"""Three venues in one console, each on a simulator started on its own: switched between
by keys, an order placed and cancelled on each (checked at each engine), the compare view
and the merged ladder, an order sent from the ladder to its level's venue, and one venue
frozen (SIGSTOP) going STALE and tripping its own switch while the other two trade on."""

import contextlib
import sys

import pytest

from tests.e2e import test_huobi as huobi
from tests.e2e import test_shared_sim as binance
from tests.e2e import test_weex as weex
from tests.e2e.simulator import simulator
from tests.e2e.test_kill_recovery import send_a_resting_buy
from tests.e2e.test_weex import until_at_the_venue
from tests.terminal import Terminal

pytestmark = pytest.mark.slow

VENUES = ("binance", "huobi", "weex")
CREDENTIALS = {**binance.CREDENTIALS, **huobi.CREDENTIALS, **weex.CREDENTIALS}
OFFSETS_BP = (0, 4, -3)
"""Each simulator's prices from the usual, as venues differ: WEEX's asks are the cheapest."""


def open_orders(venue, rest):
    """The trader's open orders at a venue's engine, asked over its own REST API."""
    if venue == "binance":
        return binance.open_orders_at_the_engine(rest)
    if venue == "huobi":
        return huobi.open_orders_at_the_engine(rest)
    return weex.signed_get(rest, "/api/v3/openOrders", symbol="BTCUSDT")


def all_orders(venue, rest):
    """Every order of the trader on BTCUSDT at Binance's or WEEX's engine (`allOrders`)."""
    signed_get = binance.signed_get if venue == "binance" else weex.signed_get
    return signed_get(rest, "/api/v3/allOrders", symbol="BTCUSDT")


@pytest.fixture
def sims():
    with contextlib.ExitStack() as stack:
        yield {
            venue: stack.enter_context(simulator(venue, rate=50, offset_bp=offset))
            for venue, offset in zip(VENUES, OFFSETS_BP, strict=True)
        }


def console_on(sims, tmp_path, size):
    lines = [
        f"venues = {list(VENUES)!r}".replace("'", '"'),
        'env = "custom"',
        "deadman_seconds = 5",
    ]
    for venue, sim in sims.items():
        ws = sim.rest.replace("http://", "ws://")
        lines += [f"[per_venue.{venue}.endpoints]", f'rest = "{sim.rest}"', f'ws = "{ws}"']
    folder = tmp_path / "config" / "trading-console"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("\n".join(lines) + "\n")
    return Terminal(tmp_path, [sys.executable, "-m", "console"], env=CREDENTIALS, size=size)


def shown(term, venue):
    """The banner names `venue`: the ticket sends there."""
    term.wait_for(lambda s: s.splitlines()[0].split("·")[0].strip().endswith(venue))


def place_and_cancel(term, sims, venue):
    rest = sims[venue].rest
    send_a_resting_buy(term)
    until_at_the_venue(term, lambda: len(open_orders(venue, rest)) == 1)
    term.escape()
    term.escape()
    term.type("o", "x")
    until_at_the_venue(term, lambda: open_orders(venue, rest) == [])
    term.type("\x1b")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_three_venues_trade_from_one_console_and_a_frozen_one_trips_alone(sims, tmp_path, size):
    term = console_on(sims, tmp_path, size)
    try:
        term.wait_for(lambda s: "[binance]" in s and "book LIVE" in s, timeout=60)
        for venue in VENUES:
            shown(term, venue)
            place_and_cancel(term, sims, venue)
            term.type("v")
        shown(term, "binance")

        term.type("c")
        term.wait_for(lambda s: "across venues" in s and all(v in s for v in VENUES))
        term.type("\x1b")
        term.type("L")
        term.wait_for(lambda s: "every venue's book" in s and "── spread ──" in s)
        on_weex, on_binance = (all_orders(venue, sims[venue].rest) for venue in ("weex", "binance"))
        term.type("\x1b[A", "\r")  # up to the best ask of all: WEEX's, opening 3 bp lower
        shown(term, "weex")
        term.wait_for(lambda _: term.ticket_is_ready())  # at that ask; WEEX's ticket kept 0.001
        term.type("\r")  # a buy taking that ask, on WEEX alone
        until_at_the_venue(
            term, lambda: len(all_orders("weex", sims["weex"].rest)) == len(on_weex) + 1
        )
        assert all_orders("binance", sims["binance"].rest) == on_binance
        assert open_orders("huobi", sims["huobi"].rest) == []
        term.escape()
        term.escape()

        sims["weex"].freeze()
        term.type("v")
        shown(term, "binance")
        term.type("V")
        term.wait_for(lambda s: "TRIPPED" in s, timeout=60)  # weex's switch, after 5 s
        rows = {line.split()[1]: line for line in term.text().splitlines() if "CUSTOM" in line}
        assert " TRIPPED " in rows["weex"]
        assert " LIVE " in rows["binance"] and " LIVE " in rows["huobi"]
        term.type("\x1b")
        place_and_cancel(term, sims, "binance")  # the others trade on
        term.type("v")
        shown(term, "huobi")
        place_and_cancel(term, sims, "huobi")
        term.type("q")
        assert term.exit_status(timeout=30) == 0
    finally:
        sims["weex"].thaw()
        term.close()
