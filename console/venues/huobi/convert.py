"""Huobi's shapes into the console's model: symbols in upper case (`btcusdt` is shown and
kept as BTCUSDT), order types split into side, type and time in force, and precisions into
ticks and lots."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from console.model import (
    Balance,
    BookSnapshot,
    Candle,
    DayStats,
    Fill,
    Instrument,
    Interval,
    Level,
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
from console.venues.huobi import schemas

KINDS: dict[str, tuple[OrderType, TimeInForce]] = {
    "limit": (OrderType.LIMIT, TimeInForce.GTC),
    "ioc": (OrderType.LIMIT, TimeInForce.IOC),
    "limit-fok": (OrderType.LIMIT, TimeInForce.FOK),
    "limit-maker": (OrderType.POST_ONLY, TimeInForce.GTC),
    "market": (OrderType.MARKET, TimeInForce.GTC),
    "stop-limit": (OrderType.STOP_LIMIT, TimeInForce.GTC),
    "stop-limit-fok": (OrderType.STOP_LIMIT, TimeInForce.FOK),
}
"""The part of a wire type after its side. A `stop-limit` order is a stop or a take-profit
by its `operator`: `gte` waits for the price to rise to `stop-price`, `lte` to fall."""
WIRE_KINDS = {ours: wire for wire, ours in KINDS.items()}
TIMED = frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT})
"""The kinds whose wire type carries a time in force (`-fok`, `ioc`)."""
OPEN_STATES = {
    "created": OrderStatus.NEW,
    "submitted": OrderStatus.NEW,
    "canceling": OrderStatus.NEW,
    "partial-filled": OrderStatus.PARTIALLY_FILLED,
    "filled": OrderStatus.FILLED,
}


def symbol(ours: str) -> str:
    return ours.lower()


def ours(wire: str) -> str:
    return wire.upper()


def step(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def instrument(row: schemas.Symbol) -> Instrument:
    return Instrument(
        ours(row.symbol),
        row.base_currency.upper(),
        row.quote_currency.upper(),
        step(row.price_precision),
        step(row.amount_precision),
        row.min_order_amt or step(row.amount_precision),
        row.max_order_amt,
        row.min_order_value,
        step(row.price_precision),
        Decimal(0),
        row.max_order_value,
    )


def wire_type(side: Side, order_type: OrderType, tif: TimeInForce) -> str:
    family = OrderType.STOP_LIMIT if order_type is OrderType.TAKE_PROFIT_LIMIT else order_type
    kind = WIRE_KINDS.get((family, tif if family in TIMED else TimeInForce.GTC))
    if kind is None:
        raise ValueError(f"Huobi takes no {order_type} {tif} orders")
    return f"{side.value.lower()}-{kind}"


def operator(side: Side, order_type: OrderType) -> str:
    return "gte" if order_type.triggers_above(side) else "lte"


def split_type(wire: str, operator: str | None = None) -> tuple[Side, OrderType, TimeInForce]:
    """Side, type and time in force of a wire type; a `stop-limit` one is a take-profit
    when its `operator` waits for the price to move the other way from a stop's."""
    side_text, _, kind = wire.partition("-")
    side = Side(side_text.upper())
    order_type, tif = KINDS.get(kind, (OrderType.LIMIT, TimeInForce.GTC))
    rises = operator == "gte"
    if order_type is OrderType.STOP_LIMIT and operator and rises != order_type.triggers_above(side):
        order_type = OrderType.TAKE_PROFIT_LIMIT
    return side, order_type, tif


def status(state: str, tif: TimeInForce, order_type: OrderType) -> OrderStatus:
    """A cancelled IOC, FOK or market order was never cancelled by anyone: it expired."""
    if state in OPEN_STATES:
        return OPEN_STATES[state]
    if tif is not TimeInForce.GTC or order_type is OrderType.MARKET:
        return OrderStatus.EXPIRED
    return OrderStatus.CANCELED


def order(row: schemas.OrderRow) -> Order:
    side, order_type, tif = split_type(row.type, row.operator)
    filled = exact(row.filled_amount or row.field_amount or "0")
    filled_quote = exact(row.filled_cash_amount or row.field_cash_amount or "0")
    buy_value = order_type is OrderType.MARKET and side is Side.BUY
    price = exact(row.price)
    return Order(
        symbol=ours(row.symbol),
        client_order_id=row.client_order_id,
        side=side,
        type=order_type,
        qty=filled if buy_value else exact(row.amount),
        price=price if price else None,
        time_in_force=tif,
        status=status(row.state, tif, order_type),
        order_id=str(row.id),
        filled_qty=filled,
        filled_quote=filled_quote,
        created_ms=row.created_at,
        updated_ms=row.finished_at or row.canceled_at or row.created_at,
        trigger=exact(row.stop_price) if row.stop_price else None,
    )


def balances(rows: list[schemas.BalanceRow]) -> list[Balance]:
    free: dict[str, Decimal] = {}
    locked: dict[str, Decimal] = {}
    for row in rows:
        into = free if row.type == "trade" else locked
        into[row.currency.upper()] = into.get(row.currency.upper(), Decimal(0)) + exact(row.balance)
    return [
        Balance(asset, free.get(asset, Decimal(0)), locked.get(asset, Decimal(0)))
        for asset in sorted(free.keys() | locked.keys())
    ]


def trades(name: str, groups: list[schemas.TradeGroup]) -> list[Trade]:
    """Oldest first, as the tape keeps them."""
    rows = [row for group in reversed(groups) for row in reversed(group.data)]
    return [trade(name, row) for row in rows]


