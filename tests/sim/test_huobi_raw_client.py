"""A Huobi client written from the document alone (no project code): it signs with
signature version 2, reads the book from `/feed` by the document's procedure, trades and
hears its order on `/ws/v2`, against the simulator's Huobi dialect over loopback."""

import asyncio
import base64
import gzip
import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import quote, urlencode, urlparse

import httpx
import pytest
import websockets

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer, lot_parts

ACCESS_KEY, SECRET = "e2xxxxxx-99xxxxxx-84xxxxxx-7xxxx", "raw-client-secret"


def stamp():
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def sign(method, host, path, params, secret=SECRET):
    """Pre-signed text: method, lower-case host, path, sorted URL-encoded parameters."""
    query = "&".join(f"{k}={quote(str(params[k]), safe='')}" for k in sorted(params))
    text = f"{method}\n{host.lower()}\n{path}\n{query}"
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class RawClient:
    def __init__(self, base, secret=SECRET):
        self.base = base
        self.secret = secret
        self.host = urlparse(base).netloc
        self.http = httpx.AsyncClient(base_url=base)

    async def signed(self, method, path, query=None, body=None):
        params = {
            "AccessKeyId": ACCESS_KEY,
            "SignatureMethod": "HmacSHA256",
            "SignatureVersion": "2",
            "Timestamp": stamp(),
            **(query or {}),
        }
        params["Signature"] = sign(method, self.host, path, params, self.secret)
        url = f"{path}?{urlencode(params, quote_via=quote)}"
        answer = await self.http.request(method, url, json=body)
        return answer.json()


@pytest.fixture
async def huobi():
    exchange = SimExchange(seed=5, rate=400, lot_parts=lot_parts("huobi"))
    exchange.add_credential(Credential(ACCESS_KEY, TRADER_ACCOUNT, secret=SECRET.encode()))
    server = SimServer(exchange, "huobi")
    await server.start()
    client = RawClient(server.base_url)
    yield server, client
    await client.http.aclose()
    await server.stop()


def ws_url(server, path):
    return server.base_url.replace("http://", "ws://") + path


async def gz_recv(ws):
    """The next data frame of a market socket, answering pings on the way."""
    while True:
        frame = json.loads(gzip.decompress(await asyncio.wait_for(ws.recv(), 5)))
        if "ping" in frame:
            await ws.send(json.dumps({"pong": frame["ping"]}))
            continue
        return frame


async def test_a_signed_request_finds_the_account_and_its_balance(huobi):
    _server, client = huobi
    accounts = await client.signed("GET", "/v1/account/accounts")
    assert accounts["status"] == "ok"
    (account,) = accounts["data"]
    balance = await client.signed("GET", f"/v1/account/accounts/{account['id']}/balance")
    rows = {(r["currency"], r["type"]): Decimal(r["balance"]) for r in balance["data"]["list"]}
    assert rows[("usdt", "trade")] == Decimal(100_000)


async def test_a_wrong_signature_is_refused_in_huobis_words(huobi):
    server, _ = huobi
    impostor = RawClient(server.base_url, secret="not-the-secret")
    answer = await impostor.signed("GET", "/v1/account/accounts")
    await impostor.http.aclose()
    assert (answer["status"], answer["err-code"]) == ("error", "api-signature-not-valid")


@pytest.mark.slow
async def test_the_book_from_feed_by_the_documents_procedure(huobi):
    server, _client = huobi
    async with websockets.connect(ws_url(server, "/feed")) as ws:
        await ws.send(json.dumps({"sub": "market.btcusdt.mbp.150", "id": "s1"}))
        cached = []
        while True:
            frame = await gz_recv(ws)
            if frame.get("subbed"):
                continue
            cached.append(frame)
            break
        await ws.send(json.dumps({"req": "market.btcusdt.mbp.150", "id": "r1"}))
        while True:
            frame = await gz_recv(ws)
            if frame.get("rep"):
                refresh = frame["data"]
                break
            cached.append(frame)
        book = {"bids": {}, "asks": {}}
        for side in book:
            book[side] = {Decimal(str(p)): Decimal(str(q)) for p, q in refresh[side]}
        last = refresh["seqNum"]
        applied = 0
        while applied < 20:
            frame = cached.pop(0) if cached else await gz_recv(ws)
            tick = frame["tick"]
            if tick["seqNum"] <= last:
                continue
            assert tick["prevSeqNum"] == last
            for side in ("bids", "asks"):
                for p, q in tick.get(side, []):
                    price, size = Decimal(str(p)), Decimal(str(q))
                    if size:
                        book[side][price] = size
                    else:
                        book[side].pop(price, None)
            last = tick["seqNum"]
            applied += 1
    engine = server.exchange.engine.books["BTCUSDT"].l2
    assert max(book["bids"]) < min(book["asks"])
    assert last <= engine.last_update_id


