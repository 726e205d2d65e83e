"""Binance spot wire shapes: how the simulator writes orders, trades, klines and events.

Field names and sets follow Binance's REST and WebSocket documents, so a client written for
Binance reads these answers unchanged. Numbers go out as 8-decimal strings, as Binance does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from console.model import Instrument, OrderType, Side
from console.sim.candles import Bar
from console.sim.engine import EngineOrder, ExecType, Execution, RejectReason, TradePrinted

WIRE_TYPES = {
    OrderType.LIMIT: "LIMIT",
    OrderType.MARKET: "MARKET",
    OrderType.POST_ONLY: "LIMIT_MAKER",
}
TYPES_FROM_WIRE = {wire: ours for ours, wire in WIRE_TYPES.items()}
STP_MODE = "EXPIRE_MAKER"

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
}


def num(value: Decimal) -> str:
    return f"{value:.8f}"


class OrderShapes:
    """Writes one symbol's orders in the shapes Binance answers with."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.lot = instrument.lot_size

    def qty(self, lots: int) -> Decimal:
        return self.lot * lots

    def _core(self, o: EngineOrder) -> dict[str, Any]:
        return {
            "symbol": o.symbol,
            "orderId": o.order_id,
            "orderListId": -1,
            "clientOrderId": o.client_order_id,
            "price": num(o.price or Decimal(0)),
            "origQty": num(self.qty(o.qty_lots)),
            "executedQty": num(self.qty(o.filled_lots)),
            "cummulativeQuoteQty": num(o.filled_quote),
            "status": o.status.value,
            "timeInForce": o.time_in_force.value,
            "type": WIRE_TYPES[o.type],
            "side": o.side.value,
        }

    def query(self, o: EngineOrder) -> dict[str, Any]:
        """GET /api/v3/order, openOrders and order.status."""
        return {
            **self._core(o),
            "stopPrice": num(Decimal(0)),
            "icebergQty": num(Decimal(0)),
            "time": o.created_ms,
            "updateTime": o.updated_ms,
            "isWorking": o.is_open and o.type is not OrderType.MARKET,
            "workingTime": o.created_ms,
            "origQuoteOrderQty": num(o.quote_qty or Decimal(0)),
            "selfTradePreventionMode": STP_MODE,
        }

    def placed(self, o: EngineOrder, fills: list[Execution], resp_type: str) -> dict[str, Any]:
        """POST /api/v3/order and order.place in ACK, RESULT or FULL form."""
        ack = {
            "symbol": o.symbol,
            "orderId": o.order_id,
            "orderListId": -1,
            "clientOrderId": o.client_order_id,
            "transactTime": o.updated_ms,
        }
        if resp_type == "ACK":
            return ack
        result = {
            **ack,
            **self._core(o),
            "origQuoteOrderQty": num(o.quote_qty or Decimal(0)),
            "workingTime": o.created_ms,
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
            "o": WIRE_TYPES[o.type],
            "f": o.time_in_force.value,
            "q": num(self.qty(o.qty_lots)),
            "p": num(o.price or Decimal(0)),
            "P": num(Decimal(0)),
            "F": num(Decimal(0)),
            "g": -1,
            "C": o.client_order_id if canceled else "",
            "x": exec_type.value,
            "X": o.status.value,
            "r": "NONE",
            "i": o.order_id,
            "l": num(fill.qty if fill else Decimal(0)),
            "z": num(self.qty(o.filled_lots)),
            "L": num(fill.price if fill else Decimal(0)),
            "n": num(fill.fee if fill else Decimal(0)),
            "N": fill.fee_asset if fill else None,
            "T": now,
            "t": fill.trade_id if fill else -1,
            "w": o.is_open and o.type is not OrderType.MARKET,
            "m": fill.is_maker if fill else False,
            "M": False,
            "O": o.created_ms,
            "Z": num(o.filled_quote),
            "Y": num(fill.price * fill.qty if fill else Decimal(0)),
            "Q": num(o.quote_qty or Decimal(0)),
            "W": o.created_ms,
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
        "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET"],
        "icebergAllowed": False,
        "ocoAllowed": False,
        "otoAllowed": False,
        "quoteOrderQtyMarketAllowed": True,
        "allowTrailingStop": False,
        "cancelReplaceAllowed": False,
        "amendAllowed": False,
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
