"""Huobi spot wire shapes: how the simulator writes symbols, orders, fills and market data.

Field names follow the Huobi spot document (`shared/seeds/huobi-sg-spot-api.txt`): symbols
in lower case, order types as `buy-limit`, states as `partial-filled`, market data numbers
as JSON numbers and account figures as strings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from console.model import Instrument, OrderStatus, OrderType, Side, TimeInForce
from console.sim.state import EngineOrder, Fill, RejectReason

NUMBERS = msgspec.json.Encoder(decimal_format="number")
"""Market data carries prices and sizes as JSON numbers (exact: written from Decimal)."""

TYPES: dict[str, tuple[OrderType, TimeInForce]] = {
    "limit": (OrderType.LIMIT, TimeInForce.GTC),
    "ioc": (OrderType.LIMIT, TimeInForce.IOC),
    "limit-fok": (OrderType.LIMIT, TimeInForce.FOK),
    "limit-maker": (OrderType.POST_ONLY, TimeInForce.GTC),
    "market": (OrderType.MARKET, TimeInForce.GTC),
}
"""The part of `buy-limit`, `sell-ioc`... after the side, and what the engine takes."""
WIRE_TYPES = {engine: wire for wire, engine in TYPES.items()}
STOP_TYPES: dict[str, TimeInForce] = {
    "stop-limit": TimeInForce.GTC,
    "stop-limit-fok": TimeInForce.FOK,
}
"""Conditional limit orders (`buy-stop-limit`, with `stop-price` and `operator`): the
document's order types, placed as a widely used client places them."""
WIRE_STOP_TYPES = {tif: wire for wire, tif in STOP_TYPES.items()}
OPERATORS = {"gte": True, "lte": False}
"""A stop's operator: whether the last price must rise to its stop price (else fall)."""

STATE_CODES = {
    "created": 1,
    "submitted": 3,
    "partial-filled": 4,
    "partial-canceled": 5,
    "filled": 6,
    "canceled": 7,
    "canceling": 10,
}
"""The document's `order-state` numbers, answered by cancels."""

REJECTS: dict[RejectReason, tuple[str, str]] = {
    RejectReason.UNKNOWN_SYMBOL: ("invalid-parameter", "invalid symbol"),
    RejectReason.PRICE_FILTER: ("order-orderprice-precision-error", "Order price precision error"),
    RejectReason.LOT_SIZE: ("order-orderamount-precision-error", "Order amount precision error"),
    RejectReason.NOTIONAL: ("order-value-min-error", "Order value cannot be lower than 5"),
    RejectReason.INSUFFICIENT_BALANCE: (
        "order-accountbalance-error",
        "The account balance is insufficient",
    ),
    RejectReason.WOULD_TAKE: ("order-invalid-price", "limit-maker order would take liquidity"),
    RejectReason.DUPLICATE_ORDER: ("invalid-client-order-id", "invalid.client.order.id"),
    RejectReason.UNKNOWN_ORDER: ("order-orderstate-error", "Incorrect order state"),
    RejectReason.BAD_REQUEST: ("order-type-invalid", "Order type is invalid"),
    RejectReason.WOULD_TRIGGER: ("order-type-invalid", "Order type is invalid"),
    RejectReason.PRICE_RELATIONSHIP: ("order-type-invalid", "Order type is invalid"),
    RejectReason.NOT_AMENDABLE: ("order-update-error", "Order update error"),
}


def wire_symbol(symbol: str) -> str:
    return symbol.lower()


def precision(step: Decimal) -> int:
    """Decimal places of a tick or lot that is a power of ten (0.01 -> 2)."""
    return max(0, -step.normalize().as_tuple().exponent)  # type: ignore[operator]


def plain(value: Decimal) -> str:
    """Account figures as strings with 18 places, as Huobi writes them."""
    return f"{value:.18f}"


def order_type(o: EngineOrder) -> str:
    if o.trigger is not None:
        return f"{o.side.value.lower()}-{WIRE_STOP_TYPES[o.time_in_force]}"
    return f"{o.side.value.lower()}-{WIRE_TYPES[(o.type, o.time_in_force)]}"


def stop_fields(o: EngineOrder, names: tuple[str, str]) -> dict[str, str]:
    """A stop order's stop price and operator under `names` (`stop-price` in rows,
    `stopPrice` in pushes); nothing for any other order."""
    if o.trigger is None:
        return {}
    return {names[0]: plain(o.trigger.price), names[1]: "gte" if o.trigger.above else "lte"}


def state(o: EngineOrder) -> str:
    """`created` is a stop order waiting for its stop price; it is `submitted` once it works."""
    if o.status is OrderStatus.FILLED:
        return "filled"
    if o.status in (OrderStatus.CANCELED, OrderStatus.EXPIRED):
        return "partial-canceled" if o.filled_lots else "canceled"
    if o.working_ms is None:
        return "created"
    return "partial-filled" if o.filled_lots else "submitted"


