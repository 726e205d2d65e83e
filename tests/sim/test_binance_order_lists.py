"""The simulator's Binance order lists over raw signed REST and the WebSocket API's user
data: OCO, OTO and OTOCO, the older order/oco, list queries and cancels, listStatus."""

from decimal import Decimal

from console.model import OrderType, Side
from console.sim.exchange import TRADER_ACCOUNT
from tests.sim.conftest import TICK, hmac_signed, last_price, signed, trader_balance


def oco_sell(sim, **extra):
    last = last_price(sim)
    return {
        "symbol": "BTCUSDT",
        "side": "SELL",
        "quantity": "0.01",
        "aboveType": "LIMIT_MAKER",
        "abovePrice": str(last + 200 * TICK),
        "belowType": "STOP_LOSS_LIMIT",
        "belowStopPrice": str(last - 200 * TICK),
        "belowPrice": str(last - 210 * TICK),
        "belowTimeInForce": "GTC",
        "listClientOrderId": "oco-1",
        **extra,
    }


def print_at(sim, price):
    """A seller takes every bid down to `price` and a buyer lifts the rest of its offer,
    so the last trade prints at `price`."""
    engine = sim.exchange.engine
    engine.open_account("sweeper", {"BTC": Decimal(1000)})
    engine.open_account("lifter", {"USDT": Decimal(1_000_000)})
    engine.place("sweeper", "BTCUSDT", Side.SELL, OrderType.LIMIT, Decimal(50), price)
    engine.place("lifter", "BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.001"), price)
    assert engine.books["BTCUSDT"].last_price <= price


async def test_an_oco_rests_one_leg_and_holds_the_other(sim, rest):
    status, answer = await signed(rest, "POST", "/api/v3/orderList/oco", **oco_sell(sim))
    assert status == 200, answer
    assert (answer["contingencyType"], answer["listStatusType"]) == ("OCO", "EXEC_STARTED")
    types = [r["type"] for r in answer["orderReports"]]
    assert types == ["LIMIT_MAKER", "STOP_LOSS_LIMIT"]
    assert {r["orderListId"] for r in answer["orderReports"]} == {answer["orderListId"]}
    assert trader_balance(sim, "BTC")[1] == Decimal("0.01")


async def test_an_oco_stop_that_triggers_expires_the_limit_leg(sim, rest):
    _, answer = await signed(rest, "POST", "/api/v3/orderList/oco", **oco_sell(sim))
    stop = Decimal(answer["orderReports"][1]["stopPrice"])
    print_at(sim, stop - 300 * TICK)
    limit_id, stop_id = (o["orderId"] for o in answer["orders"])
    _, limit_leg = await signed(rest, "GET", "/api/v3/order", symbol="BTCUSDT", orderId=limit_id)
    _, stop_leg = await signed(rest, "GET", "/api/v3/order", symbol="BTCUSDT", orderId=stop_id)
    assert limit_leg["status"] == "EXPIRED"
    assert (stop_leg["status"], stop_leg["isWorking"]) == ("NEW", True)  # rests at its limit


async def test_an_oco_with_its_legs_on_the_wrong_sides_is_refused(sim, rest):
    last = last_price(sim)
    params = oco_sell(sim, belowStopPrice=str(last + 100 * TICK), belowPrice=str(last))
    status, answer = await signed(rest, "POST", "/api/v3/orderList/oco", **params)
    assert status == 400
    assert answer["code"] == -2010


async def test_an_oco_with_a_type_on_the_wrong_side_is_refused(sim, rest):
    params = oco_sell(sim, aboveType="STOP_LOSS", aboveStopPrice="1")
    params.pop("abovePrice")
    status, answer = await signed(rest, "POST", "/api/v3/orderList/oco", **params)
    assert (status, answer) == (400, {"code": -1014, "msg": "Unsupported order combination."})


