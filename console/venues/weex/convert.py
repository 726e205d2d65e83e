"""WEEX's shapes into the console's model: `BTCUSDT_SPBL` is shown and kept as BTCUSDT,
scales become ticks and lots, the v1 states and the stream's numeric codes become order
states, types and times in force."""

from __future__ import annotations

from decimal import Decimal

from console.model import (
    Balance,
    Fill,
    Instrument,
    Order,
    OrderStatus,
    OrderType,
    Side,
    TimeInForce,
)
from console.venues.common import exact
from console.venues.weex import schemas

SUFFIX = "_SPBL"
STATES = {
    "new": OrderStatus.NEW,
    "partial_fill": OrderStatus.PARTIALLY_FILLED,
    "full_fill": OrderStatus.FILLED,
    "cancelled": OrderStatus.CANCELED,
}
STREAM_STATES = {
    1: OrderStatus.NEW,
    2: OrderStatus.FILLED,
    3: OrderStatus.PARTIALLY_FILLED,
    4: OrderStatus.CANCELED,
    5: OrderStatus.CANCELED,
}
STREAM_TYPES = {
    1: (OrderType.LIMIT, TimeInForce.GTC),
    2: (OrderType.POST_ONLY, TimeInForce.GTC),
    3: (OrderType.LIMIT, TimeInForce.IOC),
    4: (OrderType.LIMIT, TimeInForce.FOK),
    5: (OrderType.MARKET, TimeInForce.GTC),
}
FORCES = {
    (OrderType.LIMIT, TimeInForce.GTC): "normal",
    (OrderType.POST_ONLY, TimeInForce.GTC): "post_only",
    (OrderType.LIMIT, TimeInForce.IOC): "ioc",
    (OrderType.LIMIT, TimeInForce.FOK): "fok",
    (OrderType.MARKET, TimeInForce.GTC): "normal",
}
"""Our order type and time in force as the v1 `force` (a market order takes `normal`)."""
SIDES = {1: Side.BUY, 2: Side.SELL}


def symbol(ours: str) -> str:
    return ours + SUFFIX


def ours(wire: str) -> str:
    return wire.upper().removesuffix(SUFFIX)


def instrument(product: schemas.Product) -> Instrument:
    """Ticks and lots from the scales; WEEX states no minimum notional."""
    return Instrument(
        symbol=product.symbolName,
        base=product.baseCoin,
        quote=product.quoteCoin,
        tick_size=Decimal(1).scaleb(-int(product.priceScale)),
        lot_size=Decimal(1).scaleb(-int(product.quantityScale)),
        min_qty=exact(product.minTradeAmount),
        max_qty=exact(product.maxTradeAmount),
        min_notional=Decimal(0),
    )


def order(row: schemas.OrderRow, known: Order | None = None) -> Order:
    """A v1 order row; its type and time in force are what this console sent where it
    knows the order (a row says only limit or market)."""
    kind = OrderType.MARKET if row.orderType == "market" else OrderType.LIMIT
    tif = TimeInForce.GTC
    if known is not None:
        kind, tif = known.type, known.time_in_force
    price = exact(row.price)
    return Order(
        symbol=ours(row.symbol),
        client_order_id=row.clientOrderId,
        side=Side(row.side.upper()),
        type=kind,
        qty=exact(row.quantity),
        price=price if price else None,
        time_in_force=tif,
        status=STATES.get(row.status, OrderStatus.UNKNOWN),
        order_id=row.orderId,
        filled_qty=exact(row.fillQuantity),
        filled_quote=exact(row.fillTotalAmount),
        created_ms=int(row.cTime),
        updated_ms=int(row.cTime),
    )


def balances(assets: list[schemas.Asset]) -> list[Balance]:
    return [
        Balance(a.coinName.upper(), exact(a.available), exact(a.frozen) + exact(a.lock))
        for a in assets
    ]


def trade_fill(row: schemas.TradeFill) -> Fill:
    """A row of the account's fills; it names no client order id."""
    return Fill(
        symbol=ours(row.symbol),
        order_id=row.orderId,
        client_order_id="",
        trade_id=row.fillId,
        side=Side(row.side.upper()),
        price=exact(row.fillPrice),
        qty=exact(row.fillQuantity),
        fee=exact(row.fees),
        fee_asset=row.feeCcy.upper(),
        is_maker=False,
        time_ms=int(row.cTime),
    )


def stream_order(name: str, update: schemas.OrderUpdate, time_ms: int) -> Order:
    kind, tif = STREAM_TYPES.get(update.o, (OrderType.LIMIT, TimeInForce.GTC))
    return Order(
        symbol=name,
        client_order_id=update.c,
        side=SIDES[update.S],
        type=kind,
        qty=update.v,
        price=update.p if update.p else None,
        time_in_force=tif,
        status=STREAM_STATES.get(update.s, OrderStatus.UNKNOWN),
        order_id=update.i,
        filled_qty=update.cv,
        filled_quote=update.ca,
        created_ms=update.O,
        updated_ms=time_ms,
    )


def deal_fill(name: str, deal: schemas.Deal) -> Fill:
    return Fill(
        symbol=name,
        order_id=deal.i,
        client_order_id=deal.c,
        trade_id=deal.t,
        side=SIDES[deal.S],
        price=exact(deal.p),
        qty=exact(deal.v),
        fee=exact(deal.n),
        fee_asset=deal.N,
        is_maker=bool(deal.m),
        time_ms=deal.T,
    )


def account_balance(change: schemas.AccountChange) -> Balance:
    return Balance(change.a.upper(), exact(change.f), exact(change.l))
