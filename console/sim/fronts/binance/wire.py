"""Binance spot wire shapes: how the simulator writes orders, trades, klines and events.

Field names and sets follow Binance's REST and WebSocket documents, so a client written for
Binance reads these answers unchanged. Numbers go out as 8-decimal strings, as Binance does.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from console.model import Instrument, OrderType, Side
from console.sim.candles import Bar
from console.sim.exchange import AggTrade
from console.sim.state import (
    EngineOrder,
    ExecType,
    Execution,
    OrderList,
    RejectReason,
    TradePrinted,
)

REQUEST_WEIGHT_PER_MINUTE = 6000
ORDERS_PER_10S = 100
ORDERS_PER_DAY = 200_000

WIRE_TYPES = {
    OrderType.LIMIT: "LIMIT",
    OrderType.MARKET: "MARKET",
    OrderType.POST_ONLY: "LIMIT_MAKER",
}
TYPES_FROM_WIRE = {wire: ours for ours, wire in WIRE_TYPES.items()}
STOP_TYPES = {
    "STOP_LOSS": OrderType.MARKET,
    "STOP_LOSS_LIMIT": OrderType.LIMIT,
    "TAKE_PROFIT": OrderType.MARKET,
    "TAKE_PROFIT_LIMIT": OrderType.LIMIT,
}
"""Binance's triggered types and what each works as once its stop price is reached."""
ORDER_TYPES = ["LIMIT", "LIMIT_MAKER", "MARKET", *STOP_TYPES]
STP_MODE = "NONE"
"""The engine matches an account's own orders against each other, as Binance's NONE does."""


def wire_type(o: EngineOrder) -> str:
    """A stop-loss sells on a fall (buys on a rise); a take-profit the other way round."""
    if o.trigger is None:
        return WIRE_TYPES[o.type]
    stop_loss = o.trigger.above == (o.side is Side.BUY)
    name = "STOP_LOSS" if stop_loss else "TAKE_PROFIT"
    return f"{name}_LIMIT" if o.type is OrderType.LIMIT else name


def trigger_above(wire: str, side: Side) -> bool:
    """Which way the price must move to fire a `wire`-typed stop order on `side`."""
    return wire.startswith("STOP_LOSS") == (side is Side.BUY)


def status(o: EngineOrder) -> str:
    return "PENDING_NEW" if o.pending else o.status.value


REJECTS: dict[RejectReason, tuple[int, str]] = {
    RejectReason.UNKNOWN_SYMBOL: (-1121, "Invalid symbol."),
    RejectReason.PRICE_FILTER: (-1013, "Filter failure: PRICE_FILTER"),
    RejectReason.LOT_SIZE: (-1013, "Filter failure: LOT_SIZE"),
    RejectReason.NOTIONAL: (-1013, "Filter failure: NOTIONAL"),
    RejectReason.INSUFFICIENT_BALANCE: (
        -2010,
        "Account has insufficient balance for requested action.",
    ),
    RejectReason.WOULD_TAKE: (-2010, "Order would immediately match and take."),
    RejectReason.DUPLICATE_ORDER: (-2010, "Duplicate order sent."),
    RejectReason.UNKNOWN_ORDER: (-2013, "Order does not exist."),
    RejectReason.BAD_REQUEST: (-1014, "Unsupported order combination."),
    RejectReason.WOULD_TRIGGER: (-2010, "Order would trigger immediately."),
    RejectReason.PRICE_RELATIONSHIP: (
        -2010,
        "The relationship of the prices for the orders is not correct.",
    ),
    RejectReason.NOT_AMENDABLE: (
        -2038,
        "The new quantity must be below the order's quantity and above what has filled.",
    ),
}


def num(value: Decimal) -> str:
    return f"{value:.8f}"


