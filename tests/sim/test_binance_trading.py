"""The simulator's Binance trading and account family over raw signed REST: stop orders,
order tests, cancel-replace, amendments, order and trade history, commission and
order-rate queries."""

from decimal import Decimal

from console.sim.exchange import TRADER_ACCOUNT
from tests.sim.conftest import TICK, last_price, resting_buy, signed, trader_balance


async def test_order_test_checks_everything_and_places_nothing(sim, rest):
    status, answer = await signed(rest, "POST", "/api/v3/order/test", **resting_buy(sim, "t-1"))
    assert (status, answer) == (200, {})
    assert sim.exchange.engine.open_orders(TRADER_ACCOUNT) == []


async def test_order_test_refuses_what_the_order_would_meet(sim, rest):
    params = {**resting_buy(sim, "t-2"), "price": "1.001"}
    status, answer = await signed(rest, "POST", "/api/v3/order/test", **params)
    assert (status, answer) == (400, {"code": -1013, "msg": "Filter failure: PRICE_FILTER"})


async def test_order_test_reports_commission_rates_on_request(sim, rest):
    params = {**resting_buy(sim, "t-3"), "computeCommissionRates": "true"}
    status, answer = await signed(rest, "POST", "/api/v3/order/test", **params)
    assert status == 200
    assert answer["standardCommissionForOrder"] == {"maker": "0.00100000", "taker": "0.00100000"}


async def test_a_stop_limit_order_waits_until_the_price_reaches_it(sim, rest):
    last = last_price(sim)
    params = {
        "symbol": "BTCUSDT",
        "side": "SELL",
        "type": "STOP_LOSS_LIMIT",
        "timeInForce": "GTC",
        "quantity": "0.01",
        "price": str(last - 60 * TICK),
        "stopPrice": str(last - 50 * TICK),
    }
    status, placed = await signed(rest, "POST", "/api/v3/order", **params)
    assert status == 200, placed
    assert (placed["type"], placed["status"], placed["workingTime"]) == (
        "STOP_LOSS_LIMIT",
        "NEW",
        -1,
    )
    _, shown = await signed(
        rest, "GET", "/api/v3/order", symbol="BTCUSDT", orderId=placed["orderId"]
    )
    assert (shown["stopPrice"], shown["isWorking"]) == (params["stopPrice"] + "000000", False)


async def test_a_stop_that_would_trigger_at_once_is_refused(sim, rest):
    last = last_price(sim)
    params = {
        "symbol": "BTCUSDT",
        "side": "SELL",
        "type": "STOP_LOSS",
        "quantity": "0.01",
        "stopPrice": str(last + 10 * TICK),
    }
    status, answer = await signed(rest, "POST", "/api/v3/order", **params)
    assert (status, answer) == (400, {"code": -2010, "msg": "Order would trigger immediately."})


async def test_cancel_replace_swaps_the_order_for_another(sim, rest):
    await signed(rest, "POST", "/api/v3/order", **resting_buy(sim, "old-1"))
    new = resting_buy(sim, "new-1", ticks_below=90)
    status, answer = await signed(
        rest,
        "POST",
        "/api/v3/order/cancelReplace",
        **new,
        cancelReplaceMode="STOP_ON_FAILURE",
        cancelOrigClientOrderId="old-1",
    )
    assert status == 200, answer
    assert (answer["cancelResult"], answer["newOrderResult"]) == ("SUCCESS", "SUCCESS")
    assert answer["cancelResponse"]["origClientOrderId"] == "old-1"
    assert answer["newOrderResponse"]["clientOrderId"] == "new-1"
    open_ids = [o.client_order_id for o in sim.exchange.engine.open_orders(TRADER_ACCOUNT)]
    assert open_ids == ["new-1"]


async def test_cancel_replace_stops_when_the_cancel_fails(sim, rest):
    status, answer = await signed(
        rest,
        "POST",
        "/api/v3/order/cancelReplace",
        **resting_buy(sim, "new-2"),
        cancelReplaceMode="STOP_ON_FAILURE",
        cancelOrigClientOrderId="never-placed",
    )
    assert (status, answer["code"], answer["msg"]) == (400, -2022, "Order cancel-replace failed.")
    assert answer["data"]["newOrderResult"] == "NOT_ATTEMPTED"
    assert answer["data"]["cancelResponse"] == {"code": -2011, "msg": "Unknown order sent."}
    assert sim.exchange.engine.open_orders(TRADER_ACCOUNT) == []


