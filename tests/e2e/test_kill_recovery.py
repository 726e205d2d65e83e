"""`kill -9` with orders resting and one in flight, then a restart against the same
simulator through the custom endpoint: the journal, the screen's open orders and the engine
agree, and an order another program placed meanwhile shows as an orphan. On every venue.

Every order is accepted late (`late_accept=1`): the venue answers with a timeout and takes
the order two seconds later, so the last order is still unknown when the console dies."""

import asyncio
import contextlib
import sys
from decimal import Decimal

import pytest

from console.config import Credentials
from console.errors import UnknownStatus
from console.model import OrderType, Side, TimeInForce
from console.sim.exchange import DEMO_API_KEY, DEMO_API_PASSPHRASE, DEMO_API_SECRET
from console.trading.journal import Journal
from console.venues.base import OrderRequest
from console.venues.registry import NAMES, VENUES
from tests.e2e.simulator import simulator_process
from tests.terminal import PAGE_DOWN, Terminal

SYMBOL = "BTCUSDT"
ORPHAN = "byhand1"


@pytest.fixture(params=NAMES)
def late_sim(request):
    with simulator_process(request.param, chaos="late_accept=1,accept_delay=2") as rest:
        yield request.param, rest


def at_the_venue(name, rest, action):
    """Run `action(venue)` with the venue's own adapter, as another program would."""

    async def run():
        credentials = Credentials(
            {
                "API_KEY": DEMO_API_KEY,
                "API_SECRET": DEMO_API_SECRET,
                "API_PASSPHRASE": DEMO_API_PASSPHRASE,
            }
        )
        entry = VENUES[name]
        ws = rest.replace("http://", "ws://")
        venue = entry.connect("custom", rest, ws, credentials, entry.apis[0])
        await venue.start()
        try:
            return await action(venue)
        finally:
            await venue.close()

    return asyncio.run(run())


def open_at_the_engine(name, rest):
    async def listing(venue):
        return {o.client_order_id for o in await venue.open_orders(SYMBOL)}

    return at_the_venue(name, rest, listing)


def placed_by_another_program(name, rest):
    async def place(venue):
        price = Decimal(30_000)
        request = OrderRequest(
            SYMBOL, Side.BUY, OrderType.LIMIT, ORPHAN, Decimal("0.001"), price, TimeInForce.GTC
        )
        with contextlib.suppress(UnknownStatus):  # accepted late, as every order here
            await venue.place(request)

    at_the_venue(name, rest, place)


def console_on(name, rest, tmp_path):
    config = tmp_path / "config" / "trading-console" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("deadman_seconds = 0\n")  # this test is about the journal, not the switch
    credentials = {
        f"{name.upper()}_CUSTOM_API_KEY": DEMO_API_KEY,
        f"{name.upper()}_CUSTOM_API_SECRET": DEMO_API_SECRET,
        f"{name.upper()}_CUSTOM_API_PASSPHRASE": DEMO_API_PASSPHRASE,
    }
    argv = [sys.executable, "-m", "console", "--venue", name, "--env", "custom"]
    argv += ["--rest-url", rest, "--ws-url", rest.replace("http://", "ws://")]
    return Terminal(tmp_path, argv, env=credentials)


def send_a_resting_buy(term):
    term.type("b")
    term.escape()
    term.type("B", PAGE_DOWN, PAGE_DOWN, "\t", "\t", "0.001")
    term.wait_for(lambda _: term.ticket_is_ready())
    term.type("\r")


def journal_open(name, tmp_path):
    path = tmp_path / "data" / "trading-console" / f"orders-{name}-custom.db"
    journal = Journal(path, name)
    try:
        return {cid for cid, order in journal.latest().items() if order.status.is_open}
    finally:
        journal.close()


def test_after_kill_9_the_restarted_console_agrees_with_the_journal_and_the_engine(
    late_sim, tmp_path
):
    name, rest = late_sim
    term = console_on(name, rest, tmp_path)
    try:
        term.wait_for(lambda s: "book LIVE" in s and "DMS off" in s)
        for count in (1, 2):
            send_a_resting_buy(term)
            term.wait_for(lambda s, count=count: f"Open orders ({count})" in s and "NEW" in s)
            term.escape()
        send_a_resting_buy(term)
        term.wait_for(lambda s: "Open orders (3)" in s and "UNKNOWN" in s)
        term.kill()  # the third order is in flight: the venue takes it two seconds later
    finally:
        term.close()
    placed_by_another_program(name, rest)

    ours = journal_open(name, tmp_path)
    assert len(ours) == 3 and all(cid.startswith("tc-") for cid in ours)
    restarted = console_on(name, rest, tmp_path)
    try:
        expected = ours | {ORPHAN}
        restarted.wait_for(
            lambda s: (
                "Open orders (4)" in s
                and "ORPHAN" in s
                and "UNKNOWN" not in s
                and all(cid in s for cid in expected)  # a frame may be read half drawn
            ),
            timeout=60,
        )
        assert open_at_the_engine(name, rest) == expected
        assert journal_open(name, tmp_path) == ours
        restarted.type("r")
        restarted.wait_for(lambda s: "4 open · 3 agree · 1 orphans · 0 unknown" in s)
    finally:
        restarted.close()