class OrderShapes:
    """Writes one symbol's orders in the shapes Binance answers with."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.lot = instrument.lot_size
        self._event_ids = itertools.count(1)

    def next_event_id(self) -> int:
        """Binance's `I`: an execution's id in the order book's event sequence."""
        return next(self._event_ids)

    def qty(self, lots: int) -> Decimal:
        return self.lot * lots

    def _core(self, o: EngineOrder) -> dict[str, Any]:
        return {
            "symbol": o.symbol,
            "orderId": o.order_id,
            "orderListId": o.list_id,
            "clientOrderId": o.client_order_id,
            "price": num(o.price or Decimal(0)),
            "origQty": num(self.qty(o.qty_lots)),
            "executedQty": num(self.qty(o.filled_lots)),
            "cummulativeQuoteQty": num(o.filled_quote),
            "status": status(o),
            "timeInForce": o.time_in_force.value,
            "type": wire_type(o),
            "side": o.side.value,
            **({"stopPrice": num(o.trigger.price)} if o.trigger else {}),
        }

    def query(self, o: EngineOrder) -> dict[str, Any]:
        """GET /api/v3/order, openOrders and order.status."""
        return {
            "stopPrice": num(Decimal(0)),
            **self._core(o),
            "icebergQty": num(Decimal(0)),
            "time": o.created_ms,
            "updateTime": o.updated_ms,
            "isWorking": o.is_open and not o.waiting and o.type is not OrderType.MARKET,
            "workingTime": o.working_ms if o.working_ms is not None else -1,
            "origQuoteOrderQty": num(o.quote_qty or Decimal(0)),
            "selfTradePreventionMode": STP_MODE,
        }

    def placed(self, o: EngineOrder, fills: list[Execution], resp_type: str) -> dict[str, Any]:
        """POST /api/v3/order and order.place in ACK, RESULT or FULL form."""
        ack = {
            "symbol": o.symbol,
            "orderId": o.order_id,
            "orderListId": o.list_id,
            "clientOrderId": o.client_order_id,
            "transactTime": o.updated_ms,
        }
        if resp_type == "ACK":
            return ack
        result = {
            **ack,
            **self._core(o),
            "origQuoteOrderQty": num(o.quote_qty or Decimal(0)),
            "workingTime": o.working_ms if o.working_ms is not None else -1,
            "selfTradePreventionMode": STP_MODE,
        }
        if resp_type == "FULL":
            result["fills"] = [
                {
                    "price": num(f.price),
                    "qty": num(f.qty),
                    "commission": num(f.fee),
                    "commissionAsset": f.fee_asset,
                    "tradeId": f.trade_id,
                }
                for f in fills
            ]
        return result

    def canceled(self, o: EngineOrder, cancel_id: str, now: int) -> dict[str, Any]:
        """DELETE /api/v3/order, order.cancel and each row of a cancel-all."""
        return {
            **self._core(o),
            "origClientOrderId": o.client_order_id,
            "clientOrderId": cancel_id,
            "transactTime": now,
            "origQuoteOrderQty": num(o.quote_qty or Decimal(0)),
            "selfTradePreventionMode": STP_MODE,
        }

    def amended(self, o: EngineOrder, original_client_id: str) -> dict[str, Any]:
        """The `amendedOrder` of order/amend/keepPriority."""
        return {
            "symbol": o.symbol,
            "orderId": o.order_id,
            "orderListId": o.list_id,
            "origClientOrderId": original_client_id,
            "clientOrderId": o.client_order_id,
            "price": num(o.price or Decimal(0)),
            "qty": num(self.qty(o.qty_lots)),
            "executedQty": num(self.qty(o.filled_lots)),
            "preventedQty": num(Decimal(0)),
            "quoteOrderQty": num(o.quote_qty or Decimal(0)),
            "cumulativeQuoteQty": num(o.filled_quote),
            "status": status(o),
            "timeInForce": o.time_in_force.value,
            "type": wire_type(o),
            "side": o.side.value,
            "workingTime": o.working_ms if o.working_ms is not None else -1,
            "selfTradePreventionMode": STP_MODE,
        }

    def execution_report(
        self, o: EngineOrder, exec_type: ExecType, now: int, fill: Execution | None, cancel_id: str
    ) -> dict[str, Any]:
        """The user data `executionReport` event."""
        canceled = exec_type is ExecType.CANCELED
        return {
            "e": "executionReport",
            "E": now,
            "s": o.symbol,
            "c": cancel_id if canceled else o.client_order_id,
            "S": o.side.value,
            "o": wire_type(o),
            "f": o.time_in_force.value,
            "q": num(self.qty(o.qty_lots)),
            "p": num(o.price or Decimal(0)),
            "P": num(o.trigger.price if o.trigger else Decimal(0)),
            "F": num(Decimal(0)),
            "g": o.list_id,
            "C": o.client_order_id if canceled else "",
            "x": exec_type.value,
            "X": status(o),
            "r": "NONE",
            "i": o.order_id,
            "l": num(fill.qty if fill else Decimal(0)),
            "z": num(self.qty(o.filled_lots)),
            "L": num(fill.price if fill else Decimal(0)),
            "n": num(fill.fee if fill else Decimal(0)),
            "N": fill.fee_asset if fill else None,
            "T": now,
            "t": fill.trade_id if fill else -1,
            "I": self.next_event_id(),
            "w": o.is_open and not o.waiting and o.type is not OrderType.MARKET,
            "m": fill.is_maker if fill else False,
            "M": False,
            "O": o.created_ms,
            "Z": num(o.filled_quote),
            "Y": num(fill.price * fill.qty if fill else Decimal(0)),
            "Q": num(o.quote_qty or Decimal(0)),
            "W": o.working_ms if o.working_ms is not None else -1,
            "V": STP_MODE,
        }