async def test_the_older_oco_endpoint_makes_the_same_list(sim, rest):
    last = last_price(sim)
    status, answer = await signed(
        rest,
        "POST",
        "/api/v3/order/oco",
        symbol="BTCUSDT",
        side="SELL",
        quantity="0.01",
        price=str(last + 200 * TICK),
        stopPrice=str(last - 200 * TICK),
    )
    assert status == 200, answer
    assert [r["type"] for r in answer["orderReports"]] == ["LIMIT_MAKER", "STOP_LOSS"]


def working_buy(last):
    """An OTO's working order: a limit buy 300 ticks under the last price."""
    return {
        "symbol": "BTCUSDT",
        "workingType": "LIMIT",
        "workingSide": "BUY",
        "workingPrice": str(last - 300 * TICK),
        "workingQuantity": "0.01",
        "workingTimeInForce": "GTC",
    }


async def test_an_oto_holds_its_pending_order_until_the_working_one_fills(sim, rest):
    last = last_price(sim)
    params = {
        **working_buy(last),
        "pendingType": "LIMIT_MAKER",
        "pendingSide": "SELL",
        "pendingPrice": str(last + 300 * TICK),
        "pendingQuantity": "0.01",
    }
    status, answer = await signed(rest, "POST", "/api/v3/orderList/oto", **params)
    assert status == 200, answer
    assert [r["status"] for r in answer["orderReports"]] == ["NEW", "PENDING_NEW"]
    print_at(sim, last - 310 * TICK)
    _, pending = await signed(
        rest, "GET", "/api/v3/order", symbol="BTCUSDT", orderId=answer["orders"][1]["orderId"]
    )
    assert (pending["status"], pending["isWorking"]) == ("NEW", True)


async def test_an_otoco_places_its_pair_after_the_fill(sim, rest):
    last = last_price(sim)
    params = {
        **working_buy(last),
        "pendingSide": "SELL",
        "pendingQuantity": "0.01",
        "pendingAboveType": "LIMIT_MAKER",
        "pendingAbovePrice": str(last + 300 * TICK),
        "pendingBelowType": "STOP_LOSS",
        "pendingBelowStopPrice": str(last - 600 * TICK),
    }
    status, answer = await signed(rest, "POST", "/api/v3/orderList/otoco", **params)
    assert status == 200, answer
    assert len(answer["orders"]) == 3
    print_at(sim, last - 310 * TICK)
    _, open_lists = await signed(rest, "GET", "/api/v3/openOrderList")
    assert [lst["orderListId"] for lst in open_lists] == [answer["orderListId"]]
    statuses = {
        o.client_order_id: o.status.value for o in sim.exchange.engine.open_orders(TRADER_ACCOUNT)
    }
    assert sorted(statuses.values()) == ["NEW", "NEW"]


async def test_cancelling_a_list_cancels_every_open_order_in_it(sim, rest):
    _, answer = await signed(rest, "POST", "/api/v3/orderList/oco", **oco_sell(sim))
    status, cancelled = await signed(
        rest, "DELETE", "/api/v3/orderList", symbol="BTCUSDT", listClientOrderId="oco-1"
    )
    assert status == 200, cancelled
    assert [r["status"] for r in cancelled["orderReports"]] == ["CANCELED", "CANCELED"]
    assert trader_balance(sim, "BTC")[1] == 0
    _, every = await signed(rest, "GET", "/api/v3/allOrderList")
    assert [(lst["orderListId"], lst["listStatusType"]) for lst in every] == [
        (answer["orderListId"], "ALL_DONE")
    ]


async def test_an_unknown_list_is_answered_as_binance_does(rest):
    status, answer = await signed(rest, "GET", "/api/v3/orderList", orderListId=424242)
    assert (status, answer) == (400, {"code": -2018, "msg": "Order list does not exist."})


async def test_list_status_events_reach_user_data(sim, client):
    await client.call("userDataStream.subscribe.signature", hmac_signed({}))
    placed = await client.call("orderList.place.oco", hmac_signed(oco_sell(sim)))
    assert placed["status"] == 200, placed
    event = (await client.event("listStatus"))["event"]
    assert (event["c"], event["l"], event["C"]) == ("OCO", "EXEC_STARTED", "oco-1")
    report = (await client.event("executionReport"))["event"]
    assert report["g"] == placed["result"]["orderListId"]
