"""The simulator's Binance market data family over raw REST and the raw WebSocket API:
aggregate and historical trades, uiKlines, average price and every ticker."""

from decimal import Decimal

import pytest

from tests.sim.conftest import best, mid_minute


@pytest.fixture
def traded(sim):
    """A few seconds of the synthetic flow, so every symbol has printed."""
    sim.exchange.market.advance(20)
    return sim


async def get(rest, path, **params):
    answer = await rest.get(path, params=params)
    return answer.status_code, answer.json()


async def test_agg_trades_sum_the_fills_of_one_taker_at_one_price(rest, traded):
    status, aggs = await get(rest, "/api/v3/aggTrades", symbol="BTCUSDT", limit=1000)
    tape = list(traded.exchange.tapes["BTCUSDT"])
    assert status == 200 and aggs
    last = aggs[-1]
    members = [t for t in tape if last["f"] <= t.trade_id <= last["l"]]
    assert Decimal(last["q"]) == sum(t.qty for t in members)
    assert {t.price for t in members} == {Decimal(last["p"])}
    assert [a["a"] for a in aggs] == list(range(aggs[0]["a"], aggs[0]["a"] + len(aggs)))


async def test_agg_trades_from_an_id_start_there(rest, traded):
    _, aggs = await get(rest, "/api/v3/aggTrades", symbol="BTCUSDT")
    _, later = await get(rest, "/api/v3/aggTrades", symbol="BTCUSDT", fromId=aggs[-2]["a"])
    assert later == aggs[-2:]


async def test_agg_trades_refuse_a_window_over_an_hour(rest, traded):
    status, body = await get(
        rest, "/api/v3/aggTrades", symbol="BTCUSDT", startTime=0, endTime=3_600_001
    )
    assert (status, body["code"]) == (400, -1127)


async def test_historical_trades_page_forward_from_an_id(rest, traded):
    _, recent = await get(rest, "/api/v3/trades", symbol="ETHUSDT", limit=5)
    status, older = await get(
        rest, "/api/v3/historicalTrades", symbol="ETHUSDT", fromId=recent[0]["id"], limit=3
    )
    assert status == 200
    assert older == recent[:3]


async def test_ui_klines_match_klines(rest):
    _, klines = await get(rest, "/api/v3/klines", symbol="BTCUSDT", interval="1h", limit=3)
    _, ui = await get(rest, "/api/v3/uiKlines", symbol="BTCUSDT", interval="1h", limit=3)
    assert ui == klines and len(ui) == 3


async def test_average_price_weighs_the_last_five_minutes(rest, traded):
    status, avg = await get(rest, "/api/v3/avgPrice", symbol="BTCUSDT")
    tape = list(traded.exchange.tapes["BTCUSDT"])
    expected = sum(t.price * t.qty for t in tape) / sum(t.qty for t in tape)
    assert (status, avg["mins"]) == (200, 5)
    assert Decimal(avg["price"]) == expected.quantize(Decimal("0.00000001"))


async def test_ticker_price_for_one_and_for_all(rest, traded):
    _, one = await get(rest, "/api/v3/ticker/price", symbol="BTCUSDT")
    _, every = await get(rest, "/api/v3/ticker/price")
    assert Decimal(one["price"]) == traded.exchange.engine.books["BTCUSDT"].last_price
    assert {row["symbol"] for row in every} == set(traded.exchange.engine.books)


async def test_book_ticker_is_the_top_of_the_book(rest, sim):
    bid, ask = best(sim)
    _, top = await get(rest, "/api/v3/ticker/bookTicker", symbol="BTCUSDT")
    assert (Decimal(top["bidPrice"]), Decimal(top["askPrice"])) == (bid, ask)
    assert Decimal(top["bidQty"]) > 0


async def test_24h_ticker_spans_a_day_of_bars(rest, traded):
    status, ticker = await get(rest, "/api/v3/ticker/24hr", symbol="BTCUSDT")
    assert status == 200
    assert ticker["closeTime"] - ticker["openTime"] <= 86_400_000 + 60_000
    assert (
        Decimal(ticker["lowPrice"]) <= Decimal(ticker["lastPrice"]) <= Decimal(ticker["highPrice"])
    )
    assert Decimal(ticker["priceChange"]) == Decimal(ticker["lastPrice"]) - Decimal(
        ticker["openPrice"]
    )
    assert ticker["lastId"] == traded.exchange.tapes["BTCUSDT"][-1].trade_id


