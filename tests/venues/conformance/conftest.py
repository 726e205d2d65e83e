"""Each registered venue's adapter against the simulator speaking its own dialect, over
loopback, with nothing mocked. A venue joins the suite by registering in
`console.venues.registry` and the simulator's `FRONTS`; it never copies a test."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from console.launch import sim_credential
from console.model import Side
from console.sim.exchange import TRADER_ACCOUNT, SimExchange
from console.sim.market import LISTINGS
from console.sim.server import SimServer, lot_parts
from console.trading.orders import OrderManager, ReconcilePolicy
from console.venues.base import Venue
from console.venues.registry import NAMES, VENUES
from tests.fakes import until

BTCUSDT = next(listing for listing in LISTINGS if listing.instrument.symbol == "BTCUSDT")
SYMBOL = BTCUSDT.instrument.symbol


@dataclass
class Harness:
    """One venue's adapter and the simulated exchange behind its dialect."""

    name: str
    exchange: SimExchange
    server: SimServer
    venue: Venue

    @property
    def engine(self):
        return self.exchange.engine

    @property
    def chaos(self):
        return self.exchange.chaos

    def book(self):
        return self.engine.books[SYMBOL].l2

    def bid(self, ticks_away=0):
        l2 = self.book()
        return l2.prices.value(l2.best_bid - ticks_away)

    def resting(self):
        return self.engine.open_orders(TRADER_ACCOUNT)

    def advance(self, seconds):
        self.exchange.market.advance(seconds)

    async def watched(self, policy=None):
        """An order manager fed by the venue's account stream, once that stream is live."""
        manager = OrderManager(
            self.venue, policy=policy or ReconcilePolicy(first_delay=0.05, max_delay=0.5)
        )
        await self.venue.watch_account(manager)
        await until(lambda: manager.user_stream_live)
        return manager


SPOKEN = [(name, api) for name in NAMES for api in VENUES[name].apis]
"""Every venue, once for each API it speaks (WEEX: v3 and v1)."""
DEFAULTS = [(name, VENUES[name].apis[0]) for name in NAMES]
"""Every venue on the API it speaks by default."""


def ids(spoken):
    return [f"{name}-{api}" if api else name for name, api in spoken]


@pytest.fixture(params=SPOKEN, ids=ids(SPOKEN))
async def harness(request):
    name, api = request.param
    exchange = SimExchange(listings=[BTCUSDT], seed=4, rate=25_000, lot_parts=lot_parts(name))
    server = SimServer(exchange, name, flow=False)
    await server.start()
    venue, access = VENUES[name].on_simulator(server.base_url, api)
    exchange.add_credential(sim_credential(access))
    await venue.start()
    yield Harness(name, exchange, server, venue)
    exchange.chaos.come_back()
    await venue.close()
    await server.stop()


QTY = Decimal("0.01")
BUY = Side.BUY
