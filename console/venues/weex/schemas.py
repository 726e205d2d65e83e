"""WEEX wire schemas in WEEX's own field names: v1's envelope, products, market data,
assets, orders and fills; the user data stream; the public market stream; v3's bare
answers. Numbers arrive as strings and stay text until `convert` makes them `Decimal`;
unknown fields are ignored."""

from __future__ import annotations

from decimal import Decimal
from typing import Generic, TypeVar

import msgspec

from console.model import Level

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
    takerFeeRate: Decimal | None = None
    makerFeeRate: Decimal | None = None


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


# -- the user data stream (`/ws?listenKey=`) ------------------------------------------------


class Push(msgspec.Struct):
    """Every push: `c` channel, `d` data, `s` symbol (orders, deals), `t` event time; an
    answer to a request carries `code` and `msg` instead."""

    c: str | None = None
    d: msgspec.Raw = msgspec.Raw(b"null")
    """Raw until the channel says what it holds (a `Raw | None` union does not decode)."""
    s: str | None = None
    t: int = 0
    id: int | None = None
    code: int | None = None
    msg: str | None = None


class AccountChange(msgspec.Struct):
    a: str  # asset
    f: str  # free
    l: str  # frozen  # noqa: E741
    c: int = 0  # change time


class Deal(msgspec.Struct):
    p: str  # price
    v: str  # quantity
    S: int  # 1 buy, 2 sell
    T: int  # trade time
    t: str  # trade id
    c: str  # client order id
    i: str  # order id
    m: int  # maker
    n: str = "0"  # fee
    N: str = ""  # fee asset


class OrderUpdate(msgspec.Struct):
    S: int  # 1 buy, 2 sell
    O: int  # create time  # noqa: E741
    c: str  # client order id
    i: str  # order id
    o: int  # 1 limit, 2 post only, 3 IOC, 4 FOK, 5 market
    p: Decimal  # price
    s: int  # 1 new, 2 filled, 3 partially filled, 4 cancelled, 5 partly filled, cancelled
    v: Decimal  # quantity
    cv: Decimal = Decimal(0)  # cumulative quantity
    ca: Decimal = Decimal(0)  # cumulative amount


# -- the public market stream (`/v3/ws/public`), shared by both APIs ------------------------


class MarketEvent(msgspec.Struct):
    """Every frame of the public stream: a push (`e` event, `E` time, `s` symbol, `d`), an
    answer to a request (`id`, `result`, `msg`) or the server's ping (`event: ping`)."""

    e: str | None = None
    E: int = 0
    s: str = ""
    d: msgspec.Raw = msgspec.Raw(b"null")
    """Depth: `SNAPSHOT` or `CHANGED`; trades, candles and tickers: a list of rows."""
    U: int = 0  # first book update covered (depth)
    u: int = 0  # last book update covered (depth, book ticker)
    a: msgspec.Raw = msgspec.Raw(b"null")  # asks (depth), best ask (book ticker)
    b: msgspec.Raw = msgspec.Raw(b"null")  # bids (depth), best bid (book ticker)
    A: str = "0"  # best ask quantity (book ticker)
    B: str = "0"  # best bid quantity (book ticker)
    event: str | None = None
    id: int | None = None
    result: bool | None = None
    msg: str | None = None


class DepthEvent(msgspec.Struct):
    """A book's changes (`"e": "depth"`), levels decoded straight into the console's."""

    s: str
    U: int  # first book update covered
    u: int  # last book update covered
    b: list[Level]
    a: list[Level]


class PrintRow(msgspec.Struct):
    T: int  # trade time
    t: str  # trade id
    p: str  # price
    q: str  # quantity
    m: bool  # the buyer was the maker (the taker sold)


class KlineRow(msgspec.Struct):
    t: int  # open time
    i: str  # interval
    o: str
    c: str
    h: str
    l: str  # noqa: E741
    v: str  # base volume


class DayRow(msgspec.Struct):
    c: str  # last price
    o: str  # open 24 h ago
    h: str
    l: str  # noqa: E741
    v: str  # base volume


# -- the v3 REST API (Binance-shaped, bare answers) -----------------------------------------


class ServerTime(msgspec.Struct):
    serverTime: int


class V3Symbol(msgspec.Struct):
    symbol: str
    baseAsset: str
    quoteAsset: str
    baseAssetPrecision: int | str
    """Sent as a string ("8"), as WEEX's recorded answers have it; not the lot."""
    quoteAssetPrecision: int | str
    minTradeAmount: str
    maxTradeAmount: str
    status: str = "TRADING"
    takerFeeRate: Decimal | None = None
    makerFeeRate: Decimal | None = None
    tickSize: str | None = None
    stepSize: str | None = None
    """The price and quantity grids; where absent, the precisions stand for them."""


class ExchangeInfo(msgspec.Struct):
    symbols: list[V3Symbol]


class V1Ticker(msgspec.Struct):
    """One symbol of v1's `GET /api/spot/v1/market/tickers` (no opening price in it)."""

    symbol: str
    close: str
    baseVol: str


class V3DayRow(msgspec.Struct):
    """One symbol of v3's `GET /api/v3/market/ticker/24hr` asked without a symbol."""

    symbol: str
    lastPrice: str
    volume: str
    openPrice: str | None = None


class V3Trade(msgspec.Struct):
    id: str
    price: str
    qty: str
    time: int
    isBuyerMaker: bool


class V3Order(msgspec.Struct):
    symbol: str
    orderId: str
    clientOrderId: str
    price: str
    origQty: str
    executedQty: str
    cummulativeQuoteQty: str
    status: str
    timeInForce: str
    type: str
    side: str
    time: int = 0
    updateTime: int = 0


class V3Balance(msgspec.Struct):
    asset: str
    free: str
    locked: str


class V3Account(msgspec.Struct):
    balances: list[V3Balance]


class V3Fill(msgspec.Struct):
    symbol: str
    id: str
    orderId: str
    price: str
    qty: str
    commission: str
    commissionAsset: str
    time: int
    isBuyer: bool
    isMaker: bool


# -- demo trading (`/capi/v3/sim/`) ---------------------------------------------------------


class DemoBalance(msgspec.Struct):
    asset: str
    availableBalance: str
    frozen: str = "0"


class DemoPosition(msgspec.Struct):
    symbol: str
    size: str
    side: str = "LONG"
