"""WEEX's shapes into the console's model, on the seed's own example answers and pushes
(their stray spaces in key names, a copying fault of the seed, taken out)."""

from decimal import Decimal

import msgspec

from console.model import Balance, Fill, OrderStatus, OrderType, Side, TimeInForce
from console.venues.base import OrderRequest
from console.venues.weex import convert, schemas
from console.venues.weex.api import as_sent


def decode(kind, text):
    return msgspec.json.decode(text, type=kind)


def test_a_product_becomes_an_instrument_with_ticks_and_lots_from_its_scales():
    product = decode(
        schemas.Product,
        '{"symbol":"BTCUSDT_SPBL","symbolName":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT",'
        '"minTradeAmount":"0.0001","maxTradeAmount":"10000","takerFeeRate":"0.001",'
        '"makerFeeRate":"0.001","priceScale":"4","quantityScale":"8","status":"online"}',
    )
    inst = convert.instrument(product)
    assert (inst.symbol, inst.base, inst.quote) == ("BTCUSDT", "BTC", "USDT")
    assert (inst.tick_size, inst.lot_size) == (Decimal("0.0001"), Decimal("1E-8"))
    assert (inst.min_qty, inst.max_qty) == (Decimal("0.0001"), Decimal(10000))


def test_an_order_row_becomes_an_order():
    row = decode(
        schemas.OrderRow,
        '{"accountId":"10012","symbol":"btcusdt_spbl","orderId":"2222222",'
        '"clientOrderId":"xxxxxxx","price":"34829.12","quantity":"1","orderType":"limit",'
        '"side":"buy","status":"new","fillPrice":"0","fillQuantity":"0",'
        '"fillTotalAmount":"0","cTime":"1622697148"}',
    )
    order = convert.order(row)
    assert (order.symbol, order.side, order.type, order.status) == (
        "BTCUSDT",
        Side.BUY,
        OrderType.LIMIT,
        OrderStatus.NEW,
    )
    assert (order.price, order.qty, order.order_id) == (Decimal("34829.12"), 1, "2222222")


def test_a_row_keeps_what_this_console_sent_and_an_ioc_cancelled_has_expired():
    row = decode(
        schemas.OrderRow,
        '{"symbol":"btcusdt_spbl","orderId":"7","clientOrderId":"tc-1","price":"1",'
        '"quantity":"1","orderType":"limit","side":"sell","status":"cancelled",'
        '"fillQuantity":"0","fillTotalAmount":"0","cTime":"1"}',
    )
    sent = OrderRequest(
        "BTCUSDT", Side.SELL, OrderType.LIMIT, "tc-1", Decimal(1), Decimal(1), TimeInForce.IOC
    )
    order = as_sent(convert.order(row), sent)
    assert (order.time_in_force, order.status) == (TimeInForce.IOC, OrderStatus.EXPIRED)


def test_assets_become_balances_with_frozen_and_locked_together():
    (asset,) = decode(
        list[schemas.Asset],
        '[{"coinId":"10012","coinName":"usdt","available":"12.5","frozen":"1","lock":"0.5",'
        '"uTime":"1622697148"}]',
    )
    assert convert.balances([asset]) == [Balance("USDT", Decimal("12.5"), Decimal("1.5"))]


def test_a_pushed_order_becomes_an_order_with_its_codes_read():
    push = decode(
        schemas.Push,
        '{"c":"spot@private.orders.v3.api","d":{"A":8.0,"O":1661938138000,"S":1,"V":10,'
        '"a":8,"c":"","i":"e03a5c7441e44ed899466a7140b71391","m":0,"o":1,"p":0.8,"s":1,'
        '"v":10,"ap":0,"cv":0,"ca":0},"s":"MXUSDT","t":1661938138193}',
    )
    order = convert.stream_order(push.s, decode(schemas.OrderUpdate, push.d), push.t)
    assert (order.symbol, order.side, order.status, order.type) == (
        "MXUSDT",
        Side.BUY,
        OrderStatus.NEW,
        OrderType.LIMIT,
    )
    assert (order.price, order.qty, order.updated_ms) == (Decimal("0.8"), 10, 1661938138193)


def test_a_pushed_deal_becomes_a_fill():
    push = decode(
        schemas.Push,
        '{"c":"spot@private.deals.v3.api","d":{"p":"1.804","v":"0.31","a":"0.55924","S":1,'
        '"T":1678901086198,"t":"5bbb6ad8b4474570b155610e30d960cd","c":"",'
        '"i":"2dd9655f9fa2438fa1709510d7c1afd9","m":0,"st":0,"n":"0.000248206380027431",'
        '"N":"MX"},"s":"MXUSDT","t":1661938980285}',
    )
    fill = convert.deal_fill(push.s, decode(schemas.Deal, push.d))
    assert fill == Fill(
        "MXUSDT",
        "2dd9655f9fa2438fa1709510d7c1afd9",
        "",
        "5bbb6ad8b4474570b155610e30d960cd",
        Side.BUY,
        Decimal("1.804"),
        Decimal("0.31"),
        Decimal("0.000248206380027431"),
        "MX",
        False,
        1678901086198,
    )


def test_a_pushed_account_change_becomes_a_balance():
    push = decode(
        schemas.Push,
        '{"c":"spot@private.account.v3.api","d":{"a":"USDT","c":1678185928428,'
        '"f":"302.185113007893322435","fd":"-4.990689704","l":"4.990689704",'
        '"ld":"4.990689704","o":"ENTRUST_PLACE"},"t":1678185928435}',
    )
    balance = convert.account_balance(decode(schemas.AccountChange, push.d))
    assert balance == Balance("USDT", Decimal("302.185113007893322435"), Decimal("4.990689704"))
