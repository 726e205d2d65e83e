"""Binance wire types into `console.model` types, at the edge of the adapter."""

from __future__ import annotations

from decimal import Decimal

from console.model import (
    Balance,
    BookSnapshot,
    Candle,
    DayStats,
    Fill,
    Instrument,
    Order,
    OrderStatus,
    OrderType,
    Side,
    Ticker,
    TimeInForce,
    Top,
    Trade,
)
from console.venues.binance import schemas

ORDER_TYPES = {
    "LIMIT": OrderType.LIMIT,
    "MARKET": OrderType.MARKET,
    "LIMIT_MAKER": OrderType.POST_ONLY,
    "STOP_LOSS_LIMIT": OrderType.STOP_LIMIT,
    "STOP_LOSS": OrderType.STOP_MARKET,
    "TAKE_PROFIT_LIMIT": OrderType.TAKE_PROFIT_LIMIT,
    "TAKE_PROFIT": OrderType.TAKE_PROFIT_MARKET,
}
WIRE_ORDER_TYPES = {ours: wire for wire, ours in ORDER_TYPES.items()}
STATUSES = {
    "NEW": OrderStatus.NEW,
    "PARTIALLY_FILLED": OrderStatus.PARTIALLY_FILLED,
    "FILLED": OrderStatus.FILLED,
    "CANCELED": OrderStatus.CANCELED,
    "PENDING_CANCEL": OrderStatus.NEW,
    "REJECTED": OrderStatus.REJECTED,
    "EXPIRED": OrderStatus.EXPIRED,
    "EXPIRED_IN_MATCH": OrderStatus.EXPIRED,
}


def time_in_force(text: str) -> TimeInForce:
    """Binance reports GTC for market and post-only orders too; anything else reads as GTC."""
    return TimeInForce(text) if text in TimeInForce.__members__ else TimeInForce.GTC


def instrument(info: schemas.SymbolInfo) -> Instrument:
    filters = {f.filterType: f for f in info.filters}
    price, lot = filters["PRICE_FILTER"], filters["LOT_SIZE"]
    notional = filters.get("NOTIONAL") or filters.get("MIN_NOTIONAL")
    return Instrument(
        symbol=info.symbol,
        base=info.baseAsset,
        quote=info.quoteAsset,
        tick_size=Decimal(price.tickSize or "0").normalize(),
        lot_size=Decimal(lot.stepSize or "0").normalize(),
        min_qty=Decimal(lot.minQty or "0"),
        max_qty=Decimal(lot.maxQty or "0"),
        min_notional=Decimal(notional.minNotional or "0") if notional else Decimal(0),
        min_price=Decimal(price.minPrice or "0"),
        max_price=Decimal(price.maxPrice or "0"),
        max_notional=Decimal(notional.maxNotional or "0") if notional else Decimal(0),
    )


def snapshot(symbol: str, depth: schemas.Depth) -> BookSnapshot:
    return BookSnapshot(symbol, depth.lastUpdateId, depth.bids, depth.asks)


def agg_trade(symbol: str, row: schemas.AggTrade) -> Trade:
    return Trade(
        symbol, row.a, Decimal(row.p), Decimal(row.q), Side.SELL if row.m else Side.BUY, row.T
    )


def day_stats(event: schemas.DayTicker) -> DayStats:
    return DayStats(
        event.s,
        Decimal(event.c),
        Decimal(event.o),
        Decimal(event.h),
        Decimal(event.l),
        Decimal(event.v),
    )


def day_ticker(row: schemas.DayRow) -> Ticker:
    return Ticker(row.symbol, Decimal(row.lastPrice), Decimal(row.openPrice), Decimal(row.volume))


def top(event: schemas.BookTicker) -> Top:
    return Top(event.s, Decimal(event.b), Decimal(event.B), Decimal(event.a), Decimal(event.A))


def candle(event: schemas.KlineEvent) -> Candle:
    k = event.k
    return Candle(
        k.s, k.i, k.t, Decimal(k.o), Decimal(k.h), Decimal(k.l), Decimal(k.c), Decimal(k.v), k.x
    )


def candle_row(symbol: str, interval: str, row: schemas.KlineRow, now_ms: int) -> Candle:
    return Candle(
        symbol,
        interval,
        row.open_ms,
        Decimal(row.open),
        Decimal(row.high),
        Decimal(row.low),
        Decimal(row.close),
        Decimal(row.volume),
        row.close_ms < now_ms,
    )


def order(answer: schemas.OrderAnswer) -> Order:
    """An order from a REST or WS-API answer; on a cancel, keyed by the order's own id."""
    time_ms = answer.updateTime or answer.transactTime or answer.time or 0
    price = Decimal(answer.price)
    return Order(
        symbol=answer.symbol,
        client_order_id=answer.origClientOrderId or answer.clientOrderId,
        side=Side(answer.side),
        type=ORDER_TYPES.get(answer.type, OrderType.LIMIT),
        qty=Decimal(answer.origQty),
        price=price if price else None,
        time_in_force=time_in_force(answer.timeInForce),
        status=STATUSES.get(answer.status, OrderStatus.UNKNOWN),
        order_id=str(answer.orderId),
        filled_qty=Decimal(answer.executedQty),
        filled_quote=Decimal(answer.cummulativeQuoteQty),
        created_ms=answer.time or answer.transactTime or 0,
        updated_ms=time_ms,
        trigger=_trigger(answer.stopPrice),
    )


def _trigger(text: str) -> Decimal | None:
    """A stop price as Binance sends it, `0.00000000` where the order has none."""
    value = Decimal(text)
    return value if value else None


def report_order(report: schemas.ExecutionReport) -> Order:
    """The order an executionReport speaks of; a cancel's report names it in `C`."""
    price = Decimal(report.p)
    return Order(
        symbol=report.s,
        client_order_id=report.C or report.c,
        side=Side(report.S),
        type=ORDER_TYPES.get(report.o, OrderType.LIMIT),
        qty=Decimal(report.q),
        price=price if price else None,
        time_in_force=time_in_force(report.f),
        status=STATUSES.get(report.X, OrderStatus.UNKNOWN),
        order_id=str(report.i),
        filled_qty=Decimal(report.z),
        filled_quote=Decimal(report.Z),
        created_ms=report.O,
        updated_ms=report.T,
        trigger=_trigger(report.P),
    )


def report_fill(report: schemas.ExecutionReport) -> Fill | None:
    if report.x != "TRADE":
        return None
    return Fill(
        symbol=report.s,
        order_id=str(report.i),
        client_order_id=report.c,
        trade_id=str(report.t),
        side=Side(report.S),
        price=Decimal(report.L),
        qty=Decimal(report.l),
        fee=Decimal(report.n),
        fee_asset=report.N or "",
        is_maker=report.m,
        time_ms=report.T,
    )


def my_trade(row: schemas.MyTrade) -> Fill:
    return Fill(
        symbol=row.symbol,
        order_id=str(row.orderId),
        client_order_id="",
        trade_id=str(row.id),
        side=Side.BUY if row.isBuyer else Side.SELL,
        price=Decimal(row.price),
        qty=Decimal(row.qty),
        fee=Decimal(row.commission),
        fee_asset=row.commissionAsset,
        is_maker=row.isMaker,
        time_ms=row.time,
    )


def balances(position: schemas.OutboundAccountPosition) -> list[Balance]:
    return [Balance(b.a, Decimal(b.f), Decimal(b.l)) for b in position.B]


def account_balances(account: schemas.AccountInfo) -> list[Balance]:
    return [Balance(b.asset, Decimal(b.free), Decimal(b.locked)) for b in account.balances]
