"""WEEX v1 wire schemas in WEEX's own field names: the envelope, products, market data,
assets, orders and fills. Numbers arrive as strings and stay text until `convert` makes
them `Decimal`; unknown fields are ignored."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class Envelope(msgspec.Struct, Generic[T]):
    """`{"code": "00000", "msg": "success", "requestTime": ..., "data": ...}`."""

    data: T
    code: str = "00000"


class Failure(msgspec.Struct):
    """Any answer's code and message: v1's `code` is text, v3's a number."""

    code: str | int | None = None
    msg: str | None = None
    message: str | None = None


class Product(msgspec.Struct):
    symbol: str
    symbolName: str
    baseCoin: str
    quoteCoin: str
    minTradeAmount: str
    maxTradeAmount: str
    priceScale: str
    quantityScale: str
    status: str = "online"


class Depth(msgspec.Struct):
    asks: list[tuple[str, str]]
    bids: list[tuple[str, str]]
    timestamp: str


class MarketFill(msgspec.Struct):
    symbol: str
    tradeId: str
    side: str
    fillPrice: str
    fillQuantity: str
    fillTime: str


class Bar(msgspec.Struct):
    open: str
    high: str
    low: str
    close: str
    baseVol: str
    quoteVol: str
    ts: str


class Ticker(msgspec.Struct):
    symbol: str
    high24h: str
    low24h: str
    close: str
    baseVol: str
    quoteVol: str
    ts: str


class Asset(msgspec.Struct):
    coinName: str
    available: str
    frozen: str
    lock: str = "0"


class Placed(msgspec.Struct):
    orderId: str
    clientOrderId: str = ""


class OrderRow(msgspec.Struct):
    symbol: str
    orderId: str
    clientOrderId: str
    price: str
    quantity: str
    orderType: str
    side: str
    status: str
    fillQuantity: str
    fillTotalAmount: str
    cTime: str


class TradeFill(msgspec.Struct):
    symbol: str
    orderId: str
    fillId: str
    side: str
    fillPrice: str
    fillQuantity: str
    cTime: str
    fees: str = "0"
    feeCcy: str = ""


class ListenKey(msgspec.Struct):
    listenKey: str