def trade(name: str, row: schemas.TradeRow) -> Trade:
    taker = Side.BUY if row.direction == "buy" else Side.SELL
    return Trade(name, row.number, row.price, row.amount, taker, row.ts)


def candles(name: str, interval: Interval, bars: list[schemas.Bar]) -> list[Candle]:
    """History oldest first; every bar but the newest has closed."""
    ordered = sorted(bars, key=lambda bar: bar.id)
    return [candle(name, interval, bar, bar is not ordered[-1]) for bar in ordered]


def candle(name: str, interval: Interval, bar: schemas.Bar, closed: bool = False) -> Candle:
    return Candle(
        name, interval, bar.id * 1000, bar.open, bar.high, bar.low, bar.close, bar.amount, closed
    )


def day_stats(name: str, tick: schemas.Detail) -> DayStats:
    return DayStats(name, tick.close, tick.open, tick.high, tick.low, tick.amount)


def top(name: str, tick: schemas.Bbo) -> Top:
    return Top(name, tick.bid, tick.bidSize, tick.ask, tick.askSize)


def snapshot(name: str, mbp: schemas.Mbp) -> BookSnapshot:
    return BookSnapshot(name, mbp.seqNum, levels(mbp.bids), levels(mbp.asks))


def levels(rows: list[tuple[msgspec.Raw, msgspec.Raw]]) -> list[Level]:
    """Levels from pairs of JSON numbers, as the text sent (the book reads every form of a
    number, `1e-08` and float digits past the lot included)."""
    return [(bytes(price).decode(), bytes(qty).decode()) for price, qty in rows]


def event_order(event: schemas.OrderEvent, known: Order | None) -> Order:
    """An `orders#` push applied to what was known of the order. The executed amount the
    push carries (`execAmt`) is the filled size, even when this session missed earlier
    fills (a reconnect forgets them); a buy-market order's is a value, so its size adds
    up trade by trade. Its pushes do not say a stop order's stop price or operator: those
    are kept from what was known."""
    side, order_type, tif = split_type(event.type)
    trigger = None
    if known is not None and known.type.triggered:
        order_type, trigger = known.type, known.trigger
    filled = known.filled_qty if known else Decimal(0)
    filled_quote = known.filled_quote if known else Decimal(0)
    if event.eventType == "trade" and event.tradeVolume and event.tradePrice:
        volume = exact(event.tradeVolume)
        filled += volume
        filled_quote += volume * exact(event.tradePrice)
    quote_sized = order_type is OrderType.MARKET and side is Side.BUY
    if event.execAmt is not None and not quote_sized:
        filled = exact(event.execAmt)
    qty = exact(event.orderSize) if event.orderSize else (known.qty if known else filled)
    when = event.tradeTime or event.lastActTime or event.orderCreateTime or 0
    return Order(
        symbol=ours(event.symbol),
        client_order_id=event.clientOrderId,
        side=side,
        type=order_type,
        qty=qty if qty else filled,
        price=exact(event.orderPrice) if event.orderPrice else None,
        time_in_force=tif,
        status=status(event.orderStatus, tif, order_type),
        order_id=str(event.orderId),
        filled_qty=filled,
        filled_quote=filled_quote,
        created_ms=event.orderCreateTime or (known.created_ms if known else when),
        updated_ms=when,
        trigger=trigger,
    )


def clearing_fill(event: schemas.ClearingEvent) -> Fill:
    return Fill(
        symbol=ours(event.symbol),
        order_id=str(event.orderId),
        client_order_id=event.clientOrderId,
        trade_id=str(event.tradeId),
        side=Side(event.orderSide.upper()),
        price=exact(event.tradePrice),
        qty=exact(event.tradeVolume),
        fee=exact(event.transactFee),
        fee_asset=event.feeCurrency.upper(),
        is_maker=not event.aggressor,
        time_ms=event.tradeTime,
    )


def match_fill(row: schemas.MatchRow, instrument: Instrument) -> Fill:
    side, _, _ = split_type(row.type)
    received = instrument.base if side is Side.BUY else instrument.quote
    return Fill(
        symbol=ours(row.symbol),
        order_id=str(row.order_id),
        client_order_id="",
        trade_id=str(row.trade_id),
        side=side,
        price=exact(row.price),
        qty=exact(row.filled_amount),
        fee=exact(row.filled_fees),
        fee_asset=(row.fee_currency or received).upper(),
        is_maker=row.role == "maker",
        time_ms=row.created_at,
    )


def account_balance(update: schemas.AccountUpdate) -> Balance | None:
    """`accounts.update#2` carries both figures: available is free, the rest is locked."""
    if update.balance is None or update.available is None:
        return None
    total, free = exact(update.balance), exact(update.available)
    return Balance(update.currency.upper(), free, total - free)


def clearing_order(event: schemas.ClearingEvent) -> Order:
    """What a fill's push says of its order, for an order this session has not seen yet
    (filled size unknown here: the order's own pushes and reconciliation carry it)."""
    side, order_type, tif = split_type(event.orderType, event.operator)
    return Order(
        symbol=ours(event.symbol),
        client_order_id=event.clientOrderId,
        side=side,
        type=order_type,
        qty=exact(event.orderSize) if event.orderSize else Decimal(0),
        price=exact(event.orderPrice) if event.orderPrice else None,
        time_in_force=tif,
        status=status(event.orderStatus, tif, order_type),
        order_id=str(event.orderId),
        created_ms=event.orderCreateTime,
        updated_ms=event.tradeTime,
        trigger=exact(event.stopPrice) if event.stopPrice else None,
    )


def ticker(row: schemas.TickerRow) -> Ticker:
    return Ticker(ours(row.symbol), row.close, row.open, row.amount)
