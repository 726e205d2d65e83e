"""The simulator under malformed requests and frames, as a careless or hostile client sends
them: every answer is Binance's JSON error, never a 5xx, a text page or a closed session,
and nothing reaches the log as a fault of the simulator."""

import json
import logging

import httpx
import pytest
import websockets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from tests.sim.conftest import HMAC_KEY, HMAC_SECRET, signed_query

PATHS = [
    "/api/v3/ping",
    "/api/v3/time",
    "/api/v3/exchangeInfo",
    "/api/v3/depth",
    "/api/v3/trades",
    "/api/v3/klines",
    "/api/v3/order",
    "/api/v3/openOrders",
    "/api/v3/account",
    "/api/v3/no-such-endpoint",
    "/ws-api/v3",
    "/stream",
    "/",
]
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)


@pytest.fixture
async def sim():
    exchange = SimExchange(seed=9, rate=0)
    exchange.add_credential(Credential(HMAC_KEY, TRADER_ACCOUNT, secret=HMAC_SECRET.encode()))
    server = SimServer(exchange, flow=False, weight_limit=10**9)
    await server.start()
    yield server
    await server.stop()


def binance_error(response):
    """The `{"code", "msg"}` body of an error answer, checked for its shape."""
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert isinstance(body["code"], int) and body["code"] < 0
    assert isinstance(body["msg"], str) and body["msg"]
    return body


def no_faults(caplog):
    faults = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert faults == []


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT", "PATCH"]),
    path=st.sampled_from(PATHS),
    query=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=120),
    body=st.binary(max_size=200),
    key=st.sampled_from([None, HMAC_KEY, "not-a-key"]),
)
@pytest.mark.slow
async def test_malformed_rest_requests_get_binance_errors(
    sim, caplog, method, path, query, body, key
):
    headers = {"X-MBX-APIKEY": key} if key else {}
    async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as rest:
        response = await rest.request(method, f"{path}?{query}", content=body)
    if response.status_code != 200:
        binance_error(response)
    no_faults(caplog)


@FUZZ
@given(frame=JSON.map(json.dumps) | st.text(max_size=200))
async def test_malformed_ws_api_frames_get_errors_and_the_session_lives(sim, caplog, frame):
    async with websockets.connect(sim.base_url.replace("http", "ws") + "/ws-api/v3") as ws:
        await ws.send(frame)
        answer = json.loads(await ws.recv())
        if answer["status"] != 200:
            assert answer["status"] < 500 and answer["error"]["code"] < 0, answer
        await ws.send(json.dumps({"id": "after", "method": "ping"}))
        after = json.loads(await ws.recv())
        assert (after["id"], after["status"], after["result"]) == ("after", 200, {})
    no_faults(caplog)


@pytest.mark.parametrize(
    "frame",
    [
        '{"id": 1, "method": ["order.place"]}',
        '{"id": 2, "method": {"a": 1}}',
        '{"id": 3, "method": "ping", "params": [1, 2]}',
        '{"id": [4], "method": "ping"}',
        "[" * 100_000 + "]" * 100_000,
        '{"id": 5, "method": "no.such.method"}',
    ],
)
async def test_each_malformed_frame_once_seen_in_the_wild_is_refused(sim, caplog, frame):
    async with websockets.connect(sim.base_url.replace("http", "ws") + "/ws-api/v3") as ws:
        await ws.send(frame)
        answer = json.loads(await ws.recv())
        assert answer["status"] == 400 and answer["error"]["code"] in (-1000, -1020)
        await ws.send(json.dumps({"id": 9, "method": "ping"}))
        assert json.loads(await ws.recv())["status"] == 200
    no_faults(caplog)


async def test_recv_window_that_is_not_a_number_is_refused_as_binance_does(sim, caplog):
    query = signed_query({"recvWindow": "NaN"})
    async with httpx.AsyncClient(base_url=sim.base_url, headers={"X-MBX-APIKEY": HMAC_KEY}) as rest:
        response = await rest.get(f"/api/v3/account?{query}")
    assert response.status_code == 400
    assert binance_error(response)["code"] == -1100
    no_faults(caplog)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [(b"symbol=\xff\xfe", 400, -1100), (b"a=" + b"1" * ((1 << 20) + 10), 413, -1101)],
)
async def test_a_body_not_utf8_or_too_large_is_refused_in_json(sim, caplog, body, status, code):
    async with httpx.AsyncClient(base_url=sim.base_url, headers={"X-MBX-APIKEY": HMAC_KEY}) as rest:
        response = await rest.post("/api/v3/order", content=body)
    assert response.status_code == status
    assert binance_error(response)["code"] == code
    no_faults(caplog)


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("GET", "/api/v3/time?" + "a=1&" * 3000, 400, -1101),
        ("GET", "/api/v3/no-such-endpoint", 404, -1020),
        ("PUT", "/api/v3/order", 405, -1020),
    ],
)
async def test_refusals_before_any_endpoint_are_json_too(sim, method, url, status, code):
    async with httpx.AsyncClient(base_url=sim.base_url) as rest:
        response = await rest.request(method, url)
    assert response.status_code == status
    assert binance_error(response)["code"] == code
