"""A Binance-dialect simulator on loopback, with the flow stopped so tests drive it."""

import hashlib
import hmac
import time
from decimal import Decimal
from urllib.parse import urlencode

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.fronts.sockets import SocketRules
from console.sim.server import SimServer

HMAC_KEY, HMAC_SECRET = "test-hmac-key", "test-hmac-secret"
ED_KEY = "test-ed25519-key"


class Clock:
    """Wall time unless a test pins it."""

    def __init__(self):
        self.pinned = None

    def __call__(self):
        return self.pinned if self.pinned is not None else int(time.time() * 1000)


def sign(query: str, secret: str = HMAC_SECRET) -> str:
    return hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest()


def signed_query(params: dict, secret: str = HMAC_SECRET) -> str:
    query = urlencode({**params, "timestamp": int(time.time() * 1000)})
    return f"{query}&signature={sign(query, secret)}"


@pytest.fixture
def ed25519_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def rules():
    return SocketRules()


@pytest.fixture
async def sim(clock, ed25519_key, rules):
    exchange = SimExchange(seed=3, rate=200, clock=clock)
    exchange.add_credential(Credential(HMAC_KEY, TRADER_ACCOUNT, secret=HMAC_SECRET.encode()))
    exchange.add_credential(Credential(ED_KEY, TRADER_ACCOUNT, ed25519=ed25519_key.public_key()))
    server = SimServer(exchange, rules=rules, flow=False, weight_limit=400)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def rest(sim):
    async with httpx.AsyncClient(base_url=sim.base_url, headers={"X-MBX-APIKEY": HMAC_KEY}) as c:
        yield c


def best(sim, symbol="BTCUSDT"):
    l2 = sim.exchange.engine.books[symbol].l2
    return l2.prices.value(l2.best_bid), l2.prices.value(l2.best_ask)


def trader_balance(sim, asset):
    holding = sim.exchange.engine.accounts[TRADER_ACCOUNT].holding(asset)
    return holding.free, holding.locked


TICK = Decimal("0.01")
