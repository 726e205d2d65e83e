"""The simulator's Binance REST dialect, over real loopback HTTP."""

from decimal import Decimal

import httpx

from console.model import Instrument
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.market import Listing
from console.sim.server import SimServer
from tests.sim.conftest import HMAC_KEY, TICK, best, mid_minute, sign, signed_query, trader_balance
from tests.vectors import VECTOR_KEY, VECTOR_SECRET


def limit_buy(price, qty, **extra):
    """A signed request's parameters for a BTCUSDT good-till-cancelled limit buy."""
    return {
        "symbol": "BTCUSDT",
        "side": "BUY",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "quantity": qty,
        "price": str(price),
        **extra,
    }


async def test_depth_shows_both_sides_with_an_update_id(rest):
    answer = await rest.get("/api/v3/depth", params={"symbol": "BTCUSDT", "limit": 5})
    book = answer.json()
    assert answer.status_code == 200
    assert len(book["bids"]) == 5 and len(book["asks"]) == 5
    assert Decimal(book["bids"][0][0]) < Decimal(book["asks"][0][0])
    assert book["lastUpdateId"] > 0


async def test_depth_weight_follows_the_limit(rest, clock):
    clock.pinned = mid_minute()  # both requests weighed in one window
    small = await rest.get("/api/v3/depth", params={"symbol": "BTCUSDT", "limit": 100})
    large = await rest.get("/api/v3/depth", params={"symbol": "BTCUSDT", "limit": 500})
    used_small = int(small.headers["X-MBX-USED-WEIGHT-1M"])
    assert int(large.headers["X-MBX-USED-WEIGHT-1M"]) - used_small == 25


async def test_exchange_info_carries_filters_and_rate_limits(rest):
    info = (await rest.get("/api/v3/exchangeInfo", params={"symbol": "BTCUSDT"})).json()
    (symbol,) = info["symbols"]
    filters = {f["filterType"]: f for f in symbol["filters"]}
    assert filters["PRICE_FILTER"]["tickSize"] == "0.01000000"
    assert filters["LOT_SIZE"]["stepSize"] == "0.00001000"
    assert filters["NOTIONAL"]["minNotional"] == "5.00000000"
    assert {r["rateLimitType"] for r in info["rateLimits"]} >= {"REQUEST_WEIGHT", "ORDERS"}
    assert symbol["orderTypes"] == [
        "LIMIT",
        "LIMIT_MAKER",
        "MARKET",
        "STOP_LOSS",
        "STOP_LOSS_LIMIT",
        "TAKE_PROFIT",
        "TAKE_PROFIT_LIMIT",
    ]


async def test_unknown_symbol_gets_binance_code(rest):
    answer = await rest.get("/api/v3/depth", params={"symbol": "NOPE"})
    assert (answer.status_code, answer.json()) == (400, {"code": -1121, "msg": "Invalid symbol."})


async def test_klines_have_history_in_binance_row_form(rest):
    rows = (
        await rest.get(
            "/api/v3/klines", params={"symbol": "BTCUSDT", "interval": "1h", "limit": 24}
        )
    ).json()
    assert len(rows) == 24
    open_ms, o, h, low, c, *_ = rows[0]
    assert rows[1][0] - open_ms == 3_600_000
    assert Decimal(low) <= min(Decimal(o), Decimal(c)) <= max(Decimal(o), Decimal(c)) <= Decimal(h)
    assert len(rows[0]) == 12


async def test_trades_list_recent_prints(sim, rest):
    sim.exchange.market.advance(5)
    trades = (await rest.get("/api/v3/trades", params={"symbol": "BTCUSDT", "limit": 3})).json()
    assert 0 < len(trades) <= 3
    assert set(trades[0]) == {
        "id",
        "price",
        "qty",
        "quoteQty",
        "time",
        "isBuyerMaker",
        "isBestMatch",
    }


