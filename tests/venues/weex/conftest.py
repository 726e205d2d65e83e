"""The simulator's WEEX dialect with one signed key, and the adapter's REST layer on it."""

import pytest

from console.net.clock import TimeSync
from console.net.limiter import Limiter
from console.net.rest import RestClient
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from console.venues.weex.rest import WeexCredentials, WeexDialect, WeexRest, buckets

CREDENTIALS = WeexCredentials("weex-key", "weex-secret", "weexPhrase1")


@pytest.fixture
async def sim():
    exchange = SimExchange(seed=8, rate=0)
    exchange.add_credential(
        Credential("weex-key", TRADER_ACCOUNT, secret=b"weex-secret", passphrase="weexPhrase1")
    )
    server = SimServer(exchange, "weex", flow=False)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def rest(sim):
    client = RestClient(sim.base_url, WeexDialect(CREDENTIALS, TimeSync()), Limiter(buckets()))
    yield WeexRest(client)
    await client.close()
