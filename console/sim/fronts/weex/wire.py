"""WEEX v1 shapes: symbols as `BTCUSDT_SPBL`, product rows, order and fill rows, and the
words the seed uses for sides, order types, forces and states.

Numbers go out as strings, as the seed's examples send them; times in milliseconds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from console.model import Instrument, OrderStatus, OrderType, Side, TimeInForce
from console.sim.state import EngineOrder, Fill, RejectReason

SUFFIX = "_SPBL"
FORCES: dict[str, tuple[OrderType, TimeInForce]] = {
    "normal": (OrderType.LIMIT, TimeInForce.GTC),
    "post_only": (OrderType.POST_ONLY, TimeInForce.GTC),
    "ioc": (OrderType.LIMIT, TimeInForce.IOC),
    "fok": (OrderType.LIMIT, TimeInForce.FOK),
}
"""`force` on a limit order; a market order takes `normal`."""
STATES = {
    OrderStatus.NEW: "new",
    OrderStatus.PARTIALLY_FILLED: "partial_fill",
    OrderStatus.FILLED: "full_fill",
    OrderStatus.CANCELED: "cancelled",
    OrderStatus.EXPIRED: "cancelled",
    OrderStatus.REJECTED: "cancelled",
}
REJECTS: dict[RejectReason, tuple[str, str]] = {
    RejectReason.UNKNOWN_SYMBOL: ("40102", "The symbol does not exist"),
    RejectReason.PRICE_FILTER: ("40017", "Parameter verification failed: price"),
    RejectReason.LOT_SIZE: ("40017", "Parameter verification failed: quantity"),
    RejectReason.NOTIONAL: ("40017", "Parameter verification failed: order value too small"),
    RejectReason.INSUFFICIENT_BALANCE: ("40017", "Parameter verification failed: balance"),
    RejectReason.WOULD_TAKE: ("40017", "Parameter verification failed: post_only would take"),
    RejectReason.DUPLICATE_ORDER: ("40305", "clientOrderId is already in use"),
    RejectReason.UNKNOWN_ORDER: ("40017", "Parameter verification failed: no such open order"),
    RejectReason.BAD_REQUEST: ("40017", "Parameter verification failed"),
    RejectReason.WOULD_TRIGGER: ("40017", "Parameter verification failed"),
    RejectReason.PRICE_RELATIONSHIP: ("40017", "Parameter verification failed"),
    RejectReason.NOT_AMENDABLE: ("40017", "Parameter verification failed"),
}


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def wire_symbol(symbol: str) -> str:
    return symbol + SUFFIX


def scale(step: Decimal) -> int:
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def product_row(inst: Instrument, maker: Decimal, taker: Decimal) -> dict[str, Any]:
    return {
        "symbol": wire_symbol(inst.symbol),
        "symbolName": inst.symbol,
        "baseCoin": inst.base,
        "quoteCoin": inst.quote,
        "minTradeAmount": plain(inst.min_qty),
        "maxTradeAmount": plain(inst.max_qty),
        "takerFeeRate": plain(taker),
        "makerFeeRate": plain(maker),
        "priceScale": str(scale(inst.tick_size)),
        "quantityScale": str(scale(inst.lot_size)),
        "status": "online",
    }


def order_type(order: EngineOrder) -> str:
    return "market" if order.type is OrderType.MARKET else "limit"


def order_row(order: EngineOrder, account_id: str, lot: Decimal) -> dict[str, Any]:
    filled = order.filled_lots * lot
    average = order.filled_quote / filled if filled else Decimal(0)
    quantity = order.quote_qty if order.quote_qty is not None else order.qty_lots * lot
    return {
        "accountId": account_id,
        "symbol": wire_symbol(order.symbol).lower(),
        "orderId": str(order.order_id),
        "clientOrderId": order.client_order_id,
        "price": plain(order.price or Decimal(0)),
        "quantity": plain(quantity),
        "orderType": order_type(order),
        "side": order.side.value.lower(),
        "status": STATES[order.status],
        "fillPrice": plain(average),
        "fillQuantity": plain(filled),
        "fillTotalAmount": plain(order.filled_quote),
        "cTime": str(order.created_ms),
    }


def fill_row(fill: Fill, account_id: str, kind: str) -> dict[str, Any]:
    execution = fill.execution
    return {
        "accountId": account_id,
        "symbol": wire_symbol(fill.symbol).lower(),
        "orderId": str(fill.order_id),
        "fillId": str(execution.trade_id),
        "orderType": kind,
        "side": fill.side.value.lower(),
        "fillPrice": plain(execution.price),
        "fillQuantity": plain(execution.qty),
        "fillTotalAmount": plain(execution.price * execution.qty),
        "cTime": str(fill.time_ms),
        "feeCcy": execution.fee_asset.lower(),
        "fees": plain(execution.fee),
    }


def side_of(text: str | None) -> Side | None:
    return {"buy": Side.BUY, "sell": Side.SELL}.get(text or "")
