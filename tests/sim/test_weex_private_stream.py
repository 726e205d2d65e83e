"""WEEX's header-signed private stream (`/v3/ws/private`) on the simulator, spoken by a raw
client: the handshake signs `timestamp + "/v3/ws/private"`, a subscription is answered
`{"result": true}`, and a fill pushes the `fill`, `orders` and `account` rows WEEX sends
(as ccxt's weex client quotes them), every number a string."""

import base64
import hashlib
import hmac
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
import websockets

from console.sim.exchange import TRADER_ACCOUNT
from tests.sim.documents import differences
from tests.sim.test_weex_raw_client import KEY, PASSPHRASE, SECRET, weex  # noqa: F401
from tests.sim.test_weex_v3_raw_client import ws_url

RECORDED = Path(__file__).resolve().parents[1] / "data" / "recorded"


def handshake(**overrides):
    stamp = str(int(time.time() * 1000))
    digest = hmac.new(SECRET.encode(), f"{stamp}/v3/ws/private".encode(), hashlib.sha256)
    headers = {
        "User-Agent": "raw-client",
        "ACCESS-KEY": KEY,
        "ACCESS-SIGN": base64.b64encode(digest.digest()).decode(),
        "ACCESS-TIMESTAMP": stamp,
        "ACCESS-PASSPHRASE": PASSPHRASE,
        **overrides,
    }
    return {k: v for k, v in headers.items() if v is not None}


async def pushes(ws, wanted):
    """The next push of each wanted channel, skipping pings and others."""
    seen = {}
    while set(seen) != wanted:
        frame = json.loads(await ws.recv())
        if frame.get("e") in wanted:
            seen.setdefault(frame["e"], frame)
    return seen


async def test_a_fill_pushes_its_fill_its_order_and_the_balances(weex):  # noqa: F811
    server, client = weex
    url = ws_url(server, "/v3/ws/private")
    async with websockets.connect(url, additional_headers=handshake()) as ws:
        ask = {"method": "SUBSCRIBE", "params": ["orders", "fill", "account"], "id": "3"}
        await ws.send(json.dumps(ask))
        assert json.loads(await ws.recv()) == {"result": True, "id": "3"}
        body = {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.002"}
        _, placed = await client.signed("POST", "/api/v3/order", body=body)
        seen = await pushes(ws, {"orders", "fill", "account"})
    order = seen["orders"]["d"][-1]
    assert (order["id"], order["orderSide"], order["type"]) == (
        placed["orderId"],
        "BUY",
        "MARKET",
    )
    assert (order["baseCoin"], order["quoteCoin"], order["size"]) == ("BTC", "USDT", "0.002")
    fill = seen["fill"]["d"][0]
    assert (fill["orderId"], fill["direction"]) == (placed["orderId"], "TAKER")
    assert all(isinstance(value, str) for value in fill.values())
    coins = {row["coin"]: row for row in seen["account"]["d"]}
    held = server.exchange.engine.open_account(TRADER_ACCOUNT).holdings["BTC"]
    assert Decimal(coins["BTC"]["available"]) == held.free
    assert seen["orders"]["msgEvent"] == "OrderUpdate" and seen["orders"]["v"] >= 1
    for channel, frame in seen.items():
        recorded = json.loads((RECORDED / f"weex-v3-private-{channel}.json").read_text())
        assert differences(recorded["answer"], frame) == [], channel


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"ACCESS-SIGN": "bm90IGl0"}, 401),
        ({"ACCESS-PASSPHRASE": "wrong"}, 401),
        ({"User-Agent": None}, 403),
    ],
)
async def test_a_handshake_that_does_not_sign_or_name_itself_is_refused(weex, overrides, status):  # noqa: F811
    server, _ = weex
    url = ws_url(server, "/v3/ws/private")
    headers = handshake(**overrides)
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(url, additional_headers=headers, user_agent_header=None):
            pass
    assert refused.value.response.status_code == status
