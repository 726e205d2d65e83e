"""A Binance-dialect simulator on loopback, with the flow stopped so tests drive it."""

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import time
from decimal import Decimal
from urllib.parse import urlencode

import httpx
import pytest
import websockets
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


def mid_minute() -> int:
    """Now, moved to the middle of its minute: a time to pin the clock at when a test reads
    the weight two requests spent in the one-minute window, which must not roll between them."""
    now = int(time.time() * 1000)
    return now - now % 60_000 + 30_000


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


def payload(params):
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()))


class Client:
    """A bare WS-API client: numbered requests, answers matched by id, events kept aside."""

    def __init__(self, ws):
        self.ws = ws
        self.ids = itertools.count(1)
        self.events = []

    async def call(self, method, params=None):
        request_id = next(self.ids)
        await self.ws.send(json.dumps({"id": request_id, "method": method, "params": params or {}}))
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), 3))
            if message.get("id") == request_id:
                return message
            self.events.append(message)

    async def event(self, kind, timeout=3.0):
        """The next user-data event of `kind` (executionReport, outboundAccountPosition)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for i, message in enumerate(self.events):
                if message.get("event", {}).get("e") == kind:
                    return self.events.pop(i)
            remaining = deadline - asyncio.get_running_loop().time()
            message = json.loads(await asyncio.wait_for(self.ws.recv(), max(remaining, 0.01)))
            self.events.append(message)


def hmac_signed(params, key=HMAC_KEY, secret=HMAC_SECRET):
    params = {**params, "apiKey": key, "timestamp": int(time.time() * 1000)}
    signature = hmac.new(secret.encode(), payload(params).encode(), hashlib.sha256).hexdigest()
    return {**params, "signature": signature}


def ed_signed(private_key, params):
    params = {**params, "apiKey": ED_KEY, "timestamp": int(time.time() * 1000)}
    signature = base64.b64encode(private_key.sign(payload(params).encode())).decode()
    return {**params, "signature": signature}


@pytest.fixture
async def client(sim):
    url = sim.base_url.replace("http://", "ws://") + "/ws-api/v3"
    async with websockets.connect(url) as ws:
        yield Client(ws)


def ws_url(sim, path):
    return sim.base_url.replace("http://", "ws://") + path


async def flowing(sim, seconds=0.05, every=0.02):
    """Advance the stopped flow in small steps, as the running market would."""
    while True:
        sim.exchange.market.advance(seconds)
        await asyncio.sleep(every)


@pytest.fixture
async def flow(sim):
    task = asyncio.create_task(flowing(sim))
    yield task
    task.cancel()


async def next_json(ws, timeout=3.0):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def signed(rest, method, path, **params):
    """A signed REST request as a Binance client sends it: (status, answer)."""
    answer = await rest.request(method, f"{path}?{signed_query(params)}")
    return answer.status_code, answer.json()


def last_price(sim, symbol="BTCUSDT"):
    """The last trade's price, after printing one if the symbol has not traded yet."""
    while sim.exchange.engine.books[symbol].last_price is None:
        sim.exchange.market.advance(1)
    return sim.exchange.engine.books[symbol].last_price


def resting_buy(sim, client_id, qty="0.01", ticks_below=100):
    """A BTCUSDT limit buy that rests `ticks_below` under the best bid."""
    bid, _ = best(sim)
    return {
        "symbol": "BTCUSDT",
        "side": "BUY",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "quantity": qty,
        "price": str(bid - ticks_below * TICK),
        "newClientOrderId": client_id,
    }
