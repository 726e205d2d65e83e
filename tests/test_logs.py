"""The log and the journal are private, and no signature, key or secret reaches the log."""

import logging
import stat
from decimal import Decimal

import pytest

from console.config import Locations
from console.logs import redact, setup_logging
from console.model import OrderType, Side
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from console.trading.journal import Journal
from console.trading.orders import OrderManager
from console.venues.base import OrderRequest
from console.venues.binance.adapter import BinanceCredentials, BinanceEndpoints, BinanceVenue

KEY, SECRET = "loggedKeyAAAAAAAAAAAAAAAAAAAAAAA", "loggedSecretBBBBBBBBBBBBBBBBBBB"


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def logged(tmp_path):
    locations = Locations(tmp_path / "config", tmp_path / "data")
    handler = setup_logging(locations)
    yield locations
    logging.getLogger().removeHandler(handler)
    handler.close()


async def test_a_signed_session_leaves_no_signature_key_or_secret_in_the_log(logged):
    exchange = SimExchange(seed=2, rate=0)
    exchange.add_credential(Credential(KEY, TRADER_ACCOUNT, secret=SECRET.encode()))
    sim = SimServer(exchange, flow=False)
    await sim.start()
    venue = BinanceVenue(BinanceEndpoints.on(sim.base_url), BinanceCredentials(KEY, SECRET))
    journal = Journal(logged.journal("binance"), "binance")
    try:
        await venue.start()
        orders = OrderManager(venue, journal)
        request = OrderRequest(
            "BTCUSDT", Side.BUY, OrderType.LIMIT, "log-1", Decimal("0.01"), Decimal(50000)
        )
        await orders.submit(request)
        await orders.cancel("log-1")
        await venue.balances()
        for name in ("console.log", "orders-binance.db", "orders-binance.db-wal"):
            assert mode(logged.data_dir / name) == 0o600, name
    finally:
        await venue.close()
        await sim.stop()
        journal.close()
    for handler in logging.getLogger().handlers:
        handler.flush()
    log = (logged.data_dir / "console.log").read_text()
    for secret in ("signature=", KEY, SECRET):
        assert secret not in log
    assert mode(logged.data_dir) == 0o700


def test_a_line_that_carries_a_signature_or_key_is_blanked():
    line = "GET /api/v3/order?symbol=BTCUSDT&timestamp=1&signature=abc123 X-MBX-APIKEY: k9"
    assert redact(line) == (
        "GET /api/v3/order?symbol=BTCUSDT&timestamp=1&signature=<redacted> X-MBX-APIKEY: <redacted>"
    )
    assert redact('{"apiKey": "k", "secret":"s"}') == (
        '{"apiKey": "<redacted>", "secret":"<redacted>"}'
    )


def test_records_from_any_library_pass_through_the_filter(logged):
    logging.getLogger("somewhere").warning("retrying %s", "/api?signature=deadbeef")
    for handler in logging.getLogger().handlers:
        handler.flush()
    log = (logged.data_dir / "console.log").read_text()
    assert "signature=<redacted>" in log and "deadbeef" not in log