def account_position(balances: dict[str, tuple[Decimal, Decimal]], now: int) -> dict[str, Any]:
    return {
        "e": "outboundAccountPosition",
        "E": now,
        "u": now,
        "B": [
            {"a": asset, "f": num(free), "l": num(locked)}
            for asset, (free, locked) in balances.items()
        ],
    }


def trade_event(t: TradePrinted, now: int) -> dict[str, Any]:
    return {
        "e": "trade",
        "E": now,
        "s": t.symbol,
        "t": t.trade_id,
        "p": num(t.price),
        "q": num(t.qty),
        "T": t.time_ms,
        "m": t.taker_side is Side.SELL,
        "M": True,
    }


def trade_row(t: TradePrinted) -> dict[str, Any]:
    return {
        "id": t.trade_id,
        "price": num(t.price),
        "qty": num(t.qty),
        "quoteQty": num(t.price * t.qty),
        "time": t.time_ms,
        "isBuyerMaker": t.taker_side is Side.SELL,
        "isBestMatch": True,
    }


def kline_row(bar: Bar, length_ms: int) -> list[Any]:
    return [
        bar.open_ms,
        num(bar.open),
        num(bar.high),
        num(bar.low),
        num(bar.close),
        num(bar.volume),
        bar.open_ms + length_ms - 1,
        num(bar.quote_volume),
        bar.trades,
        num(bar.taker_buy_volume),
        num(bar.taker_buy_quote),
        "0",
    ]


def kline_event(
    symbol: str, interval: str, bar: Bar, length_ms: int, closed: bool, now: int
) -> dict[str, Any]:
    return {
        "e": "kline",
        "E": now,
        "s": symbol,
        "k": {
            "t": bar.open_ms,
            "T": bar.open_ms + length_ms - 1,
            "s": symbol,
            "i": interval,
            "f": bar.first_trade_id,
            "L": bar.last_trade_id,
            "o": num(bar.open),
            "c": num(bar.close),
            "h": num(bar.high),
            "l": num(bar.low),
            "v": num(bar.volume),
            "n": bar.trades,
            "x": closed,
            "q": num(bar.quote_volume),
            "V": num(bar.taker_buy_volume),
            "Q": num(bar.taker_buy_quote),
            "B": "0",
        },
    }