async def test_mini_tickers_leave_out_the_change(rest, traded):
    _, rows = await get(rest, "/api/v3/ticker/24hr", symbols='["BTCUSDT","ETHUSDT"]', type="MINI")
    assert [r["symbol"] for r in rows] == ["BTCUSDT", "ETHUSDT"]
    assert "priceChange" not in rows[0] and "openPrice" in rows[0]


async def test_rolling_ticker_opens_on_a_whole_minute(rest, traded):
    status, ticker = await get(rest, "/api/v3/ticker", symbol="BTCUSDT", windowSize="15m")
    assert status == 200
    assert ticker["openTime"] % 60_000 == 0
    assert ticker["closeTime"] - ticker["openTime"] <= 16 * 60_000


async def test_rolling_ticker_refuses_a_window_binance_does_not_offer(rest):
    status, body = await get(rest, "/api/v3/ticker", symbol="BTCUSDT", windowSize="60m")
    assert (status, body["code"]) == (400, -1100)


async def test_trading_day_ticker_starts_at_midnight_in_the_zone(rest, traded):
    _, utc = await get(rest, "/api/v3/ticker/tradingDay", symbol="BTCUSDT")
    _, tokyo = await get(rest, "/api/v3/ticker/tradingDay", symbol="BTCUSDT", timeZone="9")
    assert utc["openTime"] % 86_400_000 == 0
    assert (tokyo["openTime"] + 9 * 3_600_000) % 86_400_000 == 0


async def test_symbol_and_symbols_together_are_refused(rest):
    status, body = await get(rest, "/api/v3/ticker/price", symbol="BTCUSDT", symbols='["BTCUSDT"]')
    assert (status, body["code"]) == (400, -1128)


async def test_ticker_weight_grows_with_the_symbols(rest, clock):
    clock.pinned = mid_minute()  # both requests weighed in one window
    one = await rest.get("/api/v3/ticker/24hr", params={"symbol": "BTCUSDT"})
    every = await rest.get("/api/v3/ticker/24hr")
    used = int(one.headers["X-MBX-USED-WEIGHT-1M"])
    assert int(every.headers["X-MBX-USED-WEIGHT-1M"]) - used == 80


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("depth", "/api/v3/depth", {"symbol": "BTCUSDT", "limit": 5}),
        ("trades.aggregate", "/api/v3/aggTrades", {"symbol": "BTCUSDT", "limit": 5}),
        ("trades.historical", "/api/v3/historicalTrades", {"symbol": "BTCUSDT", "limit": 5}),
        ("trades.recent", "/api/v3/trades", {"symbol": "BTCUSDT", "limit": 5}),
        ("klines", "/api/v3/klines", {"symbol": "BTCUSDT", "interval": "1m", "limit": 2}),
        ("uiKlines", "/api/v3/uiKlines", {"symbol": "BTCUSDT", "interval": "1m", "limit": 2}),
        ("avgPrice", "/api/v3/avgPrice", {"symbol": "BTCUSDT"}),
        ("ticker.price", "/api/v3/ticker/price", {"symbol": "BTCUSDT"}),
        ("ticker.book", "/api/v3/ticker/bookTicker", {"symbol": "BTCUSDT"}),
        ("ticker", "/api/v3/ticker", {"symbol": "BTCUSDT", "windowSize": "1h"}),
        ("ticker.tradingDay", "/api/v3/ticker/tradingDay", {"symbol": "BTCUSDT"}),
    ],
)
async def test_the_websocket_api_answers_as_rest_does(rest, client, traded, method, path, params):
    over_rest = (await rest.get(path, params=params)).json()
    over_ws = await client.call(method, params)
    assert over_ws["status"] == 200
    for answer in (over_rest, over_ws["result"]):
        if isinstance(answer, dict):
            answer.pop("closeTime", None)  # a ticker closes at the moment it is asked
    assert over_ws["result"] == over_rest


async def test_the_websocket_api_takes_symbols_as_an_array(client, traded):
    answer = await client.call("ticker.24hr", {"symbols": ["BTCUSDT", "SOLUSDT"], "type": "MINI"})
    assert [row["symbol"] for row in answer["result"]] == ["BTCUSDT", "SOLUSDT"]


async def test_exchange_info_lists_every_order_type_the_engine_takes(client):
    answer = await client.call("exchangeInfo", {"symbol": "BTCUSDT"})
    (symbol,) = answer["result"]["symbols"]
    assert {"STOP_LOSS_LIMIT", "TAKE_PROFIT"} <= set(symbol["orderTypes"])
    assert (symbol["ocoAllowed"], symbol["otoAllowed"], symbol["opoAllowed"]) == (True, True, False)
    assert symbol["cancelReplaceAllowed"] and symbol["amendAllowed"]