async def orders_socket(server, client):
    """`/ws/v2` authenticated (signature 2.1) and subscribed to `orders#btcusdt`."""
    ws = await websockets.connect(ws_url(server, "/ws/v2"))
    params = {
        "accessKey": ACCESS_KEY,
        "signatureMethod": "HmacSHA256",
        "signatureVersion": "2.1",
        "timestamp": stamp(),
    }
    params["signature"] = sign("GET", client.host, "/ws/v2", params)
    await ws.send(
        json.dumps({"action": "req", "ch": "auth", "params": {"authType": "api", **params}})
    )
    assert json.loads(await ws.recv())["code"] == 200
    await ws.send(json.dumps({"action": "sub", "ch": "orders#btcusdt"}))
    assert json.loads(await ws.recv())["code"] == 200
    return ws


async def next_push(ws):
    """The next push of the account socket, answering pings on the way."""
    while True:
        push = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if push.get("action") == "ping":
            await ws.send(json.dumps({"action": "pong", "data": push["data"]}))
            continue
        return push["data"]


async def best_bid(client):
    depth = (
        await client.http.get("/market/depth", params={"symbol": "btcusdt", "type": "step0"})
    ).json()
    return Decimal(str(depth["tick"]["bids"][0][0]))


async def place(client, **fields):
    (account,) = (await client.signed("GET", "/v1/account/accounts"))["data"]
    body = {"account-id": str(account["id"]), "symbol": "btcusdt", "amount": "0.001", **fields}
    return await client.signed("POST", "/v1/order/orders/place", body=body)


async def test_an_order_placed_is_heard_on_the_account_socket_and_cancelled(huobi):
    server, client = huobi
    async with await orders_socket(server, client) as ws:
        bid = await best_bid(client)
        placed = await place(
            client, type="buy-limit", price=str(bid - 100), **{"client-order-id": "raw-1"}
        )
        assert placed["status"] == "ok", placed
        push = await next_push(ws)
        assert (push["eventType"], push["clientOrderId"]) == ("creation", "raw-1")
        cancelled = await client.signed("POST", f"/v1/order/orders/{placed['data']}/submitcancel")
        assert cancelled == {"status": "ok", "data": placed["data"]}
        detail = await client.signed("GET", f"/v1/order/orders/{placed['data']}")
        assert detail["data"]["state"] == "canceled"


async def test_a_stop_limit_order_waits_created_and_its_cancel_is_a_deletion(huobi):
    server, client = huobi
    async with await orders_socket(server, client) as ws:
        bid = await best_bid(client)
        stop, price = bid + 500, bid + 510
        placed = await place(
            client,
            type="buy-stop-limit",
            price=str(price),
            **{"stop-price": str(stop), "operator": "gte", "client-order-id": "raw-stop"},
        )
        assert placed["status"] == "ok", placed
        detail = (await client.signed("GET", f"/v1/order/orders/{placed['data']}"))["data"]
        assert (detail["type"], detail["state"], detail["operator"]) == (
            "buy-stop-limit",
            "created",
            "gte",
        )
        assert Decimal(detail["stop-price"]) == stop
        await client.signed("POST", f"/v1/order/orders/{placed['data']}/submitcancel")
        push = await next_push(ws)  # no creation: the order was never submitted
        assert push == {
            "orderSide": "buy",
            "lastActTime": push["lastActTime"],
            "clientOrderId": "raw-stop",
            "orderStatus": "canceled",
            "symbol": "btcusdt",
            "eventType": "deletion",
        }


async def test_a_stop_limit_order_without_its_operator_is_refused(huobi):
    _server, client = huobi
    bid = await best_bid(client)
    refused = await place(
        client, type="sell-stop-limit", price=str(bid - 510), **{"stop-price": str(bid - 500)}
    )
    assert (refused["status"], refused["err-code"]) == ("error", "validation-constraints-required")
    assert "operator" in refused["err-msg"]


async def test_a_book_amount_comes_as_a_binary_float_finer_than_the_lot(huobi):
    """As the seed's own example (`[645.14, 26.75597395914065]`): a level's amount is the
    float sum Huobi's engine makes, not a figure on the lot."""
    server, _client = huobi
    lot = server.exchange.engine.books["BTCUSDT"].instrument.lot_size
    async with websockets.connect(ws_url(server, "/feed")) as ws:
        await ws.send(json.dumps({"req": "market.btcusdt.mbp.150", "id": "r1"}))
        while not (frame := await gz_recv(ws)).get("rep"):
            pass
    raw = [q for side in ("bids", "asks") for _, q in frame["data"][side]]
    assert all(isinstance(q, float) for q in raw)
    finer = [q for q in raw if Decimal(repr(q)) % lot]
    assert finer, "no level carries float digits"
    for amount in map(Decimal, map(repr, finer)):  # the exact level, to within binary error
        assert abs(amount - amount.quantize(lot)) < lot / 1_000_000
