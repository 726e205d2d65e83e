"""WEEX's shapes into the console's model: `BTCUSDT_SPBL` is shown and kept as BTCUSDT,
scales become ticks and lots, the v1 states and the stream's numeric codes become order
states, types and times in force."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from console.model import (
    Balance,
    Candle,
    DayStats,
    Fill,
    Instrument,
    Interval,
    Order,
    OrderStatus,
    OrderType,
    Side,
    Ticker,
    TimeInForce,
    Top,
    Trade,
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


def order(row: schemas.OrderRow) -> Order:
    """A v1 order row, which says only limit or market (`api.as_sent` puts back what this
    console sent)."""
    kind = OrderType.MARKET if row.orderType == "market" else OrderType.LIMIT
    tif = TimeInForce.GTC
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


# -- the public market stream ---------------------------------------------------------------


def market_print(name: str, row: schemas.PrintRow) -> Trade:
    return Trade(
        symbol=name,
        trade_id=int(row.t),
        price=exact(row.p),
        qty=exact(row.q),
        taker_side=Side.SELL if row.m else Side.BUY,
        time_ms=row.T,
    )


def kline(name: str, interval: str, row: schemas.KlineRow) -> Candle:
    return Candle(
        symbol=name,
        interval=interval,
        open_ms=row.t,
        open=exact(row.o),
        high=exact(row.h),
        low=exact(row.l),
        close=exact(row.c),
        volume=exact(row.v),
    )


def day_stats(name: str, row: schemas.DayRow) -> DayStats:
    return DayStats(
        symbol=name,
        last=exact(row.c),
        open=exact(row.o),
        high=exact(row.h),
        low=exact(row.l),
        volume=exact(row.v),
    )


def top(name: str, event: schemas.MarketEvent) -> Top:
    return Top(
        symbol=name,
        bid=exact(msgspec.json.decode(event.b, type=str)),
        bid_qty=exact(event.B),
        ask=exact(msgspec.json.decode(event.a, type=str)),
        ask_qty=exact(event.A),
    )


# -- v1 market data -------------------------------------------------------------------------


def market_fill(name: str, row: schemas.MarketFill) -> Trade:
    return Trade(
        symbol=name,
        trade_id=int(row.tradeId),
        price=exact(row.fillPrice),
        qty=exact(row.fillQuantity),
        taker_side=Side(row.side.upper()),
        time_ms=int(row.fillTime),
    )


def bar(name: str, interval: Interval, row: schemas.Bar) -> Candle:
    return Candle(
        symbol=name,
        interval=str(interval),
        open_ms=int(row.ts),
        open=exact(row.open),
        high=exact(row.high),
        low=exact(row.low),
        close=exact(row.close),
        volume=exact(row.baseVol),
    )


# -- v3 -------------------------------------------------------------------------------------

V3_STATES = {
    "NEW": OrderStatus.NEW,
    "PARTIALLY_FILLED": OrderStatus.PARTIALLY_FILLED,
    "FILLED": OrderStatus.FILLED,
    "CANCELED": OrderStatus.CANCELED,
    "EXPIRED": OrderStatus.EXPIRED,
    "REJECTED": OrderStatus.REJECTED,
}
V3_TYPES = {
    "LIMIT": OrderType.LIMIT,
    "LIMIT_MAKER": OrderType.POST_ONLY,
    "MARKET": OrderType.MARKET,
}


def v3_instrument(row: schemas.V3Symbol) -> Instrument:
    """Ticks and lots as stated (`tickSize`, `stepSize`), or where a symbol states none,
    from the precisions (quote: price decimals, base: quantity decimals); WEEX states no
    minimum notional."""
    return Instrument(
        symbol=row.symbol,
        base=row.baseAsset,
        quote=row.quoteAsset,
        tick_size=_grid(row.tickSize, row.quoteAssetPrecision),
        lot_size=_grid(row.stepSize, row.baseAssetPrecision),
        min_qty=exact(row.minTradeAmount),
        max_qty=exact(row.maxTradeAmount),
        min_notional=Decimal(0),
    )


def v3_trade(name: str, row: schemas.V3Trade) -> Trade:
    return Trade(
        symbol=name,
        trade_id=int(row.id),
        price=exact(row.price),
        qty=exact(row.qty),
        taker_side=Side.SELL if row.isBuyerMaker else Side.BUY,
        time_ms=row.time,
    )


def v3_kline(name: str, interval: Interval, row: tuple[object, ...]) -> Candle:
    """`[open time, open, high, low, close, volume, close time, ...]`."""
    return Candle(
        symbol=name,
        interval=str(interval),
        open_ms=int(str(row[0])),
        open=exact(str(row[1])),
        high=exact(str(row[2])),
        low=exact(str(row[3])),
        close=exact(str(row[4])),
        volume=exact(str(row[5])),
    )


def v3_order(row: schemas.V3Order) -> Order:
    price = exact(row.price)
    return Order(
        symbol=row.symbol,
        client_order_id=row.clientOrderId,
        side=Side(row.side.upper()),
        type=V3_TYPES.get(row.type, OrderType.LIMIT),
        qty=exact(row.origQty),
        price=price if price else None,
        time_in_force=TimeInForce(row.timeInForce),
        status=V3_STATES.get(row.status, OrderStatus.UNKNOWN),
        order_id=row.orderId,
        filled_qty=exact(row.executedQty),
        filled_quote=exact(row.cummulativeQuoteQty),
        created_ms=row.time,
        updated_ms=row.updateTime or row.time,
    )


def v3_fill(row: schemas.V3Fill) -> Fill:
    """A row of the account's trades; it names no client order id."""
    return Fill(
        symbol=row.symbol,
        order_id=row.orderId,
        client_order_id="",
        trade_id=row.id,
        side=Side.BUY if row.isBuyer else Side.SELL,
        price=exact(row.price),
        qty=exact(row.qty),
        fee=exact(row.commission),
        fee_asset=row.commissionAsset,
        is_maker=row.isMaker,
        time_ms=row.time,
    )


def _grid(stated: str | None, precision: int | str) -> Decimal:
    return exact(stated) if stated else Decimal(1).scaleb(-int(precision))


def v1_ticker(row: schemas.V1Ticker) -> Ticker:
    return Ticker(ours(row.symbol), Decimal(row.close), None, Decimal(row.baseVol))


def v3_ticker(row: schemas.V3DayRow) -> Ticker:
    opening = None if row.openPrice is None else Decimal(row.openPrice)
    return Ticker(row.symbol, Decimal(row.lastPrice), opening, Decimal(row.volume))