async def test_signed_limit_order_rests_and_shows_in_open_orders(sim, rest):
    bid, _ = best(sim)
    price = bid - 100 * TICK
    query = signed_query(limit_buy(str(price), "0.01", newClientOrderId="rest-1"))
    placed = await rest.post(f"/api/v3/order?{query}")
    assert placed.status_code == 200, placed.text
    assert placed.json()["status"] == "NEW"
    assert placed.json()["fills"] == []
    assert placed.headers["X-MBX-ORDER-COUNT-10S"] == "1"
    assert trader_balance(sim, "USDT")[1] == price * Decimal("0.01")
    listed = await rest.get(f"/api/v3/openOrders?{signed_query({'symbol': 'BTCUSDT'})}")
    assert [o["clientOrderId"] for o in listed.json()] == ["rest-1"]
    status = await rest.get(
        f"/api/v3/order?{signed_query({'symbol': 'BTCUSDT', 'origClientOrderId': 'rest-1'})}"
    )
    assert status.json()["origQty"] == "0.01000000"


async def test_parameters_may_come_in_the_body_and_the_query_wins(sim, rest):
    bid, _ = best(sim)
    query = f"symbol=BTCUSDT&side=BUY&timestamp={sim.exchange.clock()}"
    body = (
        f"type=LIMIT&timeInForce=GTC&quantity=0.01&price={bid - 50 * TICK}"
        "&side=SELL&newClientOrderId=mixed-1"
    )
    signature = sign(query + body)
    answer = await rest.post(
        f"/api/v3/order?{query}&signature={signature}",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["side"] == "BUY"


async def test_market_order_fills_against_the_book_with_fills_listed(sim, rest):
    _, ask = best(sim)
    query = signed_query(
        {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001"}
    )
    answer = (await rest.post(f"/api/v3/order?{query}")).json()
    assert answer["status"] == "FILLED"
    assert Decimal(answer["fills"][0]["price"]) == ask
    assert answer["fills"][0]["commissionAsset"] == "BTC"


async def test_cancel_by_client_id_returns_both_ids(sim, rest):
    bid, _ = best(sim)
    await rest.post(
        "/api/v3/order?"
        + signed_query(limit_buy(str(bid - 100 * TICK), "0.01", newClientOrderId="c-1"))
    )
    answer = await rest.delete(
        "/api/v3/order?"
        + signed_query(
            {"symbol": "BTCUSDT", "origClientOrderId": "c-1", "newClientOrderId": "c-1-cancel"}
        )
    )
    body = answer.json()
    assert (body["status"], body["origClientOrderId"], body["clientOrderId"]) == (
        "CANCELED",
        "c-1",
        "c-1-cancel",
    )
    assert trader_balance(sim, "USDT")[1] == 0


async def test_cancel_all_on_a_symbol(sim, rest):
    bid, _ = best(sim)
    for i in range(3):
        await rest.post(
            "/api/v3/order?" + signed_query(limit_buy(str(bid - (100 + i) * TICK), "0.01"))
        )
    answer = await rest.delete("/api/v3/openOrders?" + signed_query({"symbol": "BTCUSDT"}))
    assert [row["status"] for row in answer.json()] == ["CANCELED"] * 3
    again = await rest.delete("/api/v3/openOrders?" + signed_query({"symbol": "BTCUSDT"}))
    assert again.json() == {"code": -2011, "msg": "Unknown order sent."}


async def test_account_lists_balances(rest):
    account = (await rest.get("/api/v3/account?" + signed_query({}))).json()
    balances = {b["asset"]: b for b in account["balances"]}
    assert balances["USDT"]["free"] == "100000.00000000"
    assert account["commissionRates"]["maker"] == "0.00100000"


# -- refusals, each with Binance's own code ----------------------------------------------


async def test_bad_signature_is_refused(rest):
    query = signed_query({"symbol": "BTCUSDT"}, secret="wrong-secret")
    answer = await rest.get(f"/api/v3/openOrders?{query}")
    assert answer.json() == {"code": -1022, "msg": "Signature for this request is not valid."}


async def test_stale_timestamp_is_refused(sim, rest):
    query = f"symbol=BTCUSDT&timestamp={sim.exchange.clock() - 10_000}&recvWindow=5000"
    answer = await rest.get(f"/api/v3/openOrders?{query}&signature={sign(query)}")
    assert answer.json()["code"] == -1021


async def test_timestamp_from_the_future_is_refused(sim, rest):
    query = f"symbol=BTCUSDT&timestamp={sim.exchange.clock() + 5_000}"
    answer = await rest.get(f"/api/v3/openOrders?{query}&signature={sign(query)}")
    assert answer.json() == {
        "code": -1021,
        "msg": "Timestamp for this request was 1000ms ahead of the server's time.",
    }


async def test_recv_window_over_a_minute_is_refused(sim, rest):
    query = f"timestamp={sim.exchange.clock()}&recvWindow=60001"
    answer = await rest.get(f"/api/v3/account?{query}&signature={sign(query)}")
    assert answer.json()["code"] == -1131


async def test_missing_and_unknown_keys_are_refused(sim):
    async with httpx.AsyncClient(base_url=sim.base_url) as anonymous:
        answer = await anonymous.get("/api/v3/account?" + signed_query({}))
        assert (answer.status_code, answer.json()["code"]) == (401, -2014)
        answer = await anonymous.get(
            "/api/v3/account?" + signed_query({}), headers={"X-MBX-APIKEY": "nobody"}
        )
        assert (answer.status_code, answer.json()["code"]) == (401, -2015)


async def test_price_off_the_tick_is_a_filter_failure(sim, rest):
    bid, _ = best(sim)
    query = signed_query(limit_buy(str(bid - Decimal("1.005")), "0.01"))
    answer = await rest.post(f"/api/v3/order?{query}")
    assert answer.json() == {"code": -1013, "msg": "Filter failure: PRICE_FILTER"}


async def test_quantity_off_the_lot_is_a_filter_failure(sim, rest):
    bid, _ = best(sim)
    query = signed_query(limit_buy(str(bid), "0.000001"))
    answer = await rest.post(f"/api/v3/order?{query}")
    assert answer.json() == {"code": -1013, "msg": "Filter failure: LOT_SIZE"}


async def test_small_notional_is_a_filter_failure(sim, rest):
    bid, _ = best(sim)
    query = signed_query(limit_buy(str(bid), "0.00001"))
    answer = await rest.post(f"/api/v3/order?{query}")
    assert answer.json() == {"code": -1013, "msg": "Filter failure: NOTIONAL"}


async def test_order_beyond_the_balance_is_rejected(sim, rest):
    bid, _ = best(sim)
    query = signed_query(limit_buy(str(bid), "100"))
    answer = await rest.post(f"/api/v3/order?{query}")
    assert answer.json() == {
        "code": -2010,
        "msg": "Account has insufficient balance for requested action.",
    }


async def test_post_only_that_would_take_is_rejected(sim, rest):
    _, ask = best(sim)
    query = signed_query(
        {
            "symbol": "BTCUSDT",
            "side": "BUY",
            "type": "LIMIT_MAKER",
            "quantity": "0.001",
            "price": str(ask),
        }
    )
    answer = await rest.post(f"/api/v3/order?{query}")
    assert answer.json() == {"code": -2010, "msg": "Order would immediately match and take."}


async def test_limit_without_time_in_force_is_refused(sim, rest):
    bid, _ = best(sim)
    query = signed_query(
        {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.01", "price": str(bid)}
    )
    answer = await rest.post(f"/api/v3/order?{query}")
    assert answer.json()["code"] == -1102


async def test_query_of_an_unknown_order_says_it_does_not_exist(rest):
    answer = await rest.get(
        "/api/v3/order?" + signed_query({"symbol": "BTCUSDT", "origClientOrderId": "never-sent"})
    )
    assert answer.json() == {"code": -2013, "msg": "Order does not exist."}


async def test_listen_keys_are_refused_with_the_way_to_user_data(rest):
    answer = await rest.post("/api/v3/userDataStream")
    assert answer.status_code == 400
    assert answer.json()["code"] == -1020
    assert "userDataStream.subscribe" in answer.json()["msg"]


# -- limits and faults --------------------------------------------------------------------


async def test_weight_overrun_gets_429_then_a_ban(rest):
    statuses = []
    for _ in range(30):
        answer = await rest.get("/api/v3/exchangeInfo")  # weight 20 against a limit of 400
        statuses.append(answer.status_code)
        if answer.status_code != 200:
            assert int(answer.headers["Retry-After"]) >= 1
            assert answer.json()["code"] == -1003
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    assert statuses[-1] == 418


async def test_injected_5xx_leaves_nothing_done(sim, rest):
    bid, _ = best(sim)
    usdt_before = trader_balance(sim, "USDT")
    sim.exchange.chaos.trigger("5xx")
    query = signed_query(limit_buy(str(bid - 100 * TICK), "0.01", newClientOrderId="five-xx"))
    answer = await rest.post(f"/api/v3/order?{query}")
    assert (answer.status_code, answer.json()["code"]) == (503, -1001)
    assert sim.exchange.engine.open_orders(TRADER_ACCOUNT) == []
    assert trader_balance(sim, "USDT") == usdt_before
    lookup = await rest.get(
        "/api/v3/order?" + signed_query({"symbol": "BTCUSDT", "origClientOrderId": "five-xx"})
    )
    assert lookup.json()["code"] == -2013


async def test_order_timeout_acts_then_answers_unknown(sim, rest):
    bid, _ = best(sim)
    sim.exchange.chaos.trigger("order_timeout")
    query = signed_query(limit_buy(str(bid - 100 * TICK), "0.01", newClientOrderId="lost-1"))
    answer = await rest.post(f"/api/v3/order?{query}")
    assert (answer.status_code, answer.json()["code"]) == (503, -1007)
    status = await rest.get(
        "/api/v3/order?" + signed_query({"symbol": "BTCUSDT", "origClientOrderId": "lost-1"})
    )
    assert status.json()["status"] == "NEW"


# -- Binance's published HMAC vectors, verified by the simulator's own code ----------------

LTCBTC = Listing(
    Instrument(
        "LTCBTC",
        "LTC",
        "BTC",
        Decimal("0.00001"),
        Decimal("0.001"),
        Decimal("0.001"),
        Decimal(1000),
        Decimal("0.0001"),
    ),
    Decimal("0.2"),
)


async def vector_sim(clock):
    exchange = SimExchange(listings=[LTCBTC], clock=clock)
    exchange.add_credential(Credential(VECTOR_KEY, TRADER_ACCOUNT, secret=VECTOR_SECRET.encode()))
    server = SimServer(exchange, flow=False)
    await server.start()
    return server


async def test_published_rest_vector_b1_is_accepted(clock):
    clock.pinned = 1499827319559 + 100
    server = await vector_sim(clock)
    payload = (
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
        "&recvWindow=5000&timestamp=1499827319559"
    )
    signature = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
    try:
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"X-MBX-APIKEY": VECTOR_KEY}
        ) as client:
            answer = await client.post(f"/api/v3/order?{payload}&signature={signature}")
            assert answer.status_code == 200, answer.text
            assert answer.json()["status"] == "NEW"
            flipped = signature[:-1] + "0"
            refused = await client.post(f"/api/v3/order?{payload}&signature={flipped}")
            assert refused.json()["code"] == -1022
    finally:
        await server.stop()


async def test_published_rest_vector_b2_signs_the_percent_encoded_text(clock):
    clock.pinned = 1499827319559 + 100
    server = await vector_sim(clock)
    payload = (
        "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY"
        "&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
        "&timestamp=1499827319559"
    )
    signature = "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"
    try:
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"X-MBX-APIKEY": VECTOR_KEY}
        ) as client:
            answer = await client.post(f"/api/v3/order?{payload}&signature={signature}")
            # The signature passes; the symbol is then unknown to the simulator.
            assert answer.json() == {"code": -1121, "msg": "Invalid symbol."}
    finally:
        await server.stop()


def test_signing_helper_matches_vector_b1():
    payload = (
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
        "&recvWindow=5000&timestamp=1499827319559"
    )
    assert sign(payload, VECTOR_SECRET) == (
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
    )


__all__ = ["HMAC_KEY"]
