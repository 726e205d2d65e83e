"""Recorded answers of the real venues (tests/data/recorded) through the adapters' own
schemas and conversions: each must come to the values it means, exactly, with no float on
the way, whatever form its numbers took on the wire."""

import json
from decimal import Decimal
from pathlib import Path

import msgspec

from console.model import OrderStatus, OrderType, Side
from console.venues.binance import convert as binance
from console.venues.binance import schemas as binance_wire
from console.venues.huobi import convert as huobi
from console.venues.huobi import schemas as huobi_wire
from console.venues.weex import convert as weex
from console.venues.weex import schemas as weex_wire

RECORDED = Path(__file__).resolve().parents[1] / "data" / "recorded"


def answer(name):
    """The recorded answer, as the bytes the venue sent."""
    recording = json.loads((RECORDED / name).read_text())
    assert recording["source"]
    return json.dumps(recording["answer"]).encode()


def test_every_recording_names_its_source_and_is_listed():
    listed = (RECORDED / "README.md").read_text()
    for path in RECORDED.glob("*.json"):
        assert json.loads(path.read_text())["source"]
        assert path.name in listed


def test_a_binance_order_answer_with_its_numbers_as_strings_decodes_exactly():
    order = binance.order(
        binance_wire.ORDER_ANSWER.decode(answer("binance-spot-create-order.json"))
    )
    assert (order.symbol, order.side, order.type, order.status) == (
        "SOLUSDT",
        Side.BUY,
        OrderType.LIMIT,
        OrderStatus.NEW,
    )
    assert (order.order_id, order.price, order.qty) == ("9780331417", Decimal(241), Decimal("0.05"))
    assert order.created_ms == 1737635557417


def test_huobis_documented_order_without_a_client_id_decodes_exactly():
    row = msgspec.json.decode(
        answer("huobi-seed-client-order.json"), type=huobi_wire.Ok[huobi_wire.OrderRow]
    ).data
    order = huobi.order(row)
    assert (order.symbol, order.side, order.status) == ("ETHBTC", Side.BUY, OrderStatus.FILLED)
    assert (order.qty, order.filled_qty, order.filled_quote) == (
        Decimal("10.1"),
        Decimal("10.1"),
        Decimal("1011.01"),
    )


def test_huobis_documented_balance_decodes_to_free_and_locked():
    account = msgspec.json.decode(
        answer("huobi-seed-balance.json"), type=huobi_wire.Ok[huobi_wire.AccountBalance]
    ).data
    (btc,) = huobi.balances(account.rows)
    assert (btc.asset, btc.free, btc.locked) == (
        "BTC",
        Decimal("5007.4362872650"),
        Decimal("348.1199920000"),
    )


def test_huobis_documented_book_keeps_every_digit_of_its_float_sizes():
    rep = msgspec.json.decode(answer("huobi-seed-mbp-refresh.json"))
    mbp = msgspec.json.decode(json.dumps(rep["data"]).encode(), type=huobi_wire.Mbp)
    snapshot = huobi.snapshot("ETHBTC", mbp)
    assert snapshot.asks[0] == ("650.59", "14.909733438479636")
    assert snapshot.bids[3][1] == "24.82"


def test_a_weex_v3_symbol_takes_its_tick_and_step_as_stated_not_from_its_precisions():
    info = msgspec.json.decode(answer("weex-v3-exchange-info.json"), type=weex_wire.ExchangeInfo)
    (instrument,) = [weex.v3_instrument(row) for row in info.symbols]
    assert (instrument.symbol, instrument.base, instrument.quote) == ("ETHUSDT", "ETH", "USDT")
    assert (instrument.tick_size, instrument.lot_size) == (Decimal("0.01"), Decimal("0.00001"))
    assert (instrument.min_qty, instrument.max_qty) == (Decimal("0.0001"), Decimal(99999))
