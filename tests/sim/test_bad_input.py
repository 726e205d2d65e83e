"""The simulator under malformed requests and frames, as a careless or hostile client sends
them: every answer is Binance's JSON error, never a 5xx, a text page or a closed session,
and nothing reaches the log as a fault of the simulator."""

import asyncio
import base64
import json
import logging
import os

import httpx
import pytest
import websockets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer, lot_parts
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
@pytest.mark.slow
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


# -- every dialect: deep nesting, every socket, overlong headers ----------------------------

DEEP = "[" * 2000 + "]" * 2000
"""Nested past every JSON decoder's recursion limit."""
POSTS = {
    "binance": ["/api/v3/order"],
    "huobi": ["/v1/order/orders/place", "/v2/algo-orders/cancel-all-after"],
    "weex": ["/api/spot/v1/trade/orders", "/api/v3/order", "/capi/v3/sim/order"],
}
SOCKETS = {
    "binance": ["/ws-api/v3", "/stream", "/ws"],
    "huobi": ["/ws", "/feed", "/ws/v2"],
    "weex": ["/v3/ws/public", "/ws?listenKey={key}"],
}
USER_AGENT = {"User-Agent": "bad-input-test"}


@pytest.fixture(params=sorted(POSTS))
async def dialect(request):
    from tests.sim.test_weex_raw_client import KEY, PASSPHRASE, SECRET

    exchange = SimExchange(seed=9, rate=0, lot_parts=lot_parts(request.param))
    exchange.add_credential(
        Credential(KEY, TRADER_ACCOUNT, secret=SECRET.encode(), passphrase=PASSPHRASE)
    )
    server = SimServer(exchange, request.param, flow=False)
    await server.start()
    yield request.param, server
    await server.stop()


def venue_error(response):
    """An error answer in a venue's JSON envelope: Binance's and WEEX's `code`, Huobi's
    `err-code` (v1) or `code` (v2)."""
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert isinstance(body, dict) and ("code" in body or "err-code" in body), body
    return body


async def test_a_body_nested_past_any_decoder_gets_the_venues_error(dialect, caplog):
    name, server = dialect
    async with httpx.AsyncClient(base_url=server.base_url, headers=USER_AGENT) as rest:
        for path in POSTS[name]:
            response = await rest.post(
                path, content=DEEP, headers={"Content-Type": "application/json"}
            )
            venue_error(response)
    no_faults(caplog)


async def test_a_frame_nested_past_any_decoder_leaves_every_socket_open(dialect, caplog):
    from tests.sim.test_weex_raw_client import RawClient, listen_key

    name, server = dialect
    key = ""
    if name == "weex":
        client = RawClient(server.base_url)
        key = await listen_key(client)
        await client.http.aclose()
    for path in SOCKETS[name]:
        url = server.base_url.replace("http", "ws") + path.format(key=key)
        async with websockets.connect(url, additional_headers=USER_AGENT) as ws:
            await ws.send(DEEP)
            await ws.send(DEEP.encode())
            pong = await ws.ping()
            await asyncio.wait_for(pong, 10)  # the session lives
    no_faults(caplog)


async def test_an_overlong_header_gets_the_venues_error_not_the_parsers(dialect, caplog):
    _, server = dialect
    async with httpx.AsyncClient(base_url=server.base_url) as rest:
        response = await rest.get("/no-such-path", headers={"X-Padding": "x" * 70_000})
    assert response.status_code == 431
    venue_error(response)
    no_faults(caplog)


DIALECT_PATHS = {
    "binance": PATHS,
    "huobi": [
        "/v1/common/timestamp",
        "/v1/common/symbols",
        "/market/depth",
        "/market/history/kline",
        "/v1/order/orders/place",
        "/v1/order/openOrders",
        "/v1/account/accounts",
        "/v2/algo-orders/cancel-all-after",
        "/no-such-endpoint",
        "/ws",
    ],
    "weex": [
        "/api/spot/v1/public/time",
        "/api/spot/v1/market/depth",
        "/api/spot/v1/trade/orders",
        "/api/v3/time",
        "/api/v3/depth",
        "/api/v3/order",
        "/api/v3/account",
        "/api/v3/userDataStream",
        "/capi/v3/sim/order",
        "/no-such-endpoint",
        "/v3/ws/public",
    ],
}


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT"]),
    pick=st.integers(min_value=0, max_value=100),
    query=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=80),
    body=JSON.map(json.dumps) | st.text(max_size=120),
)
@pytest.mark.slow
async def test_malformed_requests_get_each_venues_error_and_no_traceback(
    dialect, caplog, method, pick, query, body
):
    name, server = dialect
    paths = DIALECT_PATHS[name]
    path = paths[pick % len(paths)]
    async with httpx.AsyncClient(base_url=server.base_url, headers=USER_AGENT) as rest:
        response = await rest.request(
            method, f"{path}?{query}", content=body, headers={"Content-Type": "application/json"}
        )
    if response.status_code != 200:
        venue_error(response)
    no_faults(caplog)


@FUZZ
@given(frame=JSON.map(json.dumps) | st.text(max_size=200), pick=st.integers(0, 100))
@pytest.mark.slow
async def test_malformed_frames_on_any_socket_leave_it_open_and_no_traceback(
    dialect, caplog, frame, pick
):
    name, server = dialect
    paths = [p for p in SOCKETS[name] if "{key}" not in p]
    url = server.base_url.replace("http", "ws") + paths[pick % len(paths)]
    async with websockets.connect(url, additional_headers=USER_AGENT) as ws:
        await ws.send(frame)
        await asyncio.wait_for(await ws.ping(), 10)
    no_faults(caplog)


async def test_a_client_that_drops_while_it_is_answered_leaves_no_traceback(dialect, caplog):
    """Pings, then the TCP connection cut at once: the answers find the transport closing."""
    name, server = dialect
    path = SOCKETS[name][0]
    for _ in range(30):
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"\x89\x80\x00\x00\x00\x00" * 50)  # fifty masked, empty pings
        writer.transport.abort()
    async with websockets.connect(
        server.base_url.replace("http", "ws") + path, additional_headers=USER_AGENT
    ) as ws:
        await asyncio.wait_for(await ws.ping(), 10)  # served after all that
    no_faults(caplog)