def symbol_info(inst: Instrument) -> dict[str, Any]:
    """One entry of exchangeInfo's `symbols`, with the filters an order must pass."""
    return {
        "symbol": inst.symbol,
        "status": "TRADING",
        "baseAsset": inst.base,
        "baseAssetPrecision": 8,
        "quoteAsset": inst.quote,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "baseCommissionPrecision": 8,
        "quoteCommissionPrecision": 8,
        "orderTypes": ORDER_TYPES,
        "icebergAllowed": False,
        "ocoAllowed": True,
        "otoAllowed": True,
        "opoAllowed": False,
        "quoteOrderQtyMarketAllowed": True,
        "allowTrailingStop": False,
        "cancelReplaceAllowed": True,
        "amendAllowed": True,
        "pegInstructionsAllowed": False,
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "filters": [
            {
                "filterType": "PRICE_FILTER",
                "minPrice": num(inst.min_price),
                "maxPrice": num(inst.max_price),
                "tickSize": num(inst.tick_size),
            },
            {
                "filterType": "LOT_SIZE",
                "minQty": num(inst.min_qty),
                "maxQty": num(inst.max_qty),
                "stepSize": num(inst.lot_size),
            },
            {
                "filterType": "NOTIONAL",
                "minNotional": num(inst.min_notional),
                "applyMinToMarket": True,
                "maxNotional": num(inst.max_notional),
                "applyMaxToMarket": False,
                "avgPriceMins": 5,
            },
        ],
        "permissions": [],
        "permissionSets": [["SPOT"]],
        "defaultSelfTradePreventionMode": STP_MODE,
        "allowedSelfTradePreventionModes": [STP_MODE],
    }


def rate_limits(weight_limit: int) -> list[dict[str, Any]]:
    return [
        {
            "rateLimitType": "REQUEST_WEIGHT",
            "interval": "MINUTE",
            "intervalNum": 1,
            "limit": weight_limit,
        },
        {
            "rateLimitType": "ORDERS",
            "interval": "SECOND",
            "intervalNum": 10,
            "limit": ORDERS_PER_10S,
        },
        {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": ORDERS_PER_DAY},
        {"rateLimitType": "RAW_REQUESTS", "interval": "MINUTE", "intervalNum": 5, "limit": 300_000},
    ]


def agg_trade_row(a: AggTrade) -> dict[str, Any]:
    return {
        "a": a.agg_id,
        "p": num(a.price),
        "q": num(a.qty),
        "f": a.first_id,
        "l": a.last_id,
        "T": a.time_ms,
        "m": a.buyer_maker,
        "M": True,
    }


def agg_trade_event(symbol: str, a: AggTrade, now: int) -> dict[str, Any]:
    return {"e": "aggTrade", "E": now, "s": symbol, **agg_trade_row(a)}


def list_status(order_list: OrderList, now: int) -> dict[str, Any]:
    """An order list's state: what list requests answer (without their order reports)."""
    done = not order_list.is_open
    return {
        "orderListId": order_list.list_id,
        "contingencyType": order_list.kind.value,
        "listStatusType": "ALL_DONE" if done else "EXEC_STARTED",
        "listOrderStatus": "ALL_DONE" if done else "EXECUTING",
        "listClientOrderId": order_list.client_id,
        "transactionTime": now,
        "symbol": order_list.symbol,
        "orders": [
            {"symbol": o.symbol, "orderId": o.order_id, "clientOrderId": o.client_order_id}
            for o in order_list.orders
        ],
    }


def list_status_event(order_list: OrderList, now: int) -> dict[str, Any]:
    """The user data `listStatus` event."""
    status = list_status(order_list, now)
    return {
        "e": "listStatus",
        "E": now,
        "s": order_list.symbol,
        "g": order_list.list_id,
        "c": status["contingencyType"],
        "l": status["listStatusType"],
        "L": status["listOrderStatus"],
        "r": "NONE",
        "C": order_list.client_id,
        "T": now,
        "O": [
            {"s": o["symbol"], "i": o["orderId"], "c": o["clientOrderId"]} for o in status["orders"]
        ],
    }