def symbol_row(inst: Instrument) -> dict[str, Any]:
    """One entry of GET /v1/common/symbols."""
    return {
        "base-currency": inst.base.lower(),
        "quote-currency": inst.quote.lower(),
        "price-precision": precision(inst.tick_size),
        "amount-precision": precision(inst.lot_size),
        "symbol-partition": "main",
        "symbol": wire_symbol(inst.symbol),
        "state": "online",
        "value-precision": 8,
        "min-order-amt": inst.min_qty,
        "max-order-amt": inst.max_qty,
        "min-order-value": inst.min_notional,
        "limit-order-min-order-amt": inst.min_qty,
        "limit-order-max-order-amt": inst.max_qty,
        "sell-market-min-order-amt": inst.min_qty,
        "sell-market-max-order-amt": inst.max_qty,
        "buy-market-max-order-value": inst.max_notional,
        "max-order-value": inst.max_notional,
        "api-trading": "enabled",
    }


class OrderRows:
    """Writes one account's orders in the shapes Huobi answers with."""

    def __init__(self, account_id: int, unit: Decimal) -> None:
        """`unit`: what one of the engine's lots holds (`SymbolBook.unit`)."""
        self.account_id = account_id
        self.unit = unit

    def row(self, o: EngineOrder, fees: Decimal) -> dict[str, Any]:
        """An order as order detail, open orders and searches return it (both the
        document's `filled-*` names and the older `field-*` ones)."""
        amount = o.quote_qty if o.quote_qty is not None else self.unit * o.qty_lots
        filled = self.unit * o.filled_lots
        finished = 0 if o.is_open else o.updated_ms
        canceled = o.status in (OrderStatus.CANCELED, OrderStatus.EXPIRED)
        return {
            "id": o.order_id,
            "client-order-id": o.client_order_id,
            "symbol": wire_symbol(o.symbol),
            "account-id": self.account_id,
            "amount": plain(amount),
            "price": plain(o.price or Decimal(0)),
            "created-at": o.created_ms,
            "type": order_type(o),
            "filled-amount": plain(filled),
            "filled-cash-amount": plain(o.filled_quote),
            "filled-fees": plain(fees),
            "field-amount": plain(filled),
            "field-cash-amount": plain(o.filled_quote),
            "field-fees": plain(fees),
            "finished-at": finished,
            "canceled-at": o.updated_ms if canceled else 0,
            "source": "spot-api",
            "state": state(o),
            **stop_fields(o, ("stop-price", "operator")),
        }


def match_row(fill: Fill, record_id: int, order: EngineOrder | None) -> dict[str, Any]:
    """One fill of GET /v1/order/matchresults and /v1/order/orders/{id}/matchresults."""
    execution = fill.execution
    return {
        "id": record_id,
        "symbol": wire_symbol(fill.symbol),
        "order-id": fill.order_id,
        "match-id": execution.trade_id,
        "trade-id": execution.trade_id,
        "price": plain(execution.price),
        "created-at": fill.time_ms,
        "type": order_type(order) if order is not None else f"{fill.side.value.lower()}-limit",
        "filled-amount": plain(execution.qty),
        "filled-fees": plain(execution.fee),
        "fee-currency": execution.fee_asset.lower(),
        "source": "spot-api",
        "role": "maker" if execution.is_maker else "taker",
        "filled-points": "0.0",
        "fee-deduct-currency": "",
        "fee-deduct-state": "done",
    }


def direction(taker: Side) -> str:
    return taker.value.lower()


def currency_row(asset: str) -> dict[str, Any]:
    """An asset of GET /v2/reference/currencies, on one chain named after it."""
    return {
        "currency": asset,
        "assetType": "1",
        "chains": [
            {
                "chain": asset,
                "displayName": asset.upper(),
                "baseChain": asset.upper(),
                "baseChainProtocol": "",
                "isDynamic": False,
                "numOfConfirmations": "12",
                "numOfFastConfirmations": "12",
                "depositStatus": "allowed",
                "minDepositAmt": "0.0001",
                "withdrawStatus": "allowed",
                "minWithdrawAmt": "0.001",
                "withdrawPrecision": "8",
                "maxWithdrawAmt": "1000000.000000000000000000",
                "withdrawQuotaPerDay": "1000000.000000000000000000",
                "withdrawQuotaPerYear": None,
                "withdrawQuotaTotal": None,
                "withdrawFeeType": "fixed",
                "transactFeeWithdraw": "0",
                "addrWithTag": False,
                "addrDepositTag": False,
            }
        ],
        "instStatus": "normal",
    }