async def test_cancel_replace_that_only_cancels_answers_409(sim, rest):
    await signed(rest, "POST", "/api/v3/order", **resting_buy(sim, "old-3"))
    refused = {**resting_buy(sim, "new-3"), "price": "0.001"}
    status, answer = await signed(
        rest,
        "POST",
        "/api/v3/order/cancelReplace",
        **refused,
        cancelReplaceMode="STOP_ON_FAILURE",
        cancelOrigClientOrderId="old-3",
    )
    assert (status, answer["code"]) == (409, -2021)
    assert (answer["data"]["cancelResult"], answer["data"]["newOrderResult"]) == (
        "SUCCESS",
        "FAILURE",
    )
    assert sim.exchange.engine.open_orders(TRADER_ACCOUNT) == []


async def test_allow_failure_places_even_when_the_cancel_fails(sim, rest):
    status, answer = await signed(
        rest,
        "POST",
        "/api/v3/order/cancelReplace",
        **resting_buy(sim, "new-4"),
        cancelReplaceMode="ALLOW_FAILURE",
        cancelOrderId=987654,
    )
    assert (status, answer["code"]) == (409, -2021)
    assert answer["data"]["newOrderResult"] == "SUCCESS"
    assert [o.client_order_id for o in sim.exchange.engine.open_orders(TRADER_ACCOUNT)] == ["new-4"]


async def test_amending_lowers_the_quantity_and_keeps_a_record(sim, rest):
    _, placed = await signed(rest, "POST", "/api/v3/order", **resting_buy(sim, "am-1", "0.02"))
    status, amended = await signed(
        rest,
        "PUT",
        "/api/v3/order/amend/keepPriority",
        symbol="BTCUSDT",
        orderId=placed["orderId"],
        newQty="0.01",
        newClientOrderId="am-2",
    )
    assert status == 200, amended
    assert (amended["amendedOrder"]["qty"], amended["amendedOrder"]["clientOrderId"]) == (
        "0.01000000",
        "am-2",
    )
    _, history = await signed(
        rest, "GET", "/api/v3/order/amendments", symbol="BTCUSDT", orderId=placed["orderId"]
    )
    assert [(h["origQty"], h["newQty"]) for h in history] == [("0.02000000", "0.01000000")]


async def test_all_orders_include_finished_ones(sim, rest):
    await signed(rest, "POST", "/api/v3/order", **resting_buy(sim, "h-1"))
    await signed(rest, "DELETE", "/api/v3/order", symbol="BTCUSDT", origClientOrderId="h-1")
    await signed(rest, "POST", "/api/v3/order", **resting_buy(sim, "h-2"))
    status, orders = await signed(rest, "GET", "/api/v3/allOrders", symbol="BTCUSDT")
    assert status == 200
    assert [(o["clientOrderId"], o["status"]) for o in orders] == [
        ("h-1", "CANCELED"),
        ("h-2", "NEW"),
    ]


async def test_my_trades_list_the_accounts_fills_with_their_fees(sim, rest):
    status, bought = await signed(
        rest, "POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.01"
    )
    assert status == 200, bought
    _, trades = await signed(rest, "GET", "/api/v3/myTrades", symbol="BTCUSDT")
    assert {t["orderId"] for t in trades} == {bought["orderId"]}
    assert sum(Decimal(t["qty"]) for t in trades) == Decimal("0.01")
    assert all(t["isBuyer"] and not t["isMaker"] for t in trades)
    assert [t["commission"] for t in trades] == [f["commission"] for f in bought["fills"]]


async def test_commission_rates_are_the_accounts(rest):
    status, rates = await signed(rest, "GET", "/api/v3/account/commission", symbol="BTCUSDT")
    assert status == 200
    assert rates["standardCommission"]["maker"] == "0.00100000"
    assert rates["discount"]["enabledForAccount"] is False


async def test_order_rate_limits_count_new_orders(sim, rest):
    await signed(rest, "POST", "/api/v3/order", **resting_buy(sim, "r-1"))
    status, limits = await signed(rest, "GET", "/api/v3/rateLimit/order")
    assert status == 200
    assert [(row["interval"], row["count"]) for row in limits] == [("SECOND", 1), ("DAY", 1)]


async def test_a_fill_is_booked_once_in_balances_and_history(sim, rest):
    before = trader_balance(sim, "BTC")[0]
    await signed(
        rest, "POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.02"
    )
    _, trades = await signed(rest, "GET", "/api/v3/myTrades", symbol="BTCUSDT")
    bought = sum(Decimal(t["qty"]) - Decimal(t["commission"]) for t in trades)
    assert trader_balance(sim, "BTC")[0] - before == bought
